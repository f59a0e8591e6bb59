// The dashboard journey, step by step, as one person: sign up → confirm by mail → log in → create a key
// (shown once) → use it over plain HTTP → revoke it in the page → it is refused →
// browser JS uses the session → log out → it no longer does.
import { randomUUID } from "node:crypto";


import { inbox, waitForMail } from "../support/mailpit";
import { DEMO_EMAIL, uniqueEmail } from "../support/stack";
import { expect, FULL_KEY, logIn, logOut, pageSecrets, shot, signUpUser, test } from "./helpers";

test.use({ viewport: { width: 1280, height: 800 } });

test("sign up, create an API key shown once, use it, revoke it, log out", async ({ page, context, request, baseURL }) => {
  const email = uniqueEmail("e2e-journey");
  const password = `pw-${randomUUID()}`;
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(baseURL!).origin });
  // Server and browser must render the same thing (dates, statuses): no hydration errors.
  const hydrationErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /hydrat/i.test(message.text())) hydrationErrors.push(message.text());
  });

  // 1. Sign up, open the link in the confirmation mail, confirm: the dashboard, signed in.
  await page.goto("/signup");
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await shot(page, "01-signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Check your inbox")).toBeVisible();
  const mail = await waitForMail(email, { subject: /Confirm your email address/ });
  const link = new URL(/href="([^"]+)"/.exec(mail.HTML)![1]!.replace(/&amp;|&#38;/g, "&"));
  await page.goto(`${link.pathname}${link.search}`);
  // The link's page names the account; its button signs in.
  await expect(page.getByRole("main").getByText(email).first()).toBeVisible();
  await page.getByRole("button", { name: "Confirm and log in" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/specs");
  await expect(page.getByRole("heading", { name: "Behaviour specs", level: 1 })).toBeVisible();
  await expect(page.getByRole("complementary").getByText(email)).toBeVisible();
  await shot(page, "02-specs-empty");

  // 2. Log out, then ask for the API keys page: the login page, then back to it.
  await logOut(page);
  await page.goto("/settings/api-keys");
  await expect(page).toHaveURL((url) => url.pathname === "/login" && url.searchParams.get("next") === "/settings/api-keys");
  await shot(page, "03-login");
  await logIn(page, email, password);
  await expect(page).toHaveURL((url) => url.pathname === "/settings/api-keys");
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
  await expect(page.getByText("No API keys yet")).toBeVisible();
  await shot(page, "04-api-keys-empty");

  // 3. The Create dialog: focus goes in, Esc closes it, focus comes back to the button.
  const createButton = page.getByRole("button", { name: "Create API key" });
  await createButton.click();
  const createDialog = page.getByRole("dialog", { name: "Create API key" });
  await expect(createDialog).toBeVisible();
  await expect(createDialog.getByLabel("Name")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(createDialog).toBeHidden();
  await expect(createButton).toBeFocused();

  // An empty name is refused next to the field, before any request.
  await createButton.click();
  await createDialog.getByRole("button", { name: "Create key" }).click();
  await expect(createDialog.getByText("Name must not be empty.")).toBeVisible();
  await expect(createDialog.getByLabel("Name")).toBeFocused();

  // 4. Create a key: it is shown once, in full, with a Copy button.
  await createDialog.getByLabel("Name").fill("e2e journey key");
  await createDialog.getByLabel("Expiration").selectOption("90");
  await createDialog.getByRole("button", { name: "Create key" }).click();
  const savedDialog = page.getByRole("dialog", { name: "Save your API key" });
  await expect(savedDialog).toBeVisible();
  await expect(savedDialog.getByText("won't be shown again")).toBeVisible();
  const keyField = savedDialog.getByLabel("API key “e2e journey key”");
  await expect(keyField).toHaveAttribute("readonly", "");
  const key = await keyField.inputValue();
  expect(key).toMatch(new RegExp(`^${FULL_KEY.source}$`));
  const prefix = key.slice(0, 11);
  await savedDialog.getByRole("button", { name: "Copy" }).click();
  await expect(savedDialog.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await shot(page, "05-api-key-created");

  // The new row is already listed behind the dialog, by its prefix only.
  await savedDialog.getByRole("button", { name: "Done" }).click();
  await expect(savedDialog).toBeHidden();
  await expect(createButton).toBeFocused();
  const row = page.getByRole("row").filter({ hasText: "e2e journey key" });
  await expect(row).toContainText(`${prefix}…`);
  await expect(row).toContainText("Active");
  await expect(row).toContainText("never"); // last used
  let secrets = await pageSecrets(page);
  for (const [where, text] of Object.entries(secrets)) expect(text, `key still in ${where} after closing`).not.toContain(key);

  // 5. Reload: the key is nowhere (HTML, inputs, storage, cookies, URL); its prefix is listed.
  await page.reload();
  await expect(row).toContainText(`${prefix}…`);
  secrets = await pageSecrets(page);
  for (const [where, text] of Object.entries(secrets)) {
    expect(text, `key in ${where} after reload`).not.toContain(key);
    expect(text, `a full tt_ key in ${where} after reload`).not.toMatch(FULL_KEY);
  }
  for (const cookie of await context.cookies()) expect(cookie.value).not.toContain(key);

  // 6. The key works from plain HTTP (no browser, no cookies).
  const me = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${key}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).data).toMatchObject({ user: { email }, authentication: { method: "api_key", key_prefix: prefix } });
  // "Last used" follows (written just after the response, at most once a minute).
  await expect(async () => {
    await page.reload();
    await expect(row).not.toContainText("never", { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await shot(page, "06-api-keys-list");

  // 7. Revoke it in the page, after a confirmation that names it.
  await row.getByRole("button", { name: /^Revoke/ }).click();
  const revokeDialog = page.getByRole("dialog", { name: "Revoke “e2e journey key”?" });
  await expect(revokeDialog).toBeVisible();
  await expect(revokeDialog).toContainText(`${prefix}…`);
  await expect(revokeDialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await shot(page, "07-api-key-revoke-confirm");
  await revokeDialog.getByRole("button", { name: "Revoke key" }).click();
  await expect(revokeDialog).toBeHidden();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: /^Revoke/ })).toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: "Revoked the key" })).toBeFocused();
  await shot(page, "08-api-key-revoked");

  // 8. The same request is now refused: 403 forbidden.
  const revoked = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${key}` } });
  expect(revoked.status()).toBe(403);
  expect((await revoked.json()).error.code).toBe("forbidden");

  // 9. Browser JavaScript in the page uses the session cookie.
  const fromPage = await page.evaluate(async () => {
    const res = await fetch("/api/v1/me");
    return { status: res.status, body: await res.json() };
  });
  expect(fromPage.status).toBe(200);
  expect(fromPage.body.data).toMatchObject({ user: { email }, authentication: { method: "session" } });

  // 10. Log out: the same call is now 401, and the dashboard sends us to log in.
  await logOut(page);
  const afterLogout = await page.evaluate(async () => {
    const res = await fetch("/api/v1/me");
    return { status: res.status, body: await res.json() };
  });
  expect(afterLogout.status).toBe(401);
  expect(afterLogout.body.error.code).toBe("unauthorized");
  await page.goto("/settings/api-keys");
  await expect(page).toHaveURL((url) => url.pathname === "/login");
  expect(hydrationErrors).toEqual([]);
});

test("a signed-in visit to /login, /signup or /dashboard goes to the dashboard", async ({ page, baseURL }) => {
  const { email, password } = await signUpUser("e2e-bounce");
  await page.goto("/login?next=/settings/api-keys");
  await logIn(page, email, password);
  await expect(page).toHaveURL((url) => url.pathname === "/settings/api-keys");

  await page.goto("/login");
  await expect(page).toHaveURL((url) => url.pathname === "/specs");
  await page.goto("/dashboard");
  await expect(page).toHaveURL((url) => url.pathname === "/specs");
  await page.goto("/signup");
  await expect(page).toHaveURL((url) => url.pathname === "/specs");
  // An off-site ?next= is ignored.
  await page.goto("/login?next=//evil.example/");
  await expect(page).toHaveURL((url) => url.origin === new URL(baseURL!).origin && url.pathname === "/specs");
});

test("sign-up answers a taken e-mail as a new one (no mail, no hint) and refuses a weak password, in words", async ({ page, context }) => {
  await page.goto("/signup");
  await page.getByLabel("Email").fill(DEMO_EMAIL);
  await page.getByLabel("Password").fill(`pw-${randomUUID()}`);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Check your inbox")).toBeVisible();
  await shot(page, "signup-email-taken");
  expect((await inbox(DEMO_EMAIL)).filter((m) => /Confirm your email/.test(m.Subject))).toEqual([]);

  await page.goto("/signup");
  await page.getByLabel("Email").fill(uniqueEmail("e2e-weak"));
  await page.getByLabel("Password").fill("abc");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /choose a longer password/i })).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL((url) => url.pathname === "/signup");
  expect((await context.cookies()).some((c) => /^sb-.*-auth-token/.test(c.name))).toBe(false);
});
