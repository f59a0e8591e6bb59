// Keyless CI in the dashboard: an owner opens a service account's page from Settings →
// Service accounts, creates a GitHub trust policy (the numeric ids required, the warning
// about pull_request_target and workflow_run shown where it is made), runs the live check
// with claims that match and with claims that do not, disables and enables it, and deletes
// it (the confirmation says every key it minted stops at once) — by keyboard where a person
// would, with axe at desktop width and at 375 px.
import { randomUUID } from "node:crypto";

import { test } from "@playwright/test";

import { expect, expectNoSeriousViolations, expectNoSidewaysScroll, logIn, shot, signUpUser } from "./helpers";

test.use({ viewport: { width: 1280, height: 800 } });

const GITHUB = "https://token.actions.githubusercontent.com";

test("a trust policy: created with numeric ids, the live check, disabled, deleted", async ({ page }) => {
  const owner = await signUpUser("e2e-trust");
  const slug = `ci-${randomUUID().slice(0, 8)}`;

  await page.goto("/specs");
  await logIn(page, owner.email, owner.password);
  await expect(page).toHaveURL((url) => url.pathname === "/specs");
  const appUrl = new URL(page.url()).origin;
  const box = page.locator("aside").getByTestId("organization-switcher");
  await box.getByRole("button", { name: /switch organization/ }).click();
  await box.getByRole("button", { name: "Create organization" }).click();
  const create = page.getByRole("dialog", { name: "Create organization" });
  await create.getByLabel("Name").fill(`CI ${slug}`);
  await create.getByLabel("Slug").fill(slug);
  await create.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/settings/members");

  // A service account, then its page from the list.
  await page.goto("/settings/service-accounts");
  await page.getByRole("button", { name: "Create service account" }).click();
  const sa = page.getByRole("dialog", { name: "Create service account" });
  await sa.getByLabel("Name").fill("CI deploys");
  await sa.getByRole("button", { name: "Create service account" }).click();
  await expect(page.getByRole("status")).toContainText("Created the service account “CI deploys”");
  await page.locator('tr[data-service-account="CI deploys"]').getByRole("link", { name: "Trust policies of CI deploys" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "CI deploys" })).toBeVisible();
  await expect(page.getByText("No trust policies yet")).toBeVisible();

  // Create: GitHub by default, with the warning; a name where an id goes, and a missing id, are refused in place.
  await page.getByRole("button", { name: "Create trust policy" }).click();
  const dialog = page.getByRole("dialog", { name: "Create a trust policy for “CI deploys”" });
  await expect(dialog.getByRole("radio", { name: "GitHub Actions" })).toBeChecked();
  await expect(dialog.getByText(/pull_request_target and workflow_run events are refused/)).toBeVisible();
  await expect(dialog.getByLabel("Name", { exact: true })).toBeFocused();
  await page.keyboard.type("deploy from main");
  await dialog.getByLabel("Repository ID").fill("acme/models");
  await dialog.getByRole("button", { name: "Create trust policy" }).click();
  await expect(dialog.getByText("Repository ID must be the numeric id, not a name.")).toBeVisible();
  await expect(dialog.getByText("Owner ID is required.")).toBeVisible();
  await expect(dialog.getByLabel("Repository ID")).toHaveAttribute("aria-invalid", "true");
  await expectNoSeriousViolations(page, "the create trust policy dialog");
  await dialog.getByLabel("Repository ID").fill("892734561");
  await dialog.getByLabel("Owner ID").fill("1234567");
  await dialog.getByLabel(/^Ref\b/).fill("refs/heads/main");
  await dialog.getByLabel("Owner ID").press("Enter"); // submits the form from the keyboard
  await expect(page.getByRole("status")).toContainText("Created the trust policy “deploy from main”");
  const row = page.locator('tr[data-trust-policy="deploy from main"]');
  await expect(row).toContainText("Enabled");
  await expect(row).toContainText("892734561");
  await shot(page, "trust-01-created");

  // The live check: claims that match, then the right repository name with the wrong id.
  const claims = { iss: GITHUB, aud: appUrl, repository: "acme/models", repository_id: "892734561", repository_owner_id: "1234567", ref: "refs/heads/main", event_name: "push" };
  const check = page.getByRole("region", { name: "Live check" });
  await check.getByLabel("Token or claims").fill(JSON.stringify(claims));
  await check.getByRole("button", { name: "Check" }).click();
  const result = check.locator('[data-check-result="deploy from main"]');
  await expect(result).toContainText("Matches");
  await expect(check).toContainText("Matches “deploy from main”.");
  await expect(check).toContainText("no signature was checked");
  await check.getByLabel("Token or claims").fill(JSON.stringify({ ...claims, repository_id: "1" }));
  await check.getByRole("button", { name: "Check" }).click();
  await expect(result).toContainText("Does not match");
  await expect(result.getByRole("row", { name: /Repository ID/ })).toContainText("differs");
  await expect(check).toContainText("No policy matches.");
  await check.getByLabel("Token or claims").fill("{not json");
  await check.getByRole("button", { name: "Check" }).click();
  await expect(check.getByLabel("Token or claims")).toHaveAttribute("aria-invalid", "true");
  await shot(page, "trust-02-check");

  // Disable and enable, by keyboard.
  await row.getByRole("button", { name: "Disable deploy from main" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toContainText("every key it minted stopped working");
  await expect(row).toContainText("Disabled");
  await row.getByRole("button", { name: "Enable deploy from main" }).click();
  await expect(row).toContainText("Enabled");

  // The page, for axe and at 375 px.
  for (const viewport of [{ width: 1280, height: 800 }, { width: 375, height: 740 }]) {
    await page.setViewportSize(viewport);
    await page.reload();
    await expect(page.locator('tr[data-trust-policy="deploy from main"]')).toBeVisible();
    await expectNoSeriousViolations(page, `the service account's page at ${viewport.width} px`);
    await expectNoSidewaysScroll(page);
  }
  await shot(page, "trust-03-mobile");
  await page.setViewportSize({ width: 1280, height: 800 });

  // Delete: the confirmation says what it does to the keys; Cancel is focused first.
  await row.getByRole("button", { name: "Delete deploy from main" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete “deploy from main”?" });
  await expect(confirm).toContainText("every key it minted stops working at once");
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await expectNoSeriousViolations(page, "the delete trust policy dialog");
  await confirm.getByRole("button", { name: "Delete trust policy" }).click();
  await expect(page.getByRole("status")).toContainText("Deleted the trust policy “deploy from main”. Every key it minted stopped working.");
  await expect(page.getByText("No trust policies yet")).toBeVisible();
});
