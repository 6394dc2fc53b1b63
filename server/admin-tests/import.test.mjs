// @ts-check
// Importing a Stripe export: a file of 1,200 customers (three batches of 500)
// uploaded with progress, again (all skipped), and a pasted one; then binding
// an imported (unresolved) customer to a user id from the unresolved list.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startServer, must, stripeExport } from "./server.mjs";
import { launch, openPage, record, signIn, assertNoConsoleErrors } from "./browser.mjs";

/** How long an import of 1,200 customers may take on a slow, loaded machine. */
const IMPORT_TIMEOUT_MS = 120_000;

/** @type {import("./server.mjs").Server} */
let server;
/** @type {import("./browser.mjs").Browser} */
let browser;
/** @type {string} */
let tmp;

before(async () => {
  server = await startServer({ name: "import" });
  browser = await launch();
  tmp = await mkdtemp(path.join(tmpdir(), "nb-admin-import-"));
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/**
 * Sets `file` on #file, submits, and waits for the status to say "Done."
 * @param {import("./browser.mjs").Page} page
 * @param {string} file
 */
async function upload(page, file) {
  await page.locator("#file").setInputFiles(file);
  await page.getByRole("button", { name: "Import the file", exact: true }).click();
  const status = page.locator("#import-status");
  await status.filter({ hasText: /^(Done\.|Stopped|The import was refused|The connection failed)/ }).waitFor({ timeout: IMPORT_TIMEOUT_MS });
  return status.innerText();
}

test("import a Stripe file of 1,200 customers (3 batches), then again: all skipped", { timeout: 3 * IMPORT_TIMEOUT_MS }, async () => {
  const file = path.join(tmp, "customers.json");
  const customers = stripeExport("file", 1200);
  // Stripe's list object, as its export has it.
  await writeFile(file, JSON.stringify({ object: "list", data: customers, has_more: false }));

  const { context, page, errors } = await openPage(browser, server.url);
  await signIn(page, server.key);
  await Promise.all([page.waitForURL("**/admin/import"), page.getByRole("link", { name: "Import from Stripe" }).click()]);
  await page.getByRole("heading", { name: "Import customers from Stripe" }).waitFor();
  await record(page, "20-import");

  const answered = page.waitForResponse((r) => r.url().endsWith("/admin/import/batch"), { timeout: IMPORT_TIMEOUT_MS });
  const done = await upload(page, file);
  assert.equal((await answered).status(), 200);
  assert.equal(done, "Done. 1200 of 1200 customers imported: 1200 created, 0 skipped.");
  // Sent in batches of 500: each import call is an event with its counts.
  const events = await must(server, 200, "GET", "/api/events?type=customers.imported&limit=100");
  assert.deepEqual(
    events.data.map((/** @type {any} */ e) => e.data.created).sort((/** @type {number} */ a, /** @type {number} */ b) => a - b),
    [200, 500, 500],
    "the file was not sent in batches of 500",
  );
  assert.equal(await page.locator("#import-bar").getAttribute("max"), "1200");
  assert.equal(await page.locator("#import-bar").evaluate((b) => /** @type {HTMLProgressElement} */ (b).value), 1200);
  const unresolved = await must(server, 200, "GET", "/api/customers/unresolved?limit=1");
  assert.equal(unresolved.meta.total, 1200);
  const one = await must(server, 200, "GET", `/api/customers?search=${encodeURIComponent(customers[41].email)}`);
  assert.equal(one.data.length, 1);
  assert.equal(one.data[0].stripeCustomerId, customers[41].id);
  assert.equal(one.data[0].externalId, null);
  await record(page, "21-import-done");

  // The same file again: nothing new.
  await page.reload();
  const again = await upload(page, file);
  assert.equal(again, "Done. 1200 of 1200 customers imported: 0 created, 1200 skipped.");
  assert.equal((await must(server, 200, "GET", "/api/customers?limit=1")).meta.total, 1200);
  await record(page, "22-import-again");

  // Pasted: two new ones and one already there. With scripts on, the text
  // goes through the same streaming import as a file (the form's own POST,
  // without scripts, is tested in server/tests/admin.rs).
  const pasted = [...stripeExport("paste", 2), customers[0]];
  const status = page.locator("#import-status");
  await page.getByLabel("Export (JSON)").fill(JSON.stringify(pasted));
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await status.filter({ hasText: /^Done\./ }).waitFor({ timeout: IMPORT_TIMEOUT_MS });
  assert.equal(await status.innerText(), "Done. 3 of 3 customers imported: 2 created, 1 skipped.");
  assert.equal((await must(server, 200, "GET", "/api/customers?limit=1")).meta.total, 1202);

  // Not an export: said so, the text kept.
  await page.getByLabel("Export (JSON)").fill('{"nope": true}');
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await status.filter({ hasText: "must be a JSON array of Stripe customers" }).waitFor();
  assert.equal(await page.getByLabel("Export (JSON)").inputValue(), '{"nope": true}');
  assertNoConsoleErrors(errors, [/status of 400/]);
  await context.close();
});

test("bind: an unresolved customer gets a user id from the unresolved list and leaves it", { timeout: 120_000 }, async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  await signIn(page, server.key);
  await Promise.all([
    page.waitForURL((u) => u.searchParams.get("unresolved") === "1"),
    page.getByRole("link", { name: "Unresolved only" }).click(),
  ]);
  await page.getByRole("heading", { name: "Unresolved customers", level: 1 }).waitFor();
  const total = (await must(server, 200, "GET", "/api/customers/unresolved?limit=1")).meta.total;
  assert.equal(await page.locator("#count").innerText(), `${total.toLocaleString("en-US")} customers · page 1 of ${Math.ceil(total / 20)}`);
  await record(page, "23-unresolved");

  // The newest first: bind the second row's customer.
  const email = (await page.locator("table tbody tr").nth(1).locator("td").nth(1).innerText()).trim();
  const cust = (await must(server, 200, "GET", `/api/customers?search=${encodeURIComponent(email)}`)).data[0];
  assert.equal(cust.externalId, null);
  const userId = `usr_bound_${Date.now().toString(36)}`;
  await page.getByLabel(`User id for ${email}`, { exact: true }).fill(userId);
  const form = page.locator("form.bind").filter({ has: page.getByLabel(`User id for ${email}`, { exact: true }) });
  await Promise.all([
    page.waitForURL("**/admin/customers?unresolved=1&notice=bound"),
    form.getByRole("button", { name: `Bind ${email}`, exact: true }).click(),
  ]);
  await page.getByRole("status").filter({ hasText: "Bound." }).waitFor();
  assert.equal(await page.locator("#count").innerText(), `${(total - 1).toLocaleString("en-US")} customers · page 1 of ${Math.ceil((total - 1) / 20)}`);
  assert.equal(await page.getByText(email, { exact: true }).count(), 0, "the bound customer is still listed");
  assert.equal(await page.getByLabel(`User id for ${email}`, { exact: true }).count(), 0);
  await record(page, "24-bound");

  const now = await must(server, 200, "GET", `/api/customers/${cust.id}`);
  assert.equal(now.externalId, userId);
  // The customer's own page shows the user id and offers no binding.
  await page.goto(`/admin/customers/${cust.id}`);
  assert.equal(await page.locator('dl.fields dt:text-is("User id") + dd').innerText(), userId);
  assert.equal(await page.getByRole("button", { name: "Bind", exact: true }).count(), 0);

  // One more, from the customer's own page.
  const other = (await must(server, 200, "GET", "/api/customers/unresolved?limit=1")).data[0];
  await page.goto(`/admin/customers/${other.id}`);
  await page.getByLabel("User id", { exact: true }).fill(`${userId}_2`);
  await Promise.all([
    page.waitForURL(`**/admin/customers/${other.id}?notice=bound`),
    page.getByRole("button", { name: "Bind", exact: true }).click(),
  ]);
  await page.getByRole("status").filter({ hasText: "Bound." }).waitFor();
  assert.equal((await must(server, 200, "GET", `/api/customers/${other.id}`)).externalId, `${userId}_2`);
  assertNoConsoleErrors(errors);
  await context.close();
});
