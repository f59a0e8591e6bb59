// A key's lifecycle in the dashboard, as one person: a key that expires within a week puts a
// banner on every page and an "expires in N days" badge on its row; rolling it (with a
// 1-hour grace window) shows the new key once, and the old row says when it stops — both
// keys work meanwhile; a key handed in through the public revocation endpoint shows as
// revoked because it was found exposed. Also on a 375 px screen.

import { expect, expectNoSidewaysScroll, FULL_KEY, logIn, pageSecrets, shot, signUpUser, test } from "./helpers";

test.use({ viewport: { width: 1280, height: 800 } });

test("expiry banner and badge, roll with a grace window, a leaked key marked exposed", async ({ page, request }) => {
  const { email, password } = await signUpUser("e2e-lifecycle");
  await page.goto("/settings/api-keys");
  await logIn(page, email, password);
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
  await expect(page.getByTestId("expiry-banner")).toHaveCount(0);

  // A key that expires in 7 days.
  await page.getByRole("button", { name: "Create API key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await dialog.getByLabel("Name").fill("weekly deploy");
  await dialog.getByLabel("Expiration").selectOption("7");
  await dialog.getByRole("button", { name: "Create key" }).click();
  const saved = page.getByRole("dialog", { name: "Save your API key" });
  const oldKey = await saved.getByLabel(/API key/).inputValue();
  await saved.getByRole("button", { name: "Done" }).click();

  const oldRow = page.getByRole("row").filter({ hasText: oldKey.slice(0, 11) });
  await expect(oldRow.getByTestId("key-status")).toContainText("Expires in 7 days");
  await expect(page.getByTestId("expiry-banner")).toContainText("An API key expires soon");
  // On every page, linking to where keys are rolled.
  await page.goto("/specs");
  const banner = page.getByTestId("expiry-banner");
  await expect(banner).toContainText("An API key expires soon");
  await shot(page, "lifecycle-01-banner");
  await banner.getByRole("link", { name: /Roll it in Settings → API Keys/ }).click();
  await expect(page).toHaveURL(/\/settings\/api-keys$/);

  // Roll it, the old key keeping 1 hour.
  await oldRow.getByRole("button", { name: /^Roll weekly deploy/ }).click();
  const roll = page.getByRole("dialog", { name: "Roll “weekly deploy”?" });
  await expect(roll.getByRole("radio", { name: "In 24 hours" })).toBeChecked();
  await roll.getByRole("radio", { name: "In 1 hour" }).check();
  await shot(page, "lifecycle-02-roll");
  await roll.getByRole("button", { name: "Roll key" }).click();
  const rolled = page.getByRole("dialog", { name: "Save your new API key" });
  const newKey = await rolled.getByLabel(/API key/).inputValue();
  expect(newKey).toMatch(FULL_KEY);
  expect(newKey).not.toBe(oldKey);
  await expect(rolled).toContainText("keeps working until");
  await shot(page, "lifecycle-03-new-key");
  await rolled.getByRole("button", { name: "Done" }).click();
  // Shown once: gone from the page for good.
  expect(JSON.stringify(await pageSecrets(page))).not.toContain(newKey);

  await expect(oldRow.getByTestId("key-status")).toContainText("Rolled");
  await expect(oldRow.getByTestId("key-status")).toContainText("Stops working");
  await expect(oldRow.getByRole("button", { name: /^Roll/ })).toHaveCount(0);
  const newRow = page.getByRole("row").filter({ hasText: newKey.slice(0, 11) });
  await expect(newRow.getByTestId("key-status")).toContainText("Active");
  // Both work during the window.
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  expect((await request.get("/api/v1/me", { headers: bearer(oldKey) })).status()).toBe(200);
  expect((await request.get("/api/v1/me", { headers: bearer(newKey) })).status()).toBe(200);

  // The new key is handed in as leaked by someone who found it.
  expect((await request.post("/api/v1/credentials/revoke", { data: { credentials: [newKey] } })).status()).toBe(202);
  await page.reload();
  await expect(newRow.getByTestId("key-status")).toContainText("Revoked — reported as exposed");
  const refused = await request.get("/api/v1/me", { headers: bearer(newKey) });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.message).toMatch(/found exposed/);
  await shot(page, "lifecycle-04-exposed");

  await page.setViewportSize({ width: 375, height: 812 });
  await expectNoSidewaysScroll(page);
  await shot(page, "lifecycle-05-mobile");
});
