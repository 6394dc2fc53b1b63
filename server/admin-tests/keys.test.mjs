// @ts-check
// Keys and webhooks: a restricted key made on the page is shown once, works
// with its scope only, and once revoked (after the confirmation) gets 401; the
// webhook endpoints and one endpoint's delivery log, with a redelivery, to a
// receiver on this machine.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { startServer, must } from "./server.mjs";
import { launch, openPage, record, signIn, assertNoConsoleErrors } from "./browser.mjs";

/** @type {import("./server.mjs").Server} */
let server;
/** @type {import("./browser.mjs").Browser} */
let browser;
/** The webhook receiver: answers 204 to every delivery, and counts them. */
const receiver = { server: createServer(), port: 0, deliveries: 0 };

before(async () => {
  receiver.server.on("request", (req, res) => {
    req.resume();
    req.on("end", () => {
      receiver.deliveries++;
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => receiver.server.listen(0, "127.0.0.1", () => resolve(undefined)));
  receiver.port = /** @type {import("node:net").AddressInfo} */ (receiver.server.address()).port;
  server = await startServer({ name: "keys", args: ["--webhook-allow-host", "127.0.0.1"] });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  receiver.server.closeAllConnections();
  await new Promise((resolve) => receiver.server.close(() => resolve(undefined)));
});

test("keys: a restricted key made on the page is shown once; revoked after the confirmation, it gets 401", { timeout: 120_000 }, async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  await signIn(page, server.key);
  await Promise.all([page.waitForURL("**/admin/keys"), page.getByRole("link", { name: "Keys", exact: true }).click()]);
  await page.getByRole("heading", { name: "API keys", level: 1 }).waitFor();

  const name = `browser test ${Date.now().toString(36)}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("checkbox", { name: "customers:read", exact: true }).check();
  const [created] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/admin/keys") && r.request().method() === "POST"),
    page.getByRole("button", { name: "Create the key", exact: true }).click(),
  ]);
  assert.equal(created.status(), 201);
  await page.waitForLoadState();
  const secret = (await page.locator("#minted-secret").innerText()).trim();
  assert.match(secret, /^rk_live_\w{38}$/);
  await page.getByText("Copy it now: it is shown this once.").waitFor();
  await record(page, "30-keys-minted");

  // It reads customers, and nothing more.
  assert.equal((await server.api("GET", "/api/customers", undefined, { key: secret })).status, 200);
  const write = await server.api("POST", "/api/customers", { externalId: "usr_x", email: "x@example.com" }, { key: secret });
  assert.equal(write.status, 403);
  assert.equal(write.body.requiredScope, "customers:write");

  // Shown once: the list shows its name, prefix and last four, never the secret.
  await page.goto("/admin/keys");
  assert.equal(await page.locator("#minted-secret").count(), 0);
  assert.ok(!(await page.content()).includes(secret), "the keys page shows the secret again");
  const row = page.locator("table tbody tr").filter({ hasText: name });
  assert.equal(await row.count(), 1);
  assert.match(await row.innerText(), new RegExp(`rk_live_…${secret.slice(-4)}`));
  assert.match(await row.innerText(), /customers:read/);

  // Revoke asks first; saying no changes nothing.
  /** @type {string[]} */
  const asked = [];
  let answer = false;
  page.on("dialog", (d) => {
    asked.push(`${d.type()}: ${d.message()}`);
    void (answer ? d.accept() : d.dismiss());
  });
  await row.getByRole("button", { name: /^Revoke / }).click();
  for (let i = 0; i < 100 && asked.length === 0; i++) await page.waitForTimeout(50);
  assert.equal(asked.length, 1, "no confirmation was asked");
  assert.match(asked[0], /^confirm: Revoke rk_live_…\w{4} \(browser test \w+\)\? Requests with it are refused at once\.$/);
  assert.equal(new URL(page.url()).search, "");
  assert.equal((await server.api("GET", "/api/customers", undefined, { key: secret })).status, 200);

  // Yes: revoked.
  answer = true;
  await Promise.all([page.waitForURL("**/admin/keys?notice=revoked"), row.getByRole("button", { name: /^Revoke / }).click()]);
  assert.equal(asked.length, 2);
  await page.getByRole("status").filter({ hasText: "The key was revoked." }).waitFor();
  assert.equal(await page.locator("table tbody tr").filter({ hasText: name }).count(), 0);
  await record(page, "31-keys-revoked");

  const refused = await server.api("GET", "/api/customers", undefined, { key: secret });
  assert.equal(refused.status, 401);
  assert.equal(refused.body.code, "revoked_api_key");
  // Nor can it sign in to the page.
  const other = await openPage(browser, server.url);
  await other.page.goto("/admin/signin");
  await other.page.getByLabel("API key").fill(secret);
  await other.page.getByRole("button", { name: "Sign in", exact: true }).click();
  await other.page.getByRole("alert").filter({ hasText: "revoked" }).waitFor();
  await other.context.close();
  assertNoConsoleErrors(errors);
  await context.close();
});

test("webhooks: the endpoints, one endpoint's delivery log, and a redelivery", { timeout: 120_000 }, async () => {
  const ep = await must(server, 201, "POST", "/api/webhook-endpoints", {
    url: `http://127.0.0.1:${receiver.port}/hook`,
    description: "browser test receiver",
  });
  await must(server, 201, "POST", "/api/customers", { externalId: "usr_hook_1", email: "hook@example.com", name: "Hook Test" });
  // The delivery runs in the background: wait until its attempt is logged.
  let log;
  for (let i = 0; i < 300; i++) {
    log = await must(server, 200, "GET", `/api/webhook-endpoints/${ep.id}/deliveries`);
    if (log.data.length > 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(log?.data.length, "nothing was delivered in 30 s");

  const { context, page, errors } = await openPage(browser, server.url);
  await signIn(page, server.key);
  await Promise.all([page.waitForURL("**/admin/webhooks"), page.getByRole("link", { name: "Webhooks", exact: true }).click()]);
  await page.getByRole("heading", { name: "Webhook endpoints", level: 1 }).waitFor();
  await page.getByText("browser test receiver").waitFor();
  await record(page, "32-webhooks");

  await Promise.all([page.waitForURL(`**/admin/webhooks/${ep.id}`), page.getByRole("link", { name: ep.url }).click()]);
  const first = page.locator("table tbody tr").first();
  assert.match(await first.innerText(), /HTTP 204/);
  await record(page, "33-webhook");

  const before = receiver.deliveries;
  await Promise.all([
    page.waitForURL(`**/admin/webhooks/${ep.id}?notice=redelivered`),
    first.getByRole("button", { name: /^Redeliver evt_/ }).click(),
  ]);
  await page.getByRole("status").filter({ hasText: "Queued for delivery again." }).waitFor();
  for (let i = 0; i < 300 && receiver.deliveries === before; i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(receiver.deliveries > before, "the redelivery did not arrive in 30 s");
  assertNoConsoleErrors(errors);
  await context.close();
  // Nothing left queued for a receiver that is about to stop (PostgreSQL keeps the tenant).
  await must(server, 200, "DELETE", `/api/webhook-endpoints/${ep.id}`);
});
