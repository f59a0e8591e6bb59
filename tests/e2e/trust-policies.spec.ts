// Keyless CI in the dashboard: an owner opens a service account's page from Settings →
// Service accounts, creates a GitHub trust policy (the numeric ids required, the warning
// about pull_request_target and workflow_run shown where it is made) for the local OIDC
// issuer of tests/support/oidc-issuer.ts (the app runs with OIDC_ALLOW_LOOPBACK_ISSUERS=1, as
// npm test starts it), runs the live check with a signed token and with claims that do not
// match, sees a key minted by the exchange listed with its CI run (the key list and the key's
// page), disables the policy (the key is refused at once) and enables it, and deletes it (the
// confirmation says every key it minted stops at once) — by keyboard where a person would,
// with axe at desktop width and at 375 px.
import { randomUUID } from "node:crypto";


import { gitHubClaims, startOidcIssuer, type OidcIssuer } from "../support/oidc-issuer";
import { expect, expectNoSeriousViolations, expectNoSidewaysScroll, logIn, shot, signUpUser, test } from "./helpers";

test.use({ viewport: { width: 1280, height: 800 } });

const EXCHANGE = {
  grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
  subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
};

let issuer: OidcIssuer;
test.beforeAll(async () => {
  issuer = await startOidcIssuer();
});
test.afterAll(async () => {
  await issuer?.stop();
});

test("a trust policy: created with numeric ids, the live check, a minted key's run, disabled, deleted", async ({ page, request }) => {
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
  await dialog.getByLabel(/^Issuer/).fill(issuer.url);
  await dialog.getByLabel("Repository ID").fill("octo-org/octo-repo");
  await dialog.getByRole("button", { name: "Create trust policy" }).click();
  await expect(dialog.getByText("Repository ID must be the numeric id, not a name.")).toBeVisible();
  await expect(dialog.getByText("Owner ID is required.")).toBeVisible();
  await expect(dialog.getByLabel("Repository ID")).toHaveAttribute("aria-invalid", "true");
  await expectNoSeriousViolations(page, "the create trust policy dialog");
  await dialog.getByLabel("Repository ID").fill("74");
  await dialog.getByLabel("Owner ID").fill("65");
  await dialog.getByLabel(/^Ref\b/).fill("refs/heads/main");
  await dialog.getByLabel("Owner ID").press("Enter"); // submits the form from the keyboard
  await expect(page.getByRole("status")).toContainText("Created the trust policy “deploy from main”");
  const row = page.locator('tr[data-trust-policy="deploy from main"]');
  await expect(row).toContainText("Enabled");
  await expect(row).toContainText("74");
  const policyId = (await row.locator("code").first().textContent())!.trim();
  await shot(page, "trust-01-created");

  // The live check: a signed token of the trusted job, then the right repository name with the wrong id.
  const claims = gitHubClaims(issuer.url, appUrl);
  const check = page.getByRole("region", { name: "Live check" });
  await check.getByLabel("Token or claims").fill(await issuer.sign(claims));
  await check.getByRole("button", { name: "Check" }).click();
  const result = check.locator('[data-check-result="deploy from main"]');
  await expect(result).toContainText("Matches");
  await expect(check).toContainText("Matches “deploy from main”.");
  await expect(check).toContainText("The token's signature verifies");
  await check.getByLabel("Token or claims").fill(JSON.stringify({ ...claims, repository_id: "1" }));
  await check.getByRole("button", { name: "Check" }).click();
  await expect(result).toContainText("Does not match");
  await expect(result.getByRole("row", { name: /Repository ID/ })).toContainText("differs");
  await expect(check).toContainText("No policy matches.");
  await expect(check).toContainText("no signature was checked");
  await check.getByLabel("Token or claims").fill("{not json");
  await check.getByRole("button", { name: "Check" }).click();
  await expect(check.getByLabel("Token or claims")).toHaveAttribute("aria-invalid", "true");
  await shot(page, "trust-02-check");

  // A CI job trades its token: the key is listed with its run, on the list and on its page.
  const minted = await request.post("/api/v1/oauth/token", { form: { ...EXCHANGE, subject_token: await issuer.sign(claims), audience: policyId } });
  expect(minted.status(), await minted.text()).toBe(200);
  const bearer = { authorization: `Bearer ${((await minted.json()) as { access_token: string }).access_token}` };
  expect((await request.get("/api/v1/behavior-specs", { headers: bearer })).status()).toBe(200);
  await page.goto("/settings/api-keys");
  const keyRow = page.getByRole("row").filter({ has: page.getByTestId("key-minted-by") });
  await expect(keyRow.getByTestId("key-minted-by")).toHaveText("Minted for a CI run: octo-org/octo-repo · run 5872903413 (attempt 2) · e83c516 · by octocat");
  await expect(keyRow.getByTestId("key-holder")).toHaveText("Held by Service account “CI deploys”");
  await keyRow.getByRole("link").first().click();
  const facts = page.getByTestId("key-minted-by");
  await expect(facts).toContainText("octo-org/octo-repo");
  await expect(facts).toContainText("5872903413 (attempt 2)");
  await expect(facts).toContainText("e83c5163316f89bfbde7d9ab23ca2e25604af290");
  await expect(facts).toContainText("refs/heads/main");
  await expectNoSeriousViolations(page, "a minted key's page");
  await page.goBack();
  await page.goBack();
  await expect(row).toBeVisible();

  // Disable, by keyboard: the minted key is refused from the answer on; enable again.
  await row.getByRole("button", { name: "Disable deploy from main" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toContainText("every key it minted stopped working");
  await expect(row).toContainText("Disabled");
  expect((await request.get("/api/v1/behavior-specs", { headers: bearer })).status()).toBe(403);
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
