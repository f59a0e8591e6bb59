import { expect, test } from "@playwright/test";
// @ts-expect-error — plain ESM module shared with the stack scripts
import { DEMO_EMAIL, DEMO_PASSWORD } from "../../scripts/stack/config.mjs";

test("the login page loads and the demo user can sign in", async ({ page, context }) => {
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Log in to Tuned Tensor" })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("login.png"), fullPage: true });

  await page.getByLabel("Email").fill(DEMO_EMAIL);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/");
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
});
