// The dashboard on a 375 px wide phone: nothing scrolls sideways, the menu works, and
// the dialogs fit.

import { sessionCookie } from "../support/session";
import { APP_URL } from "../support/stack";
import { expect, expectNoSidewaysScroll, logIn, shot, signUpUser, test } from "./helpers";

test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

test("every dashboard page fits a 375 px screen", async ({ page }) => {
  const { email, password, session } = await signUpUser("e2e-mobile");
  // A spec with long unbroken text, the usual culprit for sideways scrolling.
  const long = "x".repeat(240); // the name allows 255 characters
  const res = await fetch(`${APP_URL}/api/v1/behavior-specs`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: sessionCookie(session), origin: APP_URL },
    body: JSON.stringify({
      name: `A long name ${long}`,
      description: `Description ${long}`,
      system_prompt: `You are ${long}`,
      guidelines: [`Guideline ${long}`],
      examples: [{ input: `Input ${long}`, output: `Output ${long}` }],
    }),
  });
  expect(res.status).toBe(201);
  const spec = ((await res.json()) as { data: { id: string } }).data;

  await page.goto("/login");
  await expectNoSidewaysScroll(page);
  await shot(page, "mobile-login");
  await logIn(page, email, password);
  await expect(page).toHaveURL((url) => url.pathname === "/specs");
  await expectNoSidewaysScroll(page);
  await shot(page, "mobile-specs");

  // The sidebar is a menu here: closed at first, opened by its button, closed by navigating.
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByRole("link", { name: "API keys" })).toBeHidden();
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(page.locator("#mobile-menu").getByText(email)).toBeVisible();
  await shot(page, "mobile-menu");
  await page.getByRole("link", { name: "API keys" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/settings/api-keys");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expectNoSidewaysScroll(page);

  // Esc closes the menu and puts focus back on its button.
  await menu.click();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toBeFocused();

  // Create a key: the dialog and the one-time key fit the screen.
  await page.getByRole("button", { name: "Create API key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await dialog.getByLabel("Name").fill("phone");
  await dialog.getByLabel("Expiration").selectOption("custom");
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByText("Choose the date the key should expire.")).toBeVisible();
  await shot(page, "mobile-create-key");
  await dialog.getByLabel("Expiry date").fill(new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10));
  await dialog.getByRole("button", { name: "Create key" }).click();
  const saved = page.getByRole("dialog", { name: "Save your API key" });
  await expect(saved.getByLabel(/API key/)).toHaveValue(/^tt_/);
  const box = await saved.boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(375);
  await shot(page, "mobile-key-created");
  await saved.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("row").filter({ hasText: "phone" })).toContainText("Active");
  await expectNoSidewaysScroll(page);
  await shot(page, "mobile-api-keys");

  for (const path of [`/specs/${spec.id}`, "/specs/new", "/settings/organization", "/settings/members", "/settings/service-accounts"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoSidewaysScroll(page);
  }
  await shot(page, "mobile-spec-new");
  await page.goto(`/specs/${spec.id}`);
  await shot(page, "mobile-spec-detail");
});
