// Usage limits in the dashboard, as one person with the keyboard: a key created with its
// own limits shows them in the list and on its page, with each window's use and refill; the
// limits are lowered on the key's page and the page says so; the organization's default and
// a service account's limits are set on their settings pages; axe on each, and the key's
// page and its dialog fit 375 px.

import { createApiKeyWithCookie } from "../../scripts/lib/users.ts";
import { sessionCookie } from "../support/session";
import { APP_URL } from "../support/stack";
import { enrolTotp, totpCode, verifyTotp } from "../support/totp";
import { browserSession, expect, expectNoSeriousViolations, expectNoSidewaysScroll, logIn, shot, signUpUser, test } from "./helpers";

test.use({ viewport: { width: 1280, height: 800 } });

test("set a key's limits when creating it, see them and their use, lower them; the organization's default; axe and 375 px", async ({ page }) => {
  const { email, password, session } = await signUpUser("e2e-limits");
  await page.goto("/login?next=/settings/api-keys");
  await logIn(page, email, password);
  await expect(page).toHaveURL((url) => url.pathname === "/settings/api-keys");

  // Create a key with a rate and a quota, by keyboard.
  await page.getByRole("button", { name: "Create API key" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await dialog.getByLabel("Name").fill("limited");
  await dialog.getByText("Limits (optional)").click();
  await dialog.getByLabel("Rate limit (requests)").fill("60");
  await dialog.getByLabel("Burst (requests in any second)").fill("10");
  await dialog.getByLabel("Quota (requests)").fill("1000");
  await expectNoSeriousViolations(page, "the create dialog with limits");
  await dialog.getByLabel("Quota (requests)").press("Enter");
  const reveal = page.getByRole("dialog", { name: "Save your API key" });
  await expect(reveal).toBeVisible();
  const key = await reveal.getByLabel(/API key/).inputValue();
  await reveal.getByRole("button", { name: "Done" }).click();

  const row = page.locator("tr", { hasText: "limited" });
  await expect(row.getByTestId("key-limits")).toHaveText("Limits: 60 a minute, at most 10 in any second · 1,000 a day");

  // Some use, then the key's page: its limits, their use and refill, and the chart's series.
  for (let i = 0; i < 4; i++) expect((await fetch(`${APP_URL}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
  await row.getByRole("link", { name: "limited" }).click();
  await expect(page.getByRole("heading", { name: "Limits" })).toBeVisible();
  await expect(page.getByTestId("key-limits")).toHaveText("Its own: 60 a minute, at most 10 in any second · 1,000 a day");
  const quota = page.getByTestId("limit-use-key-quota");
  await expect(quota.getByRole("rowheader")).toHaveText("Quota (1,000 a day)");
  await expect(quota).toContainText(/\d+ of 1,000 \(\d+ %\)/);
  await expect(page.getByTestId("limit-use-key-rate")).toContainText("of 60");
  await expect(page.getByText("Limited (429 by a rate limit or quota)")).toBeVisible();
  await expectNoSeriousViolations(page, "a key's page with limits");
  await shot(page, "limits-01-key-page");

  // Lower the quota: no second factor needed; the page says so and shows it.
  await page.getByRole("button", { name: "Change limits" }).click();
  const edit = page.getByRole("dialog", { name: "Limits of “limited”" });
  await expect(edit.getByLabel("Its own limits")).toBeChecked();
  await edit.getByLabel("Quota (requests)").fill("abc");
  await edit.getByRole("button", { name: "Save limits" }).click();
  await expect(edit.getByLabel("Quota (requests)")).toBeFocused();
  await expect(edit.getByText(/Enter a whole number of requests/)).toBeVisible();
  await edit.getByLabel("Quota (requests)").fill("500");
  await expectNoSeriousViolations(page, "the limits dialog");
  await edit.getByRole("button", { name: "Save limits" }).click();
  await expect(edit).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: "Saved: 60 a minute, at most 10 in any second · 500 a day" })).toBeVisible();
  await expect(page.getByTestId("key-limits")).toHaveText("Its own: 60 a minute, at most 10 in any second · 500 a day");
  const api = await fetch(`${APP_URL}/api/v1/api-keys`, { headers: { cookie: sessionCookie(session) } });
  const listed = ((await api.json()) as { data: { name: string; limits: unknown }[] }).data.find((k) => k.name === "limited");
  expect(listed?.limits).toEqual({ rate: { requests: 60, per: "minute", burst: 10 }, quota: { requests: 500, per: "day" } });

  // 375 px: the page and the dialog fit.
  await page.setViewportSize({ width: 375, height: 812 });
  await expectNoSidewaysScroll(page);
  await page.getByRole("button", { name: "Change limits" }).click();
  await expect(page.getByRole("dialog", { name: "Limits of “limited”" })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await shot(page, "limits-02-dialog-375");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: "Change limits" })).toBeFocused();
  await page.setViewportSize({ width: 1280, height: 800 });

  // The organization's default for keys (the personal workspace's own policy).
  await page.goto("/settings/organization");
  await expect(page.getByTestId("default-key-limits")).toHaveText("No limits");
  await page.getByRole("button", { name: "Change default limits" }).click();
  const defaults = page.getByRole("dialog", { name: "Default limits for keys" });
  await defaults.getByLabel("Rate limit (requests)").fill("5");
  await defaults.getByLabel("Rate limit window").selectOption("second");
  await defaults.getByRole("button", { name: "Save limits" }).click();
  await expect(defaults).toBeHidden();
  await expect(page.getByTestId("default-key-limits")).toHaveText("5 a second");
  await expectNoSeriousViolations(page, "the organization page with default limits");
});

test("raising a key's limit asks for the second factor in place, like creating a key", async ({ page, context }) => {
  const { email, password, session } = await signUpUser("e2e-limits-2fa");
  const key = await createApiKeyWithCookie<{ id: string }>(APP_URL, sessionCookie(session), { name: "raise me", limits: { rate: null, quota: { requests: 100, per: "day" } } });
  await page.goto(`/login?next=/settings/api-keys/${key.id}`);
  await logIn(page, email, password);
  await expect(page.getByTestId("key-limits")).toHaveText("Its own: 100 a day");
  // Two-factor sign-in turned on for this very session: its cookie is still at aal1.
  const { access_token } = await browserSession(context);
  const factor = await enrolTotp(access_token, "Phone");
  await verifyTotp(access_token, factor.factorId, factor.secret);

  await page.getByRole("button", { name: "Change limits" }).click();
  const edit = page.getByRole("dialog", { name: "Limits of “raise me”" });
  await edit.getByLabel("Quota (requests)").fill("200");
  await edit.getByRole("button", { name: "Save limits" }).click();
  const code = edit.getByLabel("Code from your authenticator app");
  await expect(code).toBeFocused();
  await expect(edit.getByText("raising or removing a limit needs a code from your authenticator app")).toBeVisible();
  await expect(page.getByTestId("key-limits")).toHaveText("Its own: 100 a day");
  await expectNoSeriousViolations(page, "the limits dialog asking for the code");
  await code.fill(totpCode(factor.secret));
  await edit.getByRole("button", { name: "Verify and save" }).click();
  await expect(edit).toBeHidden();
  await expect(page.getByTestId("key-limits")).toHaveText("Its own: 200 a day");
});

test("a service account's limits, shared by its keys, set on Settings → Service accounts", async ({ page, context }) => {
  const { email, password, session } = await signUpUser("e2e-limits-sa");
  const cookie = sessionCookie(session);
  const slug = `lim-${Date.now().toString(36)}`;
  const org = await fetch(`${APP_URL}/api/v1/organizations`, { method: "POST", headers: { cookie, origin: APP_URL, "content-type": "application/json" }, body: JSON.stringify({ name: `Limits ${slug}`, slug }) });
  expect(org.status).toBe(201);
  const made = await fetch(`${APP_URL}/api/v1/organization/service-accounts`, {
    method: "POST",
    headers: { cookie, origin: APP_URL, "content-type": "application/json", "tt-organization": slug },
    body: JSON.stringify({ name: "nightly" }),
  });
  expect(made.status).toBe(201);
  // The dashboard shows the organization its cookie names (what the switcher sets).
  await context.addCookies([{ name: "tt_org", value: slug, url: APP_URL }]);
  await page.goto("/login?next=/settings/service-accounts");
  await logIn(page, email, password);
  const row = page.locator('tr[data-service-account="nightly"]');
  await expect(row.getByTestId("service-account-limits")).toHaveText("No limits");

  await row.getByRole("button", { name: "Limits of nightly" }).click();
  const dialog = page.getByRole("dialog", { name: "Limits of “nightly”" });
  await expect(dialog.getByLabel("Rate limit (requests)")).toBeFocused();
  await dialog.getByLabel("Quota (requests)").fill("50000");
  await dialog.getByLabel("Quota period").selectOption("month");
  await expectNoSeriousViolations(page, "the service account's limits dialog");
  await dialog.getByRole("button", { name: "Save limits" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status")).toContainText("Saved the limits of “nightly”: 50,000 a month.");
  await expect(row.getByTestId("service-account-limits")).toHaveText("50,000 a month");
  await expect(row.getByRole("button", { name: "Limits of nightly" })).toBeFocused();
});
