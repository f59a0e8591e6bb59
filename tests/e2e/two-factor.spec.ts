// Two-factor sign-in in the browser (issue 14): set up an authenticator app on Settings →
// Security (the code computed here from the secret read off the page), log out, log in —
// asked for the code, a wrong one refused, the right one lets you in — create a key at aal2,
// the key dialog asking for the code in place when the session is still at aal1, and
// removing the factor. Codes are for the current 30-second step; Supabase Auth also accepts
// the step on either side, so a step boundary during the test does not matter.
import { type BrowserContext, type Page } from "@playwright/test";
import postgres from "postgres";

import { waitForMail } from "../support/mailpit";
import { DATABASE_URL } from "../support/stack";
import { enrolTotp, totpCode, verifyTotp } from "../support/totp";
import { browserSession, expect, FULL_KEY, logIn, logOut, signUpUser, test } from "./helpers";

/** The code of a step ten minutes away: never one of the three accepted now. */
const wrongCode = (secret: string) => totpCode(secret, Date.now() + 600_000);

/**
 * A new user on Settings → API Keys, after which two-factor sign-in is turned on for this very
 * session (as from another tab of an older page): Supabase Auth has it at aal2, but this
 * page's cookie still holds the access token it had, at aal1.
 */
async function keysPageThenFactor(page: Page, context: BrowserContext, label: string, factorName: string) {
  const user = await signUpUser(label);
  await page.goto("/login");
  await logIn(page, user.email, user.password);
  await expect(page).toHaveURL((url) => url.pathname === "/specs");
  await page.goto("/settings/api-keys");
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
  const { access_token } = await browserSession(context);
  const factor = await enrolTotp(access_token, factorName);
  await verifyTotp(access_token, factor.factorId, factor.secret);
  return { user, factor };
}

async function createKey(page: Page, name: string) {
  await page.getByRole("button", { name: "Create API key" }).first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Create key" }).click();
  return dialog;
}

test("set up an authenticator app, log in with its code, create a key at aal2, remove it", async ({ page }) => {
  const user = await signUpUser("two-factor");
  await page.goto("/login");
  await logIn(page, user.email, user.password);
  await expect(page).toHaveURL((url) => url.pathname === "/specs");

  // Settings → Security: set up, the secret read off the page, the first code.
  await page.getByRole("link", { name: "Security" }).first().click();
  await expect(page.getByRole("heading", { name: "Security", level: 1 })).toBeVisible();
  await expect(page.getByText("Two-factor sign-in is off.")).toBeVisible();
  await page.getByLabel("Name").fill("Phone");
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  const qr = page.getByRole("img", { name: "QR code for your authenticator app" });
  await expect(qr).toBeVisible();
  // Supabase Auth's SVG (about 360 KB: a rect per module) redrawn as one path.
  expect(((await qr.getAttribute("src")) ?? "").length).toBeLessThan(16_000);
  const secret = ((await page.locator("#totp-secret").textContent()) ?? "").replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  const codeField = page.getByLabel("Enter the 6-digit code the app shows");
  await expect(codeField).toBeFocused();
  await codeField.fill(wrongCode(secret));
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  await expect(page.getByText("That code isn't right")).toBeVisible();
  await codeField.fill(totpCode(secret));
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  await expect(page.getByText("Two-factor sign-in is on", { exact: true })).toBeVisible();
  await expect(page.getByRole("list", { name: "Your authenticator apps" }).getByText("Phone")).toBeVisible();

  // Log out, log in: the password is not enough.
  await logOut(page);
  await page.goto("/settings/api-keys");
  await logIn(page, user.email, user.password);
  await expect(page.getByRole("heading", { name: "Two-factor sign-in" })).toBeVisible();
  // The log-in action's redirect and the gate's are client-side navigations: wait for the URL.
  await expect(page).toHaveURL((url) => url.pathname === "/login/two-factor");
  // A dashboard page asked for directly is refused too, until the code.
  await page.goto("/specs");
  await expect(page).toHaveURL((url) => url.pathname === "/login/two-factor");
  await page.getByLabel("Code").fill(wrongCode(secret));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "That code isn't right" })).toBeVisible();
  await page.getByLabel("Code").fill(totpCode(secret));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/specs");

  // At aal2: a key is created at once.
  await page.goto("/settings/api-keys");
  const dialog = await createKey(page, "made at aal2");
  await expect(dialog.getByRole("heading", { name: "Save your API key" })).toBeVisible();
  await expect(dialog.getByLabel(/API key/)).toHaveValue(FULL_KEY);
  await dialog.getByRole("button", { name: "Done" }).click();

  // Remove the factor: two-factor sign-in is off, and log-in no longer asks for a code.
  await page.goto("/settings/security");
  await page.getByRole("button", { name: "Remove Phone" }).click();
  await expect(page.getByText("Two-factor sign-in is off.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Your authenticator apps" })).toHaveCount(0);
  await logOut(page);
  await logIn(page, user.email, user.password);
  await expect(page).toHaveURL((url) => url.pathname === "/specs");

  // The security log has each of it once, newest first, by the session, from this browser.
  const log = await page.request.get("/api/v1/audit-events?per_page=100");
  expect(log.status()).toBe(200);
  const events = (await log.json()).data as { type: string; actor: { type: string }; user_agent: string | null; details: Record<string, unknown> }[];
  expect(events.map((e) => [e.type, e.details.scope ?? e.details.method ?? e.details.factor_type ?? null])).toEqual([
    ["auth.signed_in", "password"],
    ["auth.signed_out", "local"],
    ["mfa.removed", "totp"],
    ["key.created", null],
    ["auth.signed_in", "password"],
    ["auth.signed_out", "local"],
    ["mfa.enrolled", "totp"],
    ["auth.signed_in", "password"],
  ]);
  for (const e of events) {
    expect(e.actor.type).toBe("session");
    expect(e.user_agent).toBe(await page.evaluate(() => navigator.userAgent));
  }
});

test("the key dialog asks for the code in place when the session is still at aal1", async ({ page, context }) => {
  const { factor } = await keysPageThenFactor(page, context, "two-factor-dialog", "Tablet");

  const dialog = await createKey(page, "asked in place");
  const code = dialog.getByLabel("Code from your authenticator app");
  await expect(code).toBeFocused();
  await expect(dialog.getByText("creating a key needs a code from your authenticator app")).toBeVisible();
  await code.fill(wrongCode(factor.secret));
  await dialog.getByRole("button", { name: "Verify and create key" }).click();
  await expect(dialog.getByText("That code isn't right")).toBeVisible();
  await code.fill(totpCode(factor.secret));
  await dialog.getByRole("button", { name: "Verify and create key" }).click();
  await expect(dialog.getByRole("heading", { name: "Save your API key" })).toBeVisible();
  await expect(dialog.getByLabel(/API key/)).toHaveValue(FULL_KEY);
});

test("the key dialog's code entry counts in the user's limit: past it, the right code is refused too", async ({ page, context }) => {
  const { user, factor } = await keysPageThenFactor(page, context, "two-factor-dialog-limit", "Phone");
  // Nine wrong codes already entered for this user (elsewhere, from other addresses): one short of the limit.
  const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    await sql`
      insert into internal.second_factor_attempts (user_id, failures)
      select id, 9 from auth.users where email = ${user.email}
      on conflict (user_id) do update set failures = 9, window_start = now(), locked_until = null`;
  } finally {
    await sql.end({ timeout: 5 });
  }

  const dialog = await createKey(page, "never created");
  const code = dialog.getByLabel("Code from your authenticator app");
  await code.fill(wrongCode(factor.secret));
  await dialog.getByRole("button", { name: "Verify and create key" }).click();
  await expect(dialog.getByText(/Too many attempts\. Code entry for this account is locked/)).toBeVisible();
  await code.fill(totpCode(factor.secret));
  await dialog.getByRole("button", { name: "Verify and create key" }).click();
  await expect(dialog.getByText(/Too many attempts/)).toBeVisible();
  await expect(dialog.getByRole("heading", { name: "Save your API key" })).toHaveCount(0);
  await waitForMail(user.email, { subject: /code entry.*locked/i });
});
