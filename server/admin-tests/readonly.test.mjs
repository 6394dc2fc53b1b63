// @ts-check
// A read-only session (a restricted key holding only customers:read): the
// page offers nothing that changes anything, and a forged write (no CSRF
// token, a wrong one, another site's, or the right one with this key) is
// refused and changes nothing, as the API shows.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, must, stripeExport } from "./server.mjs";
import { launch, openPage, record, signIn, csrfOf, assertNoConsoleErrors } from "./browser.mjs";

/** @type {import("./server.mjs").Server} */
let server;
/** @type {import("./browser.mjs").Browser} */
let browser;
/** The customers:read key. */
let readOnly = "";
/** A customer with a user id, and one imported from Stripe without. */
/** @type {any} */
let bound;
/** @type {any} */
let unresolved;

before(async () => {
  server = await startServer({ name: "readonly" });
  bound = await must(server, 201, "POST", "/api/customers", {
    externalId: "usr_ro_1",
    email: "reader@example.com",
    name: "Read Only Target",
    country: "NL",
    currency: "EUR",
  });
  await must(server, 200, "POST", "/api/customers/import/stripe", stripeExport("ro", 3));
  unresolved = (await must(server, 200, "GET", "/api/customers/unresolved?limit=1")).data[0];
  const key = await must(server, 201, "POST", "/api/keys", { scopes: ["customers:read"], name: "read only" });
  readOnly = key.secret;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/**
 * Fails when the page has any control that changes something: a form that
 * posts (but Sign out), a file input, a textarea, a Save/Bind/Delete/Import/
 * Revoke/Create button, or a link to the delete, import, keys or webhooks pages.
 * @param {import("./browser.mjs").Page} page
 * @param {string} what
 */
async function assertNoWriteControls(page, what) {
  const found = await page.evaluate(() => {
    const out = [];
    for (const f of document.querySelectorAll("form")) {
      if ((f.getAttribute("method") ?? "get").toLowerCase() === "post" && !f.action.endsWith("/signout")) out.push(`form ${f.action}`);
    }
    if (document.getElementById("import-file")) out.push("the file import form");
    for (const el of document.querySelectorAll("input[type=file], textarea")) out.push(`${el.tagName.toLowerCase()} #${el.id}`);
    for (const b of document.querySelectorAll("button")) {
      const t = (b.textContent ?? "").trim();
      if (/^(Save|Bind|Delete|Import|Replace|Revoke|Create|Redeliver)/i.test(t)) out.push(`button "${t}"`);
    }
    for (const a of document.querySelectorAll("a[href]:not([href^='#'])")) {
      const href = /** @type {HTMLAnchorElement} */ (a).pathname;
      if (/\/(delete|import|keys|webhooks)$/.test(href)) out.push(`link "${(a.textContent ?? "").trim()}" to ${href}`);
    }
    return out;
  });
  assert.deepEqual(found, [], `a read-only session sees write controls on ${what}:\n${found.join("\n")}`);
}

test("read-only key: the page shows no Save, Bind, Delete, Import or Keys controls", { timeout: 120_000 }, async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  await signIn(page, readOnly);
  assert.equal(new URL(page.url()).pathname, "/admin/customers");
  assert.match(await page.locator(".who").innerText(), /read only · rk_live_…/);
  // The sections it can use: the customers only.
  assert.deepEqual(await page.getByRole("navigation", { name: "Sections" }).getByRole("link").allInnerTexts(), ["Customers", "Unresolved"]);
  assert.equal(await page.locator("#count").innerText(), "4 customers · page 1 of 1");
  await assertNoWriteControls(page, "the customers");
  await record(page, "40-readonly-customers");

  await page.getByRole("link", { name: "Unresolved only" }).click();
  await page.waitForURL((u) => u.searchParams.get("unresolved") === "1");
  assert.equal(await page.locator("#count").innerText(), "3 customers · page 1 of 1");
  // Each unresolved customer is marked so, with no Bind form.
  assert.equal(await page.locator("table tbody .badge", { hasText: "unresolved" }).count(), 3);
  await assertNoWriteControls(page, "the unresolved customers");
  await record(page, "41-readonly-unresolved");

  for (const c of [unresolved, bound]) {
    await page.goto(`/admin/customers/${c.id}`);
    await page.getByRole("heading", { name: c.name, level: 1 }).waitFor();
    await assertNoWriteControls(page, `the customer ${c.id}`);
  }
  await record(page, "42-readonly-customer");

  // The sections it cannot use say so.
  for (const section of ["keys", "webhooks"]) {
    const r = await page.goto(`/admin/${section}`);
    assert.equal(r?.status(), 403);
    await page.getByRole("heading", { name: "This key may not do that", level: 1 }).waitFor();
    await assertNoWriteControls(page, `/admin/${section}`);
  }
  await record(page, "43-readonly-refused");
  assertNoConsoleErrors(errors, [/status of 403/]);
  await context.close();
});

// Pages that exist only for a write answer 403 to a key without its scope.
for (const { what, path } of [
  { what: "the import page", path: () => "/admin/import" },
  { what: "a customer's delete page", path: () => `/admin/customers/${bound.id}/delete` },
]) {
  test(`read-only key: ${what}, opened by its URL, offers no controls`, { timeout: 120_000 }, async () => {
    const { context, page } = await openPage(browser, server.url);
    await signIn(page, readOnly);
    await page.goto(path());
    await assertNoWriteControls(page, what);
    await context.close();
  });
}

test("forged writes with the read-only session are refused and change nothing", { timeout: 120_000 }, async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  await signIn(page, readOnly);
  await page.goto(`/admin/customers/${bound.id}`);
  const token = await csrfOf(page);
  const etag = (await server.api("GET", `/api/customers/${bound.id}`)).headers.get("etag") ?? "";
  const edit = {
    etag,
    was_name: bound.name,
    was_email: bound.email,
    was_country: bound.country,
    was_currency: bound.currency,
    was_status: bound.status,
    name: "Forged Name",
    email: bound.email,
    country: bound.country,
    currency: bound.currency,
    status: bound.status,
  };
  const to = `/admin/customers/${bound.id}`;
  /** @param {Record<string, string>} form @param {Record<string, string>} [headers] */
  const post = (form, headers = {}) => page.request.post(to, { form, headers, maxRedirects: 0 });

  // No token, a wrong one: refused before anything is asked of the API.
  for (const form of [edit, { ...edit, _csrf: "0".repeat(64) }, { ...edit, _csrf: token.slice(0, -1) }]) {
    const r = await post(form);
    assert.equal(r.status(), 403);
    assert.match(await r.text(), /<h1>Refused<\/h1>/);
    assert.match(r.headers()["content-security-policy"] ?? "", /default-src 'none'/);
  }
  // The right token sent from another site (as a browser says it): refused too.
  const cross = await post({ ...edit, _csrf: token }, { "sec-fetch-site": "cross-site" });
  assert.equal(cross.status(), 403);
  assert.match(await cross.text(), /<h1>Refused<\/h1>/);

  // The right token: the form passes, and the API refuses the key.
  const scoped = await post({ ...edit, _csrf: token });
  assert.equal(scoped.status(), 403);
  assert.match(await scoped.text(), /customers:write/);
  // Delete, bind and import with the right token: refused by the API too.
  const del = await page.request.post(`${to}/delete`, { form: { _csrf: token }, maxRedirects: 0 });
  assert.equal(del.status(), 403);
  const bind = await page.request.post(`/admin/customers/${unresolved.id}/bind`, {
    form: { _csrf: token, external_id: "usr_forged", from: "unresolved" },
    maxRedirects: 0,
  });
  assert.equal(bind.status(), 403);
  const imp = await page.request.post("/admin/import/batch", {
    data: JSON.stringify(stripeExport("forged", 2)),
    headers: { "content-type": "application/json", "x-csrf-token": token },
    maxRedirects: 0,
  });
  assert.match(await imp.text(), /customers:import/);

  // The same with fetch and the session's cookie, from outside the browser.
  const cookie = (await context.cookies()).find((c) => c.name === "nb_admin");
  assert.ok(cookie);
  const fetched = await fetch(server.url + to, {
    method: "POST",
    headers: { cookie: `nb_admin=${cookie.value}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(edit),
    redirect: "manual",
  });
  assert.equal(fetched.status, 403);
  assert.match(await fetched.text(), /<h1>Refused<\/h1>/);

  // Nothing changed.
  const now = await must(server, 200, "GET", `/api/customers/${bound.id}`);
  assert.equal(now.name, bound.name);
  assert.equal(now.updatedAt, bound.updatedAt);
  assert.equal((await server.api("GET", `/api/customers/${bound.id}`)).headers.get("etag"), etag);
  const still = await must(server, 200, "GET", `/api/customers/${unresolved.id}`);
  assert.equal(still.externalId, null);
  assert.equal((await must(server, 200, "GET", "/api/customers?limit=1")).meta.total, 4);
  assertNoConsoleErrors(errors);
  await context.close();
});
