// Pages carry a strict Content-Security-Policy with a fresh nonce, framing is refused,
// and the app still works under that policy: no violation is reported while a user
// logs in and moves through the dashboard.

import { DEMO_EMAIL, DEMO_PASSWORD } from "../../scripts/stack/config.ts";
import { expect, logIn, test } from "./helpers";

test("pages send CSP (nonce, no inline scripts, no framing) and the security headers", async ({ page, request }) => {
  const first = await request.get("/login");
  const second = await request.get("/login");
  const csp = first.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  const nonce = (h: string) => /'nonce-([^']+)'/.exec(h)?.[1];
  expect(nonce(second.headers()["content-security-policy"] ?? "")).not.toBe(nonce(csp));
  expect(first.headers()).toMatchObject({
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
  });
  // The nonce on the page's scripts is the one in the header.
  const html = await first.text();
  expect(html).toContain(`nonce="${nonce(csp)}"`);

  const api = await request.get("/api/v1/health");
  expect(api.headers()).toMatchObject({ "cache-control": "no-store", "x-content-type-options": "nosniff", "x-frame-options": "DENY" });
  // Served over http (APP_URL http://localhost:…): no HSTS, which would pin localhost to https.
  expect(first.headers()["strict-transport-security"]).toBeUndefined();
  expect(api.headers()["strict-transport-security"]).toBeUndefined();

  // Walk through the app recording every CSP violation the browser reports.
  await page.addInitScript(() => {
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
  });
  await page.goto("/login");
  await logIn(page, DEMO_EMAIL, DEMO_PASSWORD);
  await expect(page).toHaveURL((url) => url.pathname === "/specs");
  await page.getByRole("link", { name: "API keys" }).first().click();
  await expect(page.getByRole("heading", { name: "API keys", exact: true })).toBeVisible();
  await page.getByRole("button", { name: /create api key/i }).first().click();
  await expect(page.getByRole("dialog")).toBeVisible();
  violations.push(...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)));
  expect(violations).toEqual([]);
});

test("the app cannot be framed by another site", async ({ page }) => {
  // setContent waits for the load event, which waits for the iframe to load or fail.
  await page.setContent(`<iframe id="f" src="${test.info().project.use.baseURL}/login"></iframe>`);
  const frame = page.frames().find((f) => f !== page.mainFrame());
  // Chromium replaces a frame it refused to render with its error page.
  expect(frame?.url()).toMatch(/^chrome-error:/);
  await expect(page.frameLocator("#f").getByRole("heading", { name: "Log in to Tuned Tensor" })).toHaveCount(0);
});
