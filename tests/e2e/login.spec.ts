import { DEMO_EMAIL, DEMO_PASSWORD } from "../../scripts/stack/config.ts";

import { expect, shot, test } from "./helpers";

test.use({ viewport: { width: 1280, height: 800 } });

test("the login page loads and the demo user can sign in", async ({ page, context }) => {
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Log in to Tuned Tensor" })).toBeVisible();
  await shot(page, "login");

  await page.getByLabel("Email").fill(DEMO_EMAIL);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  // No ?next=: the dashboard's home, the specs list.
  await expect(page).toHaveURL((url) => url.pathname === "/specs");
  // @supabase/ssr keeps the session in `sb-<ref>-auth-token` cookies.
  await expect.poll(async () => (await context.cookies()).some((c) => /^sb-.*-auth-token/.test(c.name))).toBe(true);
});

test("a wrong password is refused with a message on the page", async ({ page, context }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO_EMAIL);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Log in" }).click();
  // Next renders its own (empty) route-announcer alert, so look for ours by its text.
  await expect(page.getByRole("alert").filter({ hasText: /incorrect email or password/i })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  expect((await context.cookies()).some((c) => /^sb-.*-auth-token/.test(c.name))).toBe(false);
  await shot(page, "login-wrong-password");
});

test("logging in is one form post to the app: the browser never calls Supabase Auth", async ({ page }) => {
  const toAuth: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/auth/v1/")) toAuth.push(request.url());
  });
  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO_EMAIL);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/specs");
  expect(toAuth).toEqual([]);
});
