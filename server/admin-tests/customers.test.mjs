// @ts-check
// The customers: search (debounced, "/" focuses it), filters kept in the URL,
// pages, one customer's page (markup in a name stays text), editing when
// someone else changed the customer meanwhile (the conflict, then a save that
// goes through), and the delete confirmation.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, seedCustomers, must } from "./server.mjs";
import { launch, openPage, record, signIn, assertNoConsoleErrors } from "./browser.mjs";

/** @type {import("./server.mjs").Server} */
let server;
/** @type {import("./browser.mjs").Browser} */
let browser;
/** @type {any[]} */
let seeded;

/** A name that is markup: shown as text, never run (escaped, and the CSP allows no inline script). */
const MARKUP = { externalId: "usr_markup", email: "eve@example.net", name: `<img src=x onerror="document.title='pwned'">Eve` };

/** Three customers the search finds, and nothing else does. */
const QUARTZ = [
  { externalId: "usr_quartz_1", email: "ada@quartz.example", name: "Ada Quartz", country: "GB", currency: "GBP" },
  { externalId: "usr_quartz_2", email: "quartz-billing@example.com", name: "Grace Hopper", country: "US", currency: "USD" },
  { externalId: "usr_quartz_3", email: "linus@example.org", name: "Linus Quartzberg", country: "FI", currency: "EUR" },
];

before(async () => {
  server = await startServer({ name: "customers" });
  seeded = await seedCustomers(server, 45);
  for (const c of QUARTZ) await must(server, 201, "POST", "/api/customers", c);
  await must(server, 201, "POST", "/api/customers", MARKUP);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The table's rows, each as its cells' text. */
async function rows(/** @type {import("./browser.mjs").Page} */ page) {
  return page.locator("table tbody tr").evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => (td.textContent ?? "").trim())),
  );
}

/** @param {number} n */
const thousands = (n) => n.toLocaleString("en-US");

test("search: typing in #q submits once, 300 ms after the last keystroke; / focuses it", { timeout: 120_000 }, async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  // The page's timers run only when the test says: the debounce is checked
  // to the millisecond however slow the machine is.
  await page.clock.install({ time: Date.parse("2030-01-01T00:00:00Z") });
  await page.clock.pauseAt(Date.parse("2030-01-01T00:00:01Z"));
  await signIn(page, server.key);
  assert.equal(new URL(page.url()).pathname, "/admin/customers");

  // "/" anywhere but in a field focuses the search.
  await page.getByRole("heading", { name: "Customers", level: 1 }).click();
  assert.notEqual(await page.evaluate(() => document.activeElement?.id), "q");
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "q");
  assert.equal(await page.locator("#q").inputValue(), "", "the / was typed into the search");

  /** Counts the search form's submissions on this page. */
  const countSubmits = () =>
    page.evaluate(() => {
      const w = /** @type {any} */ (window);
      w.submits = 0;
      document.getElementById("filters")?.addEventListener("submit", () => w.submits++);
    });
  const submits = () => page.evaluate(() => /** @type {any} */ (window).submits);

  /**
   * Runs `typing` on the focused search and checks that nothing is submitted
   * until 300 ms (of the page's clock) after the last key, and then q=`expected` is.
   * @param {() => Promise<void>} typing
   * @param {string} expected
   */
  const search = async (typing, expected) => {
    await countSubmits();
    await typing();
    assert.equal(await submits(), 0, "submitted before the debounce");
    await page.clock.runFor(299);
    assert.equal(await submits(), 0, "submitted before 300 ms");
    await Promise.all([page.waitForURL((u) => u.searchParams.get("q") === expected), page.clock.runFor(1)]);
  };

  await search(() => page.keyboard.type("quartz"), "quartz");
  // Name, email or user id: the three quartz customers, nobody else.
  assert.equal(await page.locator("#count").innerText(), "3 customers · page 1 of 1");
  const found = await rows(page);
  assert.equal(found.length, 3);
  for (const r of found) assert.match(r.slice(0, 3).join(" ").toLowerCase(), /quartz/);
  assert.deepEqual(found.map((r) => r[0]).sort(), ["Ada Quartz", "Grace Hopper", "Linus Quartzberg"]);
  // After the reload the search still has the focus, to go on typing.
  assert.equal(await page.evaluate(() => document.activeElement?.id), "q");
  assert.equal(await page.locator("#q").inputValue(), "quartz");

  // Narrower: only the name or email with "quartzb".
  await search(() => page.keyboard.type("b"), "quartzb");
  assert.equal(await page.locator("#count").innerText(), "1 customer · page 1 of 1");
  assert.equal((await rows(page))[0][0], "Linus Quartzberg");

  // A search that finds nothing says so.
  await search(() => page.locator("#q").fill("no-such-customer-anywhere"), "no-such-customer-anywhere");
  assert.equal(await page.locator("#count").innerText(), "0 customers");
  await page.getByText("No customers match.").waitFor();
  assertNoConsoleErrors(errors);
  await context.close();

  // axe runs on timers: the pages again, on a real clock.
  const plain = await openPage(browser, server.url);
  await signIn(plain.page, server.key);
  await record(plain.page, "10-customers");
  await plain.page.goto("/admin/customers?q=quartz");
  await record(plain.page, "11-search");
  assertNoConsoleErrors(plain.errors);
  await plain.context.close();
});

test("filters: country (typed) and status, applied with Apply, stay in the URL", { timeout: 120_000 }, async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  await signIn(page, server.key);

  await page.getByLabel("Country").fill("JP");
  await Promise.all([page.waitForURL((u) => u.searchParams.get("country") === "JP"), page.getByRole("button", { name: "Apply", exact: true }).click()]);
  const jp = await must(server, 200, "GET", "/api/customers?country=JP&limit=100");
  assert.equal(jp.meta.total, 15);
  assert.equal(await page.locator("#count").innerText(), `${jp.meta.total} customers · page 1 of 1`);
  for (const r of await rows(page)) assert.equal(r[3], "JP");

  // The status select submits on change; the country stays.
  await page.getByLabel("Status").selectOption("inactive");
  await Promise.all([page.waitForURL((u) => u.searchParams.get("status") === "inactive"), page.getByRole("button", { name: "Apply", exact: true }).click()]);
  let url = new URL(page.url());
  assert.equal(url.searchParams.get("country"), "JP");
  const jpInactive = await must(server, 200, "GET", "/api/customers?country=JP&status=inactive&limit=100");
  assert.equal(jpInactive.meta.total, 3);
  assert.equal(await page.locator("#count").innerText(), "3 customers · page 1 of 1");
  const shown = await rows(page);
  assert.equal(shown.length, 3);
  for (const r of shown) {
    assert.equal(r[3], "JP");
    assert.equal(r[5], "inactive");
  }
  assert.deepEqual(shown.map((r) => r[1]).sort(), jpInactive.data.map((/** @type {any} */ c) => c.email).sort());
  // The form shows the view it is.
  assert.equal(await page.getByLabel("Country").inputValue(), "JP");
  assert.equal(await page.getByLabel("Status").inputValue(), "inactive");

  // Sorting too, by name from A, all filters kept.
  await page.getByLabel("Sort by").selectOption("name");
  await page.getByLabel("Order").selectOption("asc");
  await Promise.all([page.waitForURL((u) => u.searchParams.get("order") === "asc"), page.getByRole("button", { name: "Apply", exact: true }).click()]);
  url = new URL(page.url());
  assert.deepEqual(
    [url.searchParams.get("country"), url.searchParams.get("status"), url.searchParams.get("sort"), url.searchParams.get("order")],
    ["JP", "inactive", "name", "asc"],
  );
  const names = (await rows(page)).map((r) => r[0]);
  assert.deepEqual(names, [...names].sort());
  await record(page, "12-filtered");

  // The view is a URL: opening it afresh shows the same.
  await page.goto(url.pathname + url.search);
  assert.equal(await page.locator("#count").innerText(), "3 customers · page 1 of 1");
  assert.equal(await page.getByLabel("Sort by").inputValue(), "name");
  assertNoConsoleErrors(errors);
  await context.close();
});

test("pages: 49 customers are 3 pages of 20; next, previous and the page number form", { timeout: 120_000 }, async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  await signIn(page, server.key);
  const all = await must(server, 200, "GET", "/api/customers");
  assert.equal(all.meta.total, 49);
  const pages = Math.ceil(all.meta.total / 20);
  assert.equal(await page.locator("#count").innerText(), `${thousands(all.meta.total)} customers · page 1 of ${pages}`);
  assert.equal((await rows(page)).length, 20);
  assert.equal(await page.locator("a[rel=prev]").count(), 0);
  const first = (await rows(page)).map((r) => r[1]);

  await Promise.all([page.waitForURL((u) => u.searchParams.get("page") === "2"), page.locator("a[rel=next]").click()]);
  assert.equal(await page.locator("#count").innerText(), `${thousands(all.meta.total)} customers · page 2 of ${pages}`);
  const second = (await rows(page)).map((r) => r[1]);
  assert.equal(second.length, 20);
  assert.equal(second.filter((e) => first.includes(e)).length, 0, "page 2 repeats customers of page 1");
  await record(page, "13-page-2");

  // The last page by its number.
  await page.getByLabel("Page", { exact: true }).fill(String(pages));
  await Promise.all([page.waitForURL((u) => u.searchParams.get("page") === String(pages)), page.getByRole("button", { name: "Go", exact: true }).click()]);
  assert.equal(await page.locator("#count").innerText(), `${thousands(all.meta.total)} customers · page ${pages} of ${pages}`);
  assert.equal((await rows(page)).length, all.meta.total - 20 * (pages - 1));
  assert.equal(await page.locator("a[rel=next]").count(), 0);

  await Promise.all([page.waitForURL((u) => u.searchParams.get("page") === String(pages - 1)), page.locator("a[rel=prev]").click()]);
  assert.deepEqual((await rows(page)).map((r) => r[1]), second);

  // More per page: one page holds them all.
  await page.getByLabel("Per page").selectOption("50");
  await Promise.all([page.waitForURL((u) => u.searchParams.get("limit") === "50"), page.getByRole("button", { name: "Apply", exact: true }).click()]);
  assert.equal(new URL(page.url()).searchParams.get("page"), null, "a new view starts at page 1");
  assert.equal(await page.locator("#count").innerText(), `${thousands(all.meta.total)} customers · page 1 of 1`);
  assertNoConsoleErrors(errors);
  await context.close();
});

test("a customer: its page shows the email and user id; delete asks first", { timeout: 120_000 }, async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  await signIn(page, server.key);
  const c = seeded[6];
  await page.locator("#q").fill(c.email);
  await page.waitForURL((u) => u.searchParams.get("q") === c.email);
  await Promise.all([page.waitForURL(`**/admin/customers/${c.id}`), page.getByRole("link", { name: c.name }).click()]);

  await page.getByRole("heading", { name: c.name, level: 1 }).waitFor();
  /** The definition list's value for a term. */
  const field = (/** @type {string} */ term) => page.locator(`dl.fields dt:text-is("${term}") + dd`).innerText();
  assert.equal(await field("Email"), c.email);
  assert.equal(await field("User id"), c.externalId);
  assert.match(await field("Id"), new RegExp(`^${c.id}\\b`));
  assert.equal(await field("Country"), c.country);
  assert.equal(await field("Version (ETag)"), (await server.api("GET", `/api/customers/${c.id}`)).headers.get("etag"));
  // A customer with a user id has nothing to bind.
  assert.equal(await page.getByRole("button", { name: "Bind", exact: true }).count(), 0);
  // The terminal equivalent opens.
  await page.getByText("Same from a terminal").first().click();
  await page.getByText(`novabilling customers get ${c.id}`).waitFor();
  await record(page, "14-customer");

  await Promise.all([page.waitForURL(`**/admin/customers/${c.id}/delete`), page.getByRole("link", { name: "Delete this customer…" }).click()]);
  await page.getByRole("heading", { name: `Delete ${c.name}?` }).waitFor();
  await page.getByText("It cannot be undone.").waitFor();
  await record(page, "15-delete-confirm");
  // Keep it.
  await Promise.all([page.waitForURL(`**/admin/customers/${c.id}`), page.getByRole("link", { name: "Keep it" }).click()]);
  await must(server, 200, "GET", `/api/customers/${c.id}`);

  // Markup in a name is text, in the list and on its page.
  await page.goto(`/admin/customers?q=${encodeURIComponent(MARKUP.email)}`);
  assert.equal(await page.locator("table tbody tr td a").first().innerText(), MARKUP.name);
  await page.getByRole("link", { name: MARKUP.name }).click();
  await page.waitForURL(/\/admin\/customers\/cust_/);
  assert.equal(await page.getByRole("heading", { level: 1 }).innerText(), MARKUP.name);
  assert.equal(await page.locator("main img").count(), 0);
  assert.match(await page.title(), /^<img src=x/);

  // Delete another for real.
  const gone = seeded[7];
  await page.goto(`/admin/customers/${gone.id}/delete`);
  await Promise.all([
    page.waitForURL("**/admin/customers?notice=deleted"),
    page.getByRole("button", { name: "Delete the customer", exact: true }).click(),
  ]);
  await page.getByRole("status").filter({ hasText: "The customer was deleted" }).waitFor();
  assert.equal((await server.api("GET", `/api/customers/${gone.id}`)).status, 404);
  assertNoConsoleErrors(errors);
  await context.close();
});

test("edit: someone else's change meanwhile is a conflict showing both values; saving again goes through", { timeout: 120_000 }, async () => {
  const { context, page, errors } = await openPage(browser, server.url);
  await signIn(page, server.key);
  const c = seeded[10];
  await page.goto(`/admin/customers/${c.id}`);
  const name = page.getByLabel("Name", { exact: true });
  assert.equal(await name.inputValue(), c.name);
  await name.fill("Mine Not Theirs");

  // Meanwhile, through the API: another name, and a country.
  const theirs = await must(server, 200, "PATCH", `/api/customers/${c.id}`, { name: "Theirs Meanwhile", country: "IT" });

  const [conflict] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/admin/customers/${c.id}`) && r.request().method() === "POST"),
    page.getByRole("button", { name: "Save", exact: true }).click(),
  ]);
  assert.equal(conflict.status(), 409);
  await page.waitForLoadState();
  await page.getByRole("alert").filter({ hasText: "Someone changed this customer" }).waitFor();
  const table = page.locator("section.conflict table");
  assert.deepEqual(
    await table.locator("thead th").allInnerTexts(),
    ["Field", "Yours (not saved)", "Current"],
  );
  const clashes = await table.locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.children, (td) => (td.textContent ?? "").trim())),
  );
  assert.deepEqual(clashes, [
    ["name", "Mine Not Theirs", "Theirs Meanwhile"],
    ["country", c.country, "IT"],
  ]);
  // Nothing was saved; the form now holds the current values.
  assert.equal((await must(server, 200, "GET", `/api/customers/${c.id}`)).name, "Theirs Meanwhile");
  assert.equal(await name.inputValue(), "Theirs Meanwhile");
  assert.equal(await page.getByLabel("Country").inputValue(), "IT");
  await record(page, "16-edit-conflict");
  assertNoConsoleErrors(errors, [/status of 409/]);

  // Take my name again, keep their country: saved.
  await name.fill("Mine Not Theirs");
  await Promise.all([page.waitForURL(`**/admin/customers/${c.id}?notice=saved`), page.getByRole("button", { name: "Save", exact: true }).click()]);
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  const now = await must(server, 200, "GET", `/api/customers/${c.id}`);
  assert.equal(now.name, "Mine Not Theirs");
  assert.equal(now.country, "IT");
  assert.equal(now.email, theirs.email);
  assert.equal(await page.getByRole("heading", { level: 1 }).innerText(), "Mine Not Theirs");
  await record(page, "17-edit-saved");
  assertNoConsoleErrors(errors);
  await context.close();
});

test(
  "edit: after a conflict, clearing a field and saving clears it",
  { timeout: 120_000 },
  async () => {
    const { context, page } = await openPage(browser, server.url);
    await signIn(page, server.key);
    const c = seeded[12];
    await page.goto(`/admin/customers/${c.id}`);
    await page.getByLabel("Name", { exact: true }).fill("Mine Again");
    await must(server, 200, "PATCH", `/api/customers/${c.id}`, { name: "Theirs Again" });
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "Someone changed this customer" }).waitFor();
    await page.getByLabel("Country").fill("");
    await Promise.all([page.waitForURL(`**/admin/customers/${c.id}?notice=saved`), page.getByRole("button", { name: "Save", exact: true }).click()]);
    assert.equal((await must(server, 200, "GET", `/api/customers/${c.id}`)).country, null, "the page said Saved. but the country is still set");
    await context.close();
  },
);
