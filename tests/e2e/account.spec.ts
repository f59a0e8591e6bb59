// The account flows in a real browser, mail read from Mailpit, against the real stack:
// sign-up confirmation, forgot → reset, used and expired links, changing the password and
// the e-mail address, and ending sessions seen from a second browser.
import { type Browser, type Page } from "@playwright/test";
import postgres from "postgres";

import { inbox, waitForMail, type Mail } from "../support/mailpit";
import { DATABASE_URL, uniqueEmail } from "../support/stack";
import { expect, hydrating, logIn, logOut, signUpUser, test } from "./helpers";

/** The link of a mail from Supabase Auth, as a path on the app under test (links name APP_URL). */
function mailedLink(mail: Mail): string {
  const href = /href="([^"]+)"/.exec(mail.HTML)?.[1];
  if (!href) throw new Error(`no link in "${mail.Subject}"`);
  const url = new URL(href.replace(/&amp;|&#38;/g, "&"));
  expect(url.pathname).toBe("/auth/confirm");
  return `${url.pathname}${url.search}`;
}

/**
 * Follows a mailed link as its reader does: opening it only shows which account it is for
 * (nothing is used up yet); the one button, pressed from the keyboard, uses it.
 */
async function followLink(page: Page, link: string, account?: string) {
  await page.goto(link);
  await expect(page).toHaveURL((url) => url.pathname === "/auth/confirm");
  await expect(page.locator("h1")).toBeVisible();
  if (account) await expect(page.getByRole("main").getByText(account).first()).toBeVisible();
  const button = page.getByRole("main").getByRole("button");
  await button.focus();
  await page.keyboard.press("Enter");
}

async function requestReset(page: Page, email: string) {
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByText("If an account uses this address, a link to reset its password is on its way.")).toBeVisible();
}

async function withDb<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

test("sign up → the confirmation mail's link signs in; a sign-up for a taken address looks the same and mails nothing", async ({ page }) => {
  const email = uniqueEmail("e2e-confirm");
  const password = `pw-${crypto.randomUUID()}`;
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Check your inbox")).toBeVisible();

  // Not confirmed yet: logging in says so.
  await page.goto("/login");
  await logIn(page, email, password);
  await expect(page.getByText("Your email address isn't confirmed yet.")).toBeVisible();

  const mail = await waitForMail(email, { subject: /Confirm your email address/ });
  await followLink(page, mailedLink(mail), email);
  await expect(page).toHaveURL((url) => url.pathname === "/specs");
  await expect(page.getByText(email).first()).toBeVisible();

  // The same address again, from a signed-out browser: the same answer, and no mail.
  await logOut(page);
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("something-else-entirely");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Check your inbox")).toBeVisible();
  // A later sign-up's mail arriving shows the earlier request was handled: still one mail.
  const later = uniqueEmail("e2e-confirm-later");
  await page.goto("/signup");
  await page.getByLabel("Email").fill(later);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await waitForMail(later);
  expect(await inbox(email)).toHaveLength(1);
});

test("forgot → reset → signed in; the old password stops working; the used link says so and offers a new one; one mail a minute", async ({ page }) => {
  const { email, password } = await signUpUser("e2e-reset");
  await requestReset(page, email);
  const mail = await waitForMail(email, { subject: /Reset your password/ });

  // Asking again within the minute: the same words, but Supabase Auth sends nothing.
  await requestReset(page, email);
  const other = await signUpUser("e2e-reset-barrier");
  await requestReset(page, other.email);
  await waitForMail(other.email, { subject: /Reset your password/ });
  expect(await inbox(email)).toHaveLength(1);

  const link = mailedLink(mail);
  await followLink(page, link, email);
  await expect(page).toHaveURL((url) => url.pathname === "/reset-password");
  const fresh = `new-${crypto.randomUUID()}`;
  await page.getByLabel("New password", { exact: true }).fill(fresh);
  await page.getByLabel("Repeat the new password").fill(fresh);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/specs");

  await logOut(page);
  await logIn(page, email, password);
  await expect(page.getByText("Incorrect email or password.")).toBeVisible();
  await page.getByLabel("Password").fill(fresh);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/specs");
  await logOut(page);

  // The link again: used.
  await followLink(page, link);
  await expect(page.getByRole("heading", { name: "This link doesn't work" })).toBeVisible();
  await expect(page.getByText("It has expired or has already been used.")).toBeVisible();
  await page.getByRole("link", { name: "Send a new reset link" }).click();
  await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
});

test("an expired reset link says so (time moved by editing when it was sent)", async ({ page }) => {
  const { email } = await signUpUser("e2e-expired");
  await requestReset(page, email);
  const link = mailedLink(await waitForMail(email, { subject: /Reset your password/ }));
  // Sent two hours ago as far as Supabase Auth can tell; links work for an hour.
  await withDb((sql) => sql`update auth.users set recovery_sent_at = recovery_sent_at - interval '2 hours' where email = ${email}`);
  await followLink(page, link, email);
  await expect(page.getByText("It has expired or has already been used.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Send a new reset link" })).toBeVisible();
  // And it did not sign anyone in.
  await page.goto("/settings/account");
  await expect(page).toHaveURL((url) => url.pathname === "/login");
});

test("Settings → Account: change the password (the current one is required)", async ({ page }) => {
  const { email, password } = await signUpUser("e2e-change-pw");
  await page.goto("/login?next=/settings/account");
  await logIn(page, email, password);
  await expect(page.getByRole("heading", { name: "Account" })).toBeVisible();

  const fresh = `new-${crypto.randomUUID()}`;
  await page.getByLabel("Current password").fill("not-my-password");
  await page.getByLabel("New password", { exact: true }).fill(fresh);
  await page.getByLabel("Repeat the new password").fill(fresh);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your current password is not right.")).toBeVisible();

  await page.getByLabel("Current password").fill(password);
  await page.getByLabel("New password", { exact: true }).fill(fresh);
  await page.getByLabel("Repeat the new password").fill(fresh);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed.")).toBeVisible();

  await logOut(page);
  await logIn(page, email, password);
  await expect(page.getByText("Incorrect email or password.")).toBeVisible();
  await page.getByLabel("Password").fill(fresh);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/specs");
});

test("Settings → Account: change the e-mail address, confirmed from both inboxes", async ({ page }) => {
  const { email, password } = await signUpUser("e2e-change-email");
  const newEmail = uniqueEmail("e2e-new-address");
  await page.goto("/login?next=/settings/account");
  await logIn(page, email, password);
  await page.getByLabel("New email address").fill(newEmail);
  await page.getByRole("button", { name: "Change email" }).click();
  await expect(page.getByText(`We sent a confirmation link to ${newEmail} and to your current address.`)).toBeVisible();

  const toOld = await waitForMail(email, { subject: /Confirm your new email address/ });
  const toNew = await waitForMail(newEmail, { subject: /Confirm your new email address/ });
  await followLink(page, mailedLink(toOld), newEmail);
  await expect(page.getByRole("heading", { name: "One more link to open" })).toBeVisible();
  await followLink(page, mailedLink(toNew), newEmail);
  await expect(page).toHaveURL((url) => url.pathname === "/settings/account");
  await expect(page.getByText(`Your email address is now ${newEmail}.`)).toBeVisible();

  await logOut(page);
  await logIn(page, newEmail, password);
  await expect(page).toHaveURL((url) => url.pathname === "/specs");
});

/**
 * The pages check a session's liveness once per 5 s per session and server bundle, apart from
 * the API's check, so a page that rendered for the session just before it ended may render
 * once more within that window: reload until it sends the browser to log in (at most 15 s).
 */
async function expectSentToLogin(page: Page, path: string) {
  await expect(async () => {
    await page.goto(path);
    expect(new URL(page.url()).pathname).toBe("/login");
  }).toPass({ timeout: 15_000, intervals: [250] });
}

async function signedInContext(browser: Browser, email: string, password: string) {
  const context = await browser.newContext();
  const page = hydrating(await context.newPage());
  await page.goto("/login?next=/settings/api-keys");
  await logIn(page, email, password);
  await expect(page).toHaveURL((url) => url.pathname === "/settings/api-keys");
  return { context, page };
}

test("sessions: listed with where and when; sign out everywhere else, then everywhere — the other browser's cookies stop working", async ({ browser }) => {
  const { email, password } = await signUpUser("e2e-sessions");
  const a = await signedInContext(browser, email, password);
  const b = await signedInContext(browser, email, password);

  await a.page.goto("/settings/account");
  const list = a.page.getByRole("list", { name: "Active sessions" });
  // A, B, and the session signUpUser signed in with.
  await expect(list.getByRole("listitem")).toHaveCount(3);
  await expect(list.getByText("This browser")).toHaveCount(1);
  await expect(list.getByRole("listitem").first()).toContainText(/Chrome on \w+/);
  expect((await b.page.request.get("/api/v1/me")).status()).toBe(200);

  await a.page.getByRole("button", { name: "Sign out everywhere else" }).click();
  await expect(a.page.getByText("Every other session has been signed out.")).toBeVisible();
  await expect(list.getByRole("listitem")).toHaveCount(1);
  // B's cookies: the API refuses them within the liveness window (lib/auth/session-liveness.ts),
  // and the dashboard sends B to log in.
  await expect.poll(async () => (await b.page.request.get("/api/v1/me")).status(), { timeout: 15_000 }).toBe(401);
  await expectSentToLogin(b.page, "/settings/api-keys");

  // B signs in again; A signs out everywhere: both are out.
  await logIn(b.page, email, password);
  await expect(b.page).toHaveURL((url) => url.pathname !== "/login");
  await a.page.getByRole("button", { name: "Sign out everywhere", exact: true }).click();
  await expect(a.page).toHaveURL((url) => url.pathname === "/login");
  await expect(a.page.getByText("You are signed out on every device.")).toBeVisible();
  await expect.poll(async () => (await b.page.request.get("/api/v1/me")).status(), { timeout: 15_000 }).toBe(401);
  await expectSentToLogin(b.page, "/specs");
  await a.context.close();
  await b.context.close();
});

test("with JavaScript off: log in, reach the dashboard, log out; forgot password works", async ({ browser }) => {
  const { email, password } = await signUpUser("e2e-nojs");
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/login");
  await logIn(page, email, password);
  await expect(page).toHaveURL((url) => url.pathname === "/specs");
  await logOut(page);
  await logIn(page, email, "wrong-password");
  await expect(page.getByText("Incorrect email or password.")).toBeVisible();
  await requestReset(page, email);
  await waitForMail(email, { subject: /Reset your password/ });
  await context.close();
});
