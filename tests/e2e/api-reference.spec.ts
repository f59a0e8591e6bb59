// The API reference page (/docs/api): the OpenAPI document the API serves, rendered by Scalar
// from this origin under the pages' CSP. It renders and searches, shows each operation in curl
// and with the SDK, makes no request to another origin and no CSP violation, passes axe on a
// desktop and a 375 px phone, and tries requests with the reader's own session: 401 signed
// out, 200 signed in, and a change (201) that passes the CSRF rule with the app's own Origin.
// The renderer loads on this page only.

import { type Locator, type Page } from "@playwright/test";

import { expect, expectNoSeriousViolations, logIn, signUpUser, test } from "./helpers";


type Watch = { foreign: string[]; violations: string[]; scalar: string[] };

/** Records every request that leaves the origin, every CSP violation, and every load of the renderer. */
async function watch(page: Page): Promise<Watch> {
  const origin = new URL(test.info().project.use.baseURL!).origin;
  const seen: Watch = { foreign: [], violations: [], scalar: [] };
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol !== "data:" && url.origin !== origin) seen.foreign.push(request.url());
    if (url.pathname === "/docs/api/scalar.js") seen.scalar.push(page.url());
  });
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.violations.push(message.text());
  });
  await page.addInitScript(() => {
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return seen;
}

async function violationsIn(page: Page, seen: Watch) {
  return [...seen.violations, ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp))];
}

/** The reference, open at one operation (Scalar's own anchors: tag, method, path); its section. */
async function openAt(page: Page, hash: string, heading: string): Promise<Locator> {
  await page.goto(`/docs/api#${hash}`);
  const title = page.getByRole("heading", { name: heading, exact: true });
  await expect(title).toBeVisible();
  return page.locator("section", { has: title }).last();
}

/** Sends the operation's example request from the renderer's "Test Request" client; the answer. */
async function tryIt(page: Page, section: Locator, method: string, path: string) {
  await section.getByRole("button", { name: /Test Request/ }).click();
  const answer = page.waitForResponse((response) => response.request().method() === method && new URL(response.url()).pathname === path);
  await page.getByRole("button", { name: /^Send .* request to / }).click();
  const response = await answer;
  // What the renderer shows is the answer it got.
  await expect(page.getByText(`${response.status()} ${response.statusText()}`).first()).toBeVisible();
  // Closed again: the next operation is opened in the same document (only its anchor changes).
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: /^Send .* request to / })).toBeHidden();
  return response;
}

test("renders the document, searches it, shows curl and the SDK, from this origin only and within the CSP", async ({ page }) => {
  const seen = await watch(page);
  const section = await openAt(page, "tag/api-keys/POST/api/v1/api-keys", "Create an API key");
  await expect(page).toHaveTitle("API reference · Tuned Tensor");

  // The curl the renderer makes from the document, with the contract's example body.
  await expect(section.getByText(/curl http:\/\/localhost:\d+\/api\/v1\/api-keys/)).toBeVisible();
  await expect(section.getByText('"name": "CI"').first()).toBeVisible();
  // The SDK's call, from the document's x-codeSamples.
  await section.getByRole("button", { name: /Change code sample language/ }).click();
  await page.getByRole("option", { name: "SDK (@tuned-tensor/sdk)" }).click();
  await expect(section.getByText('await tt.call("createApiKey"')).toBeVisible();

  // Search by operationId and by summary.
  await page.getByRole("button", { name: /Search/ }).first().click();
  await page.keyboard.type("listAuditEvents");
  await expect(page.getByRole("option", { name: /The security log/ }).first()).toBeVisible();
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: /Search/ }).first().click();
  await page.keyboard.type("Roll an API key");
  await page.getByRole("option", { name: /Roll an API key/ }).first().click();
  await expect(page.getByRole("heading", { name: /^Roll an API key/ })).toBeVisible();

  expect(seen.foreign, "requests to another origin").toEqual([]);
  expect(await violationsIn(page, seen)).toEqual([]);
});

test("requests tried from the page go with the reader's session: 401 signed out, 200 signed in, a change with the app's Origin", async ({ page }) => {
  const seen = await watch(page);
  const signedOut = await tryIt(page, await openAt(page, "tag/account/GET/api/v1/me", "Who is calling"), "GET", "/api/v1/me");
  expect(signedOut.status()).toBe(401);
  // No empty `Authorization: Bearer` from the renderer: that would shut out the cookie.
  expect(await signedOut.request().headerValue("authorization")).toBeNull();

  const user = await signUpUser("api-reference");
  await page.goto("/login");
  await logIn(page, user.email, user.password);
  await expect(page).toHaveURL((url) => url.pathname === "/specs");
  // The dashboard's link to it; the dashboard itself never loads the renderer.
  expect(seen.scalar).toEqual([expect.stringContaining("/docs/api")]);
  await page.getByRole("link", { name: "API reference" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/docs/api");
  const signedIn = await tryIt(page, await openAt(page, "tag/account/GET/api/v1/me", "Who is calling"), "GET", "/api/v1/me");
  expect(signedIn.status()).toBe(200);
  expect((await signedIn.json()).data.user.email).toBe(user.email);

  // A change goes with the app's own Origin, so the session's CSRF rule lets it through.
  const created = await tryIt(page, await openAt(page, "tag/behaviour-specs/POST/api/v1/behavior-specs", "Create a behaviour spec"), "POST", "/api/v1/behavior-specs");
  expect(created.status()).toBe(201);
  expect(await created.request().headerValue("origin")).toBe(new URL(page.url()).origin);
  expect((await created.json()).data.name).toBe("Support tone");

  expect(seen.foreign, "requests to another origin").toEqual([]);
  expect(await violationsIn(page, seen)).toEqual([]);
});

test("the page is under the pages' CSP, unrelaxed, and its renderer is a cacheable script from this origin", async ({ request }) => {
  const page = await request.get("/docs/api");
  expect(page.status()).toBe(200);
  const csp = page.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'(;|$)/);
  expect(csp).toContain("connect-src 'self' ");
  expect(csp).toContain("font-src 'self';");
  const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
  const html = await page.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  const src = /<script[^>]* src="([^"]+)"/.exec(html)![1]!;
  expect(src).toMatch(/^\/docs\/api\/scalar\.js\?v=\d+\.\d+\.\d+$/);
  const script = await request.get(src);
  expect(script.status()).toBe(200);
  expect(script.headers()).toMatchObject({ "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=31536000, immutable" });
  expect(await script.text()).toContain("createApiReference");
});

for (const viewport of [
  { name: "desktop", width: 1280, height: 800 },
  { name: "375 px", width: 375, height: 740 },
] as const) {
  test(`no serious accessibility violation at ${viewport.name}`, async ({ page }) => {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await openAt(page, "tag/api-keys/POST/api/v1/api-keys", "Create an API key");
    await expectNoSeriousViolations(page, `the API reference at ${viewport.name}`);
  });
}
