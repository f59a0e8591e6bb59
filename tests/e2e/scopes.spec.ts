// Scoped keys in the dashboard, as one person: create a read-only key and see a write with
// it refused over plain HTTP (403 insufficient_scope); create a full key, use it only to
// read, and narrow it from the suggestion the list then shows, in one click — also on a
// 375 px screen, and with the keyboard for the custom choice.

import { expect, expectNoSidewaysScroll, logIn, shot, signUpUser, test } from "./helpers";

test.use({ viewport: { width: 1280, height: 800 } });

const SPEC = { name: "from CI", examples: [{ input: "a", output: "b" }] };

test("a read-only key is refused a write; a full key used only to read is narrowed from the suggestion", async ({ page, request }) => {
  const { email, password } = await signUpUser("e2e-scopes");
  await page.goto("/settings/api-keys");
  await logIn(page, email, password);
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();

  // 1. Create a read-only key.
  const createButton = page.getByRole("button", { name: "Create API key" });
  await createButton.click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await dialog.getByLabel("Name").fill("read-only CI");
  await expect(dialog.getByRole("radio", { name: /^Full access/ })).toBeChecked();
  await dialog.getByRole("radio", { name: /^Read only/ }).check();
  await shot(page, "scopes-01-create-read-only");
  await dialog.getByRole("button", { name: "Create key" }).click();
  const saved = page.getByRole("dialog", { name: "Save your API key" });
  await expect(saved).toContainText("Access: Read only");
  const readOnlyKey = await saved.getByLabel(/API key/).inputValue();
  await saved.getByRole("button", { name: "Done" }).click();
  const readOnlyRow = page.getByRole("row").filter({ hasText: "read-only CI" });
  await expect(readOnlyRow).toContainText("Access: Read only");

  // 2. Over plain HTTP, as curl would: reading works, writing is refused, naming the scope.
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  expect((await request.get("/api/v1/behavior-specs", { headers: bearer(readOnlyKey) })).status()).toBe(200);
  const write = await request.post("/api/v1/behavior-specs", { headers: bearer(readOnlyKey), data: SPEC });
  expect(write.status()).toBe(403);
  expect(write.headers()["www-authenticate"]).toBe('Bearer error="insufficient_scope", scope="specs:write"');
  expect((await write.json()).error).toEqual({ code: "forbidden", message: expect.stringContaining("specs:write") });

  // 3. Custom access with nothing ticked is refused next to the scopes, before any request;
  //    done with the keyboard.
  await createButton.click();
  await dialog.getByLabel("Name").fill("custom key");
  await dialog.getByRole("radio", { name: /^Custom/ }).focus();
  await page.keyboard.press("Space");
  await expect(dialog.getByRole("radio", { name: /^Custom/ })).toBeChecked();
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByText("Choose at least one scope")).toBeVisible();
  await expect(dialog.getByRole("checkbox", { name: /^specs:read/ })).toBeFocused();
  await page.keyboard.press("Space");
  await dialog.getByRole("checkbox", { name: /^keys:write/ }).check();
  await shot(page, "scopes-02-create-custom");
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(saved).toContainText("Access: specs:read, keys:write");
  await saved.getByRole("button", { name: "Done" }).click();

  // 4. A full key (the default), used only to read specs.
  await createButton.click();
  await dialog.getByLabel("Name").fill("deploy bot");
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(saved).toContainText("Access: Full access");
  const fullKey = await saved.getByLabel(/API key/).inputValue();
  await saved.getByRole("button", { name: "Done" }).click();
  const fullRow = page.getByRole("row").filter({ hasText: "deploy bot" });
  await expect(fullRow).toContainText("Access: Full access");
  await expect(fullRow.getByRole("button", { name: /^Narrow/ })).toHaveCount(0);
  expect((await request.get("/api/v1/behavior-specs", { headers: bearer(fullKey) })).status()).toBe(200);

  // 5. The list suggests narrowing it to what it used (written just after the response).
  const narrowButton = fullRow.getByRole("button", { name: /^Narrow deploy bot .* to specs:read$/ });
  await expect(async () => {
    await page.reload();
    await expect(narrowButton).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(fullRow).toContainText("used only specs:read");
  await page.setViewportSize({ width: 375, height: 812 });
  await expectNoSidewaysScroll(page);
  await shot(page, "scopes-03-suggestion-mobile");
  await page.setViewportSize({ width: 1280, height: 800 });
  await shot(page, "scopes-04-suggestion");

  // 6. One click narrows it; the confirmation takes the focus; the key can no longer write.
  await narrowButton.click();
  await expect(page.getByRole("status").filter({ hasText: "Narrowed the key “deploy bot”" })).toBeFocused();
  await expect(fullRow).toContainText("Access: specs:read");
  await expect(fullRow.getByRole("button", { name: /^Narrow/ })).toHaveCount(0);
  await shot(page, "scopes-05-narrowed");
  expect((await request.get("/api/v1/behavior-specs", { headers: bearer(fullKey) })).status()).toBe(200);
  const refused = await request.post("/api/v1/behavior-specs", { headers: bearer(fullKey), data: SPEC });
  expect(refused.status()).toBe(403);
  expect(refused.headers()["www-authenticate"]).toContain('scope="specs:write"');
});
