// @ts-check
// Signing in and out: a wrong key is refused with an error the field points
// at, the right one lands on the customers; the session cookie is HttpOnly and
// SameSite=Strict, every page has a Content-Security-Policy, and signing out
// clears the cookie so the customers send you back to the sign-in page.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, seedCustomers } from "./server.mjs";
import { launch, openPage, record, assertNoConsoleErrors } from "./browser.mjs";

/** @type {import("./server.mjs").Server} */
let server;
/** @type {import("./browser.mjs").Browser} */
let browser;

before(async () => {
  server = await startServer({ name: "signin" });
  await seedCustomers(server, 3);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("sign in: a wrong key is refused, the right one lands on the customers; sign out", { timeout: 180_000 }, async () => {
  const { context, page, errors } = await openPage(browser, server.url);

  // Not signed in: the customers send you to the sign-in page.
  await page.goto("/admin/customers");
  assert.equal(new URL(page.url()).pathname, "/admin/signin");
  assertNoConsoleErrors(errors);
  const signin = await page.goto("/admin/signin");
  assert.ok(signin);
  assert.match(signin.headers()["content-security-policy"] ?? "", /default-src 'none'/);
  assert.match(signin.headers()["content-security-policy"] ?? "", /script-src 'self'/);
  await assert.doesNotReject(page.getByRole("heading", { name: "NovaBilling admin" }).waitFor());
  await record(page, "01-signin");

  // A key whose checksum is wrong (its last character changed).
  const last = server.key.at(-1) === "A" ? "B" : "A";
  const wrong = server.key.slice(0, -1) + last;
  await page.getByLabel("API key").fill(wrong);
  const [refused] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/admin/signin") && r.request().method() === "POST"),
    page.getByRole("button", { name: "Sign in", exact: true }).click(),
  ]);
  assert.equal(refused.status(), 401);
  await page.waitForLoadState();
  const error = page.getByRole("alert");
  await error.waitFor();
  assert.match(await error.innerText(), /checksum does not match/);
  // The field says it is wrong and points at the message.
  const field = page.getByLabel("API key");
  assert.equal(await field.getAttribute("aria-invalid"), "true");
  assert.match((await field.getAttribute("aria-describedby")) ?? "", /signin-error/);
  assert.deepEqual(await context.cookies(), []);
  await record(page, "02-signin-wrong-key");
  // The 401 page itself is logged by Chromium as a failed load; nothing else may be.
  assertNoConsoleErrors(errors, [/status of 401/]);

  // A well-formed key the server does not know.
  await page.getByLabel("API key").fill("sk_live_" + "a".repeat(38));
  const [unknown] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/admin/signin") && r.request().method() === "POST"),
    page.getByRole("button", { name: "Sign in", exact: true }).click(),
  ]);
  assert.equal(unknown.status(), 401);
  await page.waitForLoadState();
  assert.match(await page.getByRole("alert").innerText(), /not an API key|No such API key|checksum/);
  assertNoConsoleErrors(errors, [/status of 401/]);

  // The right key.
  await page.getByLabel("API key").fill(server.key);
  await Promise.all([page.waitForURL("**/admin/customers"), page.getByRole("button", { name: "Sign in", exact: true }).click()]);
  await page.getByRole("heading", { name: "Customers", level: 1 }).waitFor();
  assert.match(await page.locator("#count").innerText(), /^3 customers · page 1 of 1$/);
  // The key is in the page nowhere (only its prefix and last four).
  assert.ok(!(await page.content()).includes(server.key), "the page shows the key");

  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === "nb_admin");
  assert.ok(session, `no session cookie in ${JSON.stringify(cookies)}`);
  assert.equal(session.httpOnly, true, "the session cookie is not HttpOnly");
  assert.equal(session.sameSite, "Strict", "the session cookie is not SameSite=Strict");
  assert.equal(session.path, "/admin");
  // Scripts cannot read it.
  assert.equal(await page.evaluate(() => document.cookie), "");

  const customers = await page.reload();
  assert.ok(customers);
  assert.match(customers.headers()["content-security-policy"] ?? "", /default-src 'none'/);
  assert.equal(customers.headers()["cache-control"], "no-store");
  assertNoConsoleErrors(errors);

  // Sign out.
  await Promise.all([page.waitForURL("**/admin/signin?notice=signedout"), page.getByRole("button", { name: "Sign out", exact: true }).click()]);
  await page.getByRole("status").filter({ hasText: "Signed out." }).waitFor();
  assert.equal((await context.cookies()).find((c) => c.name === "nb_admin"), undefined, "the cookie is still there");
  await record(page, "03-signed-out");

  await page.goto("/admin/customers");
  assert.equal(new URL(page.url()).pathname, "/admin/signin");
  assertNoConsoleErrors(errors);
  await context.close();
});
