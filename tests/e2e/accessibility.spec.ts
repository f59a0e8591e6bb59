// Accessibility: axe-core (the engine behind most accessibility checkers) on every page,
// on a desktop and a 375 px phone viewport; no serious or critical violation. A page added
// to the dashboard goes in PAGES (a signed-out one in PUBLIC_PAGES; the organizations' pages with
// their data, and the invitation page, in tests/e2e/organizations.spec.ts). Two-factor sign-in's pages are checked in the states a
// person sees: the code prompt after a password, and Settings → Security with a QR code up.


import { enrolTotp, passwordSession, verifyTotp } from "../support/totp";
import { expect, expectNoSeriousViolations, logIn, signUpUser, test } from "./helpers";

const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "375 px", width: 375, height: 740 },
] as const;

/** Signed in: the dashboard's pages. */
const PAGES = [
  "/specs",
  "/specs/new",
  "/settings/api-keys",
  "/settings/security",
  "/settings/account",
  "/settings/security-log",
  "/settings/organization",
  "/settings/members",
  "/settings/service-accounts",
  "/cli/authorize",
] as const;
/** Signed out (a reset page without a reset session, a mailed link's page and a link that did not work, included). */
const PUBLIC_PAGES = [
  "/login",
  "/signup",
  "/forgot-password",
  "/reset-password",
  "/auth/link-error?reason=expired&type=recovery",
  // A mailed link's page (this token is nobody's: the page words it as a link to log in).
  `/auth/confirm?token_hash=${"0".repeat(56)}&type=signup`,
] as const;

for (const viewport of VIEWPORTS) {
  test.describe(`accessibility at ${viewport.name}`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test("signed-out pages", async ({ page }) => {
      for (const path of PUBLIC_PAGES) {
        await page.goto(path);
        await expect(page.locator("h1")).toBeVisible();
        await expectNoSeriousViolations(page, path);
      }
    });

    test("dashboard pages", async ({ page }) => {
      const user = await signUpUser("a11y");
      await page.goto("/login");
      await logIn(page, user.email, user.password);
      await expect(page).toHaveURL((url) => url.pathname === "/specs");
      // A key's own page (its chart, table and events) needs a key.
      const origin = new URL(page.url()).origin;
      const created = await page.request.post("/api/v1/api-keys", { data: { name: "a11y key" }, headers: { origin } });
      expect(created.status()).toBe(201);
      const keyPage = `/settings/api-keys/${(await created.json()).data.id}`;
      // The CLI's approval page with a request waiting (its code, client, scopes, Authorize / Deny).
      const login = await page.request.post("/api/v1/cli/device-codes", { data: { client: { hostname: "a11y-box", os: "linux x64", version: "0.1.0" } } });
      expect(login.status()).toBe(201);
      const approvalPage = `/cli/authorize?code=${(await login.json()).data.user_code}`;
      for (const path of [...PAGES, keyPage, approvalPage]) {
        await page.goto(path);
        await expect(page.locator("h1")).toBeVisible();
        await expectNoSeriousViolations(page, path);
      }
      // Settings → Security while setting up an app: the QR code, the secret, the code field.
      await page.goto("/settings/security");
      await page.getByRole("button", { name: "Set up an authenticator app" }).click();
      await expect(page.getByLabel("Enter the 6-digit code the app shows")).toBeVisible();
      await expectNoSeriousViolations(page, "/settings/security (setting up)");
    });

    test("the two-factor code prompt", async ({ page }) => {
      const user = await signUpUser("a11y-2fa");
      const session = await passwordSession(user.email, user.password);
      const factor = await enrolTotp(session.access_token);
      await verifyTotp(session.access_token, factor.factorId, factor.secret);
      await page.goto("/login");
      await logIn(page, user.email, user.password);
      await expect(page.getByRole("heading", { name: "Two-factor sign-in" })).toBeVisible();
      await expectNoSeriousViolations(page, "/login/two-factor");
    });
  });
}
