// Organizations in the dashboard, as their people use them, with the mail read from Mailpit:
// an owner creates one and invites a second user, who accepts in a second browser; the owner
// changes their role; the invitee makes a key, and the owner removes them while the key is
// in use — the next request with it is refused. A third member leaves; the last owner cannot
// (the page says so). Service accounts and their keys, the invitation page's wrong-account
// and used-link words, and axe on each new page at desktop width and at 375 px.
import { randomUUID } from "node:crypto";

import { type Browser, type Page } from "@playwright/test";
import postgres from "postgres";

import { outlastKeyCache } from "../support/key-cache";
import { linksIn, waitForMail } from "../support/mailpit";
import { DATABASE_URL } from "../support/stack";
import { expect, expectNoSeriousViolations, expectNoSidewaysScroll, FULL_KEY, hydrating, logIn, shot, signUpUser, test } from "./helpers";

test.use({ viewport: { width: 1280, height: 800 } });

/** The two-factor policy set in SQL (the API refuses it to an owner without two-factor), then T for the membership memory. */
async function requireTwoFactor(slug: string, on: boolean) {
  const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    await sql`update public.organizations set require_two_factor = ${on} where slug = ${slug}`;
  } finally {
    await sql.end({ timeout: 5 });
  }
  await outlastKeyCache();
}

/** The accept link of the newest invitation mailed to `email`, as a path on the app under test. */
async function invitationLink(email: string, count = 1): Promise<string> {
  const mail = await waitForMail(email, { subject: /invited to join/, count });
  const link = linksIn(mail).find((href) => href.includes("/invitations/accept?token="));
  if (!link) throw new Error(`no invitation link in "${mail.Subject}"`);
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}

/** A second person's browser: opens the link signed out, logs in, lands back on the invitation. */
async function openAsNewBrowser(browser: Browser, link: string, user: { email: string; password: string }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = hydrating(await context.newPage());
  await page.goto(link);
  await expect(page).toHaveURL((url) => url.pathname === "/login");
  await logIn(page, user.email, user.password);
  await expect(page).toHaveURL((url) => url.pathname === "/invitations/accept");
  return page;
}

async function switcher(page: Page) {
  const box = page.locator("aside").getByTestId("organization-switcher");
  await box.getByRole("button", { name: /switch organization/ }).click();
  return box;
}

async function invite(page: Page, email: string, role: "Admin" | "Developer" | "Viewer") {
  const form = page.getByRole("form", { name: "Invite a member" });
  await form.getByLabel("E-mail address").fill(email);
  await form.getByLabel("Role").selectOption({ label: role });
  await form.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("status")).toContainText(`Invited ${email}`);
}

test("create, invite by mail, accept in a second browser, change a role, remove a member whose key is in use, leave; the last owner cannot", async ({ browser, page, request }) => {
  const owner = await signUpUser("e2e-org-owner");
  const invitee = await signUpUser("e2e-org-invitee");
  const third = await signUpUser("e2e-org-third");
  const stranger = await signUpUser("e2e-org-stranger");
  const slug = `acme-${randomUUID().slice(0, 8)}`;
  const name = `Acme ${slug.slice(5)}`;

  // The owner creates the organization from the switcher and lands on its members.
  await page.goto("/specs");
  await logIn(page, owner.email, owner.password);
  await expect(page).toHaveURL((url) => url.pathname === "/specs");
  let menu = await switcher(page);
  await expect(menu.getByRole("list", { name: "Your organizations" }).getByRole("button", { name: /Personal/ })).toHaveAttribute("aria-current", "true");
  await menu.getByRole("button", { name: "Create organization" }).click();
  const create = page.getByRole("dialog", { name: "Create organization" });
  await create.getByLabel("Name").fill(name);
  await create.getByLabel("Slug").fill(slug);
  await create.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/settings/members");
  await expect(page.locator("aside").getByTestId("current-organization")).toHaveText(name);
  await expect(page.locator('meta[name="tt-organization"]')).toHaveAttribute("content", slug);

  // Invitations by mail, listed with who sent them.
  await invite(page, invitee.email, "Developer");
  await invite(page, third.email, "Viewer");
  const invitation = page.locator(`tr[data-invitation="${invitee.email}"]`);
  await expect(invitation.getByTestId("invitation-status")).toContainText("Pending");
  await expect(invitation).toContainText(owner.email);
  await shot(page, "org-01-invited");

  // The invitee opens the mailed link in their own browser: log in, back to the invitation.
  const invitePage = await openAsNewBrowser(browser, await invitationLink(invitee.email), invitee);
  await expect(invitePage.getByRole("heading", { name: `Join ${name}` })).toBeVisible();
  await expect(invitePage.getByTestId("invitation-role")).toHaveText("Developer");
  await expectNoSeriousViolations(invitePage, "/invitations/accept");
  await invitePage.getByRole("button", { name: `Accept and join ${name}` }).click();
  await expect(invitePage).toHaveURL((url) => url.pathname === "/specs");
  await expect(invitePage.locator("aside").getByTestId("current-organization")).toHaveText(name);

  // The same link again: used.
  const usedLink = await invitationLink(invitee.email);
  await invitePage.goto(usedLink);
  await expect(invitePage.getByText("This invitation is no longer valid")).toBeVisible();

  // Another account opening the third member's link is told whose it is.
  const strangerPage = await openAsNewBrowser(browser, await invitationLink(third.email), stranger);
  await expect(strangerPage.getByText("This invitation is for another address")).toBeVisible();
  await expect(strangerPage.getByRole("main")).toContainText(third.email);
  await strangerPage.context().close();

  // The owner sees the member, and makes them an admin.
  await page.reload();
  const member = page.locator(`tr[data-member="${invitee.email}"]`);
  await expect(member.getByTestId("member-role")).toHaveText("Developer");
  await expect(invitation.getByTestId("invitation-status")).toContainText("Accepted");
  await member.getByRole("button", { name: `Change role of ${invitee.email}` }).click();
  const roleDialog = page.getByRole("dialog", { name: `Change role of ${invitee.email}` });
  await roleDialog.getByRole("radio", { name: /^Admin/ }).check();
  await roleDialog.getByRole("button", { name: "Save role" }).click();
  await expect(page.getByRole("status")).toContainText(`${invitee.email} is now admin`);
  await expect(member.getByTestId("member-role")).toHaveText("Admin");

  // The member makes a key in the organization.
  await invitePage.goto("/settings/api-keys");
  await invitePage.getByRole("button", { name: "Create API key" }).click();
  const keyDialog = invitePage.getByRole("dialog", { name: "Create API key" });
  await keyDialog.getByLabel("Name").fill("member laptop");
  await keyDialog.getByRole("button", { name: "Create key" }).click();
  const saved = invitePage.getByRole("dialog", { name: "Save your API key" });
  const memberKey = await saved.getByLabel(/API key/).inputValue();
  expect(memberKey).toMatch(FULL_KEY);
  await saved.getByRole("button", { name: "Done" }).click();
  const bearer = { authorization: `Bearer ${memberKey}` };
  const me = await request.get("/api/v1/me", { headers: bearer });
  expect(me.status()).toBe(200);
  expect((await me.json()).data.organization.slug).toBe(slug);

  // The owner sees who holds it, and removes the member while the key is in use.
  await page.goto("/settings/api-keys");
  await expect(page.getByRole("row").filter({ hasText: "member laptop" }).getByTestId("key-holder")).toHaveText(`Held by ${invitee.email}`);
  let using = true;
  const inUse = (async () => {
    const statuses: number[] = [];
    while (using) statuses.push((await request.get("/api/v1/me", { headers: bearer })).status());
    return statuses;
  })();
  await page.goto("/settings/members");
  await member.getByRole("button", { name: `Remove ${invitee.email}` }).click();
  await page.getByRole("dialog", { name: `Remove ${invitee.email}?` }).getByRole("button", { name: "Remove member" }).click();
  await expect(page.getByRole("status")).toContainText(`Removed ${invitee.email}`);
  // From the moment the removal answered: refused.
  const refused = await request.get("/api/v1/me", { headers: bearer });
  expect(refused.status()).toBe(403);
  using = false;
  const statuses = await inUse;
  expect(statuses[0]).toBe(200);
  expect(statuses.at(-1)).toBe(403);
  await expect(member).toHaveCount(0);
  // Their dashboard is back to their own workspace.
  await invitePage.goto("/specs");
  await expect(invitePage.locator("aside").getByTestId("current-organization")).toHaveText("Personal");
  await invitePage.context().close();

  // The third member accepts, then leaves.
  const thirdPage = await openAsNewBrowser(browser, await invitationLink(third.email), third);
  await expect(thirdPage.getByTestId("invitation-role")).toHaveText("Viewer");
  await thirdPage.getByRole("button", { name: `Accept and join ${name}` }).click();
  await expect(thirdPage).toHaveURL((url) => url.pathname === "/specs");
  await thirdPage.goto("/settings/members");
  // A viewer sees the members, not what only admins may do.
  await expect(thirdPage.locator(`tr[data-member="${owner.email}"]`)).toBeVisible();
  await expect(thirdPage.getByRole("form", { name: "Invite a member" })).toHaveCount(0);
  await expect(thirdPage.getByRole("button", { name: /^Remove/ })).toHaveCount(0);
  // Nor the organization's trail, which the API keeps for owners and admins.
  await thirdPage.goto("/settings/security-log");
  await expect(thirdPage.getByText("Only owners and admins read this organization's security log")).toBeVisible();
  await expect(thirdPage.getByText(invitee.email)).toHaveCount(0);
  await thirdPage.goto("/settings/members");
  await thirdPage.getByRole("button", { name: "Leave organization" }).click();
  await thirdPage.getByRole("dialog", { name: `Leave ${name}?` }).getByRole("button", { name: "Leave organization" }).click();
  await expect(thirdPage).toHaveURL((url) => url.pathname === "/specs");
  await expect(thirdPage.locator("aside").getByTestId("current-organization")).toHaveText("Personal");
  menu = await switcher(thirdPage);
  await expect(menu.getByRole("button", { name: new RegExp(name) })).toHaveCount(0);
  // A switch posted for the organization left (a form edited by hand) is refused: the
  // Server Action checks membership before it sets the cookie.
  await menu.locator('input[name="organization"]').first().evaluate((input, value) => ((input as HTMLInputElement).value = value), slug);
  await menu.getByRole("list", { name: "Your organizations" }).getByRole("button").first().click();
  await expect(thirdPage).toHaveURL((url) => url.pathname === "/specs");
  await thirdPage.reload();
  await expect(thirdPage.locator("aside").getByTestId("current-organization")).toHaveText("Personal");
  await expect(thirdPage.locator('meta[name="tt-organization"]')).not.toHaveAttribute("content", slug);
  expect((await thirdPage.context().cookies()).find((cookie) => cookie.name === "tt_org")?.value).not.toBe(slug);
  await thirdPage.context().close();

  // The last owner cannot leave: the page says why, and offers no button.
  await page.reload();
  await expect(page.locator(`tr[data-member="${third.email}"]`)).toHaveCount(0);
  await expect(page.getByTestId("last-owner")).toContainText(`You are the only owner of ${name}, so you can't leave it`);
  await expect(page.getByRole("button", { name: "Leave organization" })).toHaveCount(0);
  await shot(page, "org-02-last-owner");
});

test("service accounts, the organization's settings and policies, the new pages with axe at desktop and 375 px", async ({ page, request }) => {
  const owner = await signUpUser("e2e-org-sa");
  const slug = `sa-${randomUUID().slice(0, 8)}`;
  await page.goto("/specs");
  await logIn(page, owner.email, owner.password);
  await expect(page).toHaveURL((url) => url.pathname === "/specs");

  // The personal workspace cannot be deleted, and says why.
  await page.goto("/settings/organization");
  await expect(page.getByText("Your personal workspace can't be deleted")).toBeVisible();

  const menu = await switcher(page);
  await menu.getByRole("button", { name: "Create organization" }).click();
  const create = page.getByRole("dialog", { name: "Create organization" });
  await create.getByLabel("Name").fill(`Robots ${slug}`);
  await create.getByLabel("Slug").fill(slug);
  await create.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/settings/members");

  // A service account and its key, shown once.
  await page.goto("/settings/service-accounts");
  await page.getByRole("button", { name: "Create service account" }).click();
  const dialog = page.getByRole("dialog", { name: "Create service account" });
  await dialog.getByLabel("Name").fill("CI deploys");
  await dialog.getByRole("radio", { name: /^Viewer/ }).check();
  await dialog.getByRole("button", { name: "Create service account" }).click();
  await expect(page.getByRole("status")).toContainText("Created the service account “CI deploys”");
  const row = page.locator('tr[data-service-account="CI deploys"]');
  await row.getByRole("button", { name: "Create key for CI deploys" }).click();
  const keyDialog = page.getByRole("dialog", { name: "Create a key for “CI deploys”" });
  await keyDialog.getByLabel("Key name").fill("github actions");
  await keyDialog.getByRole("button", { name: "Create key" }).click();
  const saved = page.getByRole("dialog", { name: "Save the service account's key" });
  const saKey = await saved.getByLabel(/API key/).inputValue();
  expect(saKey).toMatch(FULL_KEY);
  await saved.getByRole("button", { name: "Done" }).click();
  const bearer = { authorization: `Bearer ${saKey}` };
  expect((await request.get("/api/v1/me", { headers: bearer })).status()).toBe(200);

  // A policy of 30 days at most: the key (90 days) is listed out of policy, with the reason.
  await page.goto("/settings/organization");
  await page.getByLabel("Maximum key lifetime (days)").fill("30");
  await page.getByRole("button", { name: "Save policies" }).click();
  await expect(page.getByRole("status")).toContainText("Saved the policies");
  await page.goto("/settings/api-keys");
  const keyRow = page.getByRole("row").filter({ hasText: "github actions" });
  await expect(keyRow.getByTestId("key-holder")).toHaveText("Held by Service account “CI deploys”");
  await expect(keyRow.getByTestId("key-out-of-policy")).toContainText("Out of policy");
  await expect(keyRow.getByTestId("key-out-of-policy")).toContainText("30 days");

  // The new pages, with their data, for axe and at 375 px.
  for (const viewport of [{ width: 1280, height: 800 }, { width: 375, height: 740 }]) {
    await page.setViewportSize(viewport);
    for (const path of ["/settings/organization", "/settings/members", "/settings/service-accounts", "/settings/api-keys"]) {
      await page.goto(path);
      await expect(page.locator("h1")).toBeVisible();
      await expectNoSeriousViolations(page, `${path} at ${viewport.width} px`);
      await expectNoSidewaysScroll(page);
    }
  }
  // The organization requires two-factor and this session has none: a notice in place of
  // its specs and keys, a link to set it up, and no key creation.
  await page.setViewportSize({ width: 1280, height: 800 });
  await requireTwoFactor(slug, true);
  for (const [path, title] of [["/specs", "Behaviour specs"], ["/settings/api-keys", "API keys"]] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
    await expect(page.getByTestId("organization-blocked")).toContainText(`Robots ${slug} requires two-factor authentication`);
    await expect(page.getByTestId("organization-blocked").getByRole("link", { name: /Settings → Security/ })).toHaveAttribute("href", "/settings/security");
    await expect(page.getByRole("button", { name: "Create API key" })).toHaveCount(0);
    await expect(page.getByText("github actions")).toHaveCount(0);
  }
  await expectNoSeriousViolations(page, "the two-factor notice");
  await requireTwoFactor(slug, false);

  // The delete dialog too, then deleting it: the service account's key stops working.
  await page.goto("/settings/organization");
  await page.getByRole("button", { name: "Delete organization" }).click();
  const del = page.getByRole("dialog", { name: `Delete Robots ${slug}?` });
  await del.getByLabel(`Type ${slug} to confirm`).fill(slug);
  await expectNoSeriousViolations(page, "delete organization dialog");
  await del.getByRole("button", { name: "Delete organization" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/specs");
  await expect(page.locator("aside").getByTestId("current-organization")).toHaveText("Personal");
  // Refused: the key went with the organization (unknown now, 401) or is held revoked (403).
  expect([401, 403]).toContain((await request.get("/api/v1/me", { headers: bearer })).status());
});
