// Shared steps of the browser tests. Everything goes through the UI the way a person
// would use it; the stack helpers are only for setting up other users.
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";

import { expect as baseExpect, test as baseTest, type BrowserContext, type Page } from "@playwright/test";
import type { Session } from "@supabase/supabase-js";

import { SESSION_COOKIE_NAME } from "../../scripts/lib/session-cookie.ts";
import { PUBLISHABLE_KEY, SECRET_KEY, SUPABASE_URL, uniqueEmail } from "../support/stack";

/**
 * Playwright's expect with a longer wait: against `next dev` the first visit of a route
 * compiles it, which can take several seconds (against `next start` it is instant).
 */
export const expect = baseExpect.configure({ timeout: 15_000 });

/**
 * Resolves once React has hydrated the page in front of it (or at once for a page that is not
 * the app's, or with JavaScript off). Until then the server's HTML is on screen and clickable,
 * but a click on a button whose handler is JavaScript does nothing, and a form posts without
 * it: on a slow machine a test can act in that gap. React marks the nodes it has taken over
 * with a `__reactFiber$…` property; the app's pages carry `self.__next_f`, Next.js's payload.
 */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => !("__next_f" in self) || Object.keys(document.body).some((k) => k.startsWith("__reactFiber$")), undefined, { timeout: 15_000 });
}

/**
 * The page, made to wait for hydration after every load it starts (goto, reload, back and
 * forward: leaving a page for another document and coming back loads it again), so each step
 * acts on the page a person would use, not on the HTML before its script runs. For pages of
 * a context a test opens itself; the `test` below gives its `page` this way.
 */
export function hydrating(page: Page): Page {
  for (const step of ["goto", "reload", "goBack", "goForward"] as const) {
    const original = page[step].bind(page) as (...args: unknown[]) => Promise<unknown>;
    (page as unknown as Record<string, unknown>)[step] = async (...args: unknown[]) => {
      const res = await original(...args);
      await hydrated(page);
      return res;
    };
  }
  return page;
}

/** Playwright's test, with its `page` waiting for hydration (`hydrating`). */
export const test = baseTest.extend({
  page: async ({ page }, provide) => {
    await provide(hydrating(page));
  },
});

/** A full API key: tt_ + 43 random + 6 checksum characters (lib/api-keys/key-format.ts). */
export const FULL_KEY = /tt_[0-9A-Za-z]{49}/;

/** Saves a screenshot of the current viewport into this test's output folder. */
export async function shot(page: Page, name: string) {
  // `next dev` draws its indicator over the page; it is not part of the app. caret:
  // "initial" because hiding the caret sets inline styles on inputs, which React reports
  // as a hydration mismatch when the shot lands before hydration has finished.
  await page.screenshot({
    path: test.info().outputPath(`${name}.png`),
    style: "nextjs-portal { display: none !important; }",
    caret: "initial",
  });
}

export async function logIn(page: Page, email: string, password: string) {
  await expect(page.getByRole("heading", { name: "Log in to Tuned Tensor" })).toBeVisible();
  // Hydrated first, so the form posts with JavaScript and the page after it is rendered by
  // React, ready for the test's next click (not a full load it would race).
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

export async function logOut(page: Page) {
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/login");
}

/** Everything in the page a key could hide in: the DOM (with input values), web storage and cookies. */
export async function pageSecrets(page: Page) {
  return page.evaluate(() => ({
    html: document.documentElement.outerHTML,
    inputs: Array.from(document.querySelectorAll("input, textarea"), (el) => (el as HTMLInputElement).value).join("\n"),
    localStorage: JSON.stringify({ ...localStorage }),
    sessionStorage: JSON.stringify({ ...sessionStorage }),
    cookie: document.cookie,
    url: location.href,
  }));
}

/** No horizontal scrolling: the page is no wider than the viewport we asked for. */
export async function expectNoSidewaysScroll(page: Page) {
  // Not window.innerWidth: a mobile browser widens its layout viewport to fit overflowing content.
  const width = page.viewportSize()!.width;
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `${page.url()} is wider than ${width} px`).toBeLessThanOrEqual(width);
}

/**
 * A new user with a confirmed address — created through the admin API (sign-up itself waits
 * for a mailed confirmation; tests/e2e/account.spec.ts walks that) — and signed in with one
 * plain request to Supabase Auth.
 */
export async function signUpUser(label: string): Promise<{ email: string; password: string; session: Session }> {
  const email = uniqueEmail(label);
  const password = `pw-${randomUUID()}`;
  const created = await fetch(`${SUPABASE_URL}/auth/v1/admin/users`, {
    method: "POST",
    headers: { "content-type": "application/json", apikey: SECRET_KEY, authorization: `Bearer ${SECRET_KEY}` },
    body: JSON.stringify({ email, password, email_confirm: true }),
  });
  if (!created.ok) throw new Error(`creating a user failed: ${created.status} ${await created.text()}`);
  const res = await fetch(`${SUPABASE_URL}/auth/v1/token?grant_type=password`, {
    method: "POST",
    headers: { "content-type": "application/json", apikey: PUBLISHABLE_KEY },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as Session;
  if (!res.ok || !body.access_token) throw new Error(`signing in failed: ${res.status} ${JSON.stringify(body)}`);
  return { email, password, session: body };
}

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** axe-core on the page as it is now: no serious or critical WCAG 2.2 AA violation. */
export async function expectNoSeriousViolations(page: Page, what: string) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")})`);
  });
  expect(violations, `axe on ${what}`).toEqual([]);
}

/** The browser's Supabase session, decoded from its cookie (chunked or not). */
export async function browserSession(context: BrowserContext): Promise<{ access_token: string }> {
  const cookies = (await context.cookies()).filter((c) => c.name === SESSION_COOKIE_NAME || c.name.startsWith(`${SESSION_COOKIE_NAME}.`));
  const value = cookies
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }))
    .map((c) => c.value)
    .join("");
  return JSON.parse(Buffer.from(value.replace(/^base64-/, ""), "base64url").toString("utf8")) as { access_token: string };
}
