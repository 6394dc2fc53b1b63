// @ts-check
// The browser side: the system's Chromium driven by playwright-core (no
// browser is downloaded), a page that records console errors, axe checks and
// full-page screenshots. Knows nothing about the server beyond its URL.

import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import assert from "node:assert/strict";
import { REPO, dbKind } from "./server.mjs";

export const CHROMIUM = process.env.ADMIN_TEST_CHROMIUM || "/usr/bin/chromium";

/** Navigations and actions wait this long on a slow, loaded machine. */
export const NAV_TIMEOUT_MS = 30_000;

/** Where screenshots go: <repo>/target/admin-screenshots/<sqlite|postgres>/. */
export const SHOTS = path.join(REPO, "target", "admin-screenshots", dbKind());

/** @typedef {import("playwright-core").Browser} Browser */
/** @typedef {import("playwright-core").BrowserContext} BrowserContext */
/** @typedef {import("playwright-core").Page} Page */

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--disable-dev-shm-usage", "--disable-gpu"],
    timeout: 60_000,
  });
}

/**
 * A page in a fresh context (its own cookies) that records what the console
 * says: `errors` holds every console error and uncaught exception, CSP
 * violations included.
 * @param {Browser} browser
 * @param {string} baseURL
 */
export async function openPage(browser, baseURL) {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(NAV_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(NAV_TIMEOUT_MS);
  const page = await context.newPage();
  /** @type {string[]} */
  const errors = [];
  page.on("console", (m) => {
    if (m.type() === "error") {
      errors.push(`console: ${m.text()} (${m.location().url})`);
    }
  });
  page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
  return { context, page, errors };
}

/**
 * Fails on any console error but those `expected` (Chromium logs a page
 * answered with an error status, such as the 409 of a conflict, as
 * "Failed to load resource: ... status of 409").
 * @param {string[]} errors
 * @param {RegExp[]} [expected]
 */
export function assertNoConsoleErrors(errors, expected = []) {
  const unexpected = errors.filter((e) => !expected.some((re) => re.test(e)));
  assert.deepEqual(unexpected, [], `the page logged errors:\n${unexpected.join("\n")}`);
  errors.length = 0;
}

/**
 * Runs axe (WCAG 2 A and AA) on the page as it is, and fails on any serious
 * or critical violation, printing each with the elements it names.
 * @param {Page} page
 * @param {string} what  the page's name, for the message
 */
export async function assertAccessible(page, what) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const minor = result.violations.filter((v) => !bad.includes(v));
  if (minor.length) console.log(`axe, ${what}: ${minor.length} minor or moderate: ${describe(minor)}`);
  if (bad.length) {
    const text = describe(bad);
    console.log(`axe, ${what} (${page.url()}):\n${text}`);
    assert.fail(`axe found ${bad.length} serious or critical violation(s) on ${what}:\n${text}`);
  }
}

/** @param {import("axe-core").Result[]} violations */
function describe(violations) {
  return violations
    .map(
      (v) =>
        `- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
        v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.html}\n      ${n.failureSummary?.replace(/\n/g, " ")}`).join("\n"),
    )
    .join("\n");
}

/**
 * A full-page PNG at SHOTS/<name>.png (name: `NN-what`).
 * @param {Page} page
 * @param {string} name
 */
export async function screenshot(page, name) {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * The usual visit: axe and a screenshot of the page as it is now.
 * @param {Page} page
 * @param {string} name  `NN-what`
 */
export async function record(page, name) {
  await assertAccessible(page, name);
  await screenshot(page, name);
}

/**
 * Signs in with `key` on the sign-in form and waits for the page it leads to.
 * @param {Page} page
 * @param {string} key
 */
export async function signIn(page, key) {
  await page.goto("/admin/signin");
  await page.getByLabel("API key").fill(key);
  await Promise.all([page.waitForURL((u) => !u.pathname.endsWith("/signin")), page.getByRole("button", { name: "Sign in", exact: true }).click()]);
}

/**
 * The session's CSRF token, as every form of the page carries it.
 * @param {Page} page
 */
export async function csrfOf(page) {
  const v = await page.locator("input[name=_csrf]").first().inputValue();
  assert.match(v, /^[0-9a-f]{64}$/);
  return v;
}
