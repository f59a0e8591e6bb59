// A key's page and the security log, as one person: a key used a known number of times
// (successes, a 404, refusals) shows exactly the API's numbers in its chart and in the
// table beside it, its last user agent, scopes used, and its events; the security log lists
// every event and filters by key; both fit 375 px; another user's key is a 404.
import { randomUUID } from "node:crypto";
import { type Page } from "@playwright/test";

import { sessionCookie } from "../../scripts/lib/session-cookie.ts";
import { createApiKeyWithCookie } from "../../scripts/lib/users.ts";
import { expect, expectNoSidewaysScroll, logIn, shot, signUpUser, test } from "./helpers";

test.use({ viewport: { width: 1280, height: 800 } });

type Usage = { buckets: { start: string; success: number; client_error: number; server_error: number; refused: number; limited: number }[]; totals: Record<string, number> };

/** What the chart and its table say, day by day. */
async function drawn(page: Page) {
  const chart = await page.getByTestId("usage-chart").locator("g[data-day]").evaluateAll((gs) =>
    gs.map((g) => ({
      day: g.getAttribute("data-day")!,
      success: Number(g.getAttribute("data-success")),
      failed: Number(g.getAttribute("data-failed")),
      limited: Number(g.getAttribute("data-limited")),
      title: g.querySelector("title")?.textContent ?? "",
    })),
  );
  const table = await page.getByTestId("usage-table").locator("tbody tr").evaluateAll((rows) =>
    rows.map((r) => ({ day: r.getAttribute("data-day")!, cells: Array.from(r.querySelectorAll("td"), (td) => Number(td.textContent)) })),
  );
  return { chart, table };
}

test("a key's chart shows the API's numbers; the security log lists and filters its events", async ({ page, baseURL }) => {
  const { email, password, session } = await signUpUser("e2e-activity");
  const app = baseURL!;
  const cookie = sessionCookie(session);
  const key = await createApiKeyWithCookie<{ id: string; key: string; key_prefix: string }>(app, cookie, { name: "chart me" });
  const other = await createApiKeyWithCookie<{ id: string; key: string; key_prefix: string }>(app, cookie, { name: "the other one" });
  const bearer = { authorization: `Bearer ${key.key}`, "user-agent": "e2e-usage/2.0" };
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await fetch(`${app}/api/v1/me`, { headers: bearer })).status);
  statuses.push((await fetch(`${app}/api/v1/behavior-specs/${randomUUID()}`, { headers: bearer })).status);
  for (let i = 0; i < 2; i++) statuses.push((await fetch(`${app}/api/v1/api-keys`, { method: "POST", headers: { ...bearer, "content-type": "application/json" }, body: "{}" })).status);
  expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 404, 403, 403]);
  const rename = await fetch(`${app}/api/v1/api-keys/${key.id}`, { method: "PATCH", headers: { cookie, origin: app, "content-type": "application/json" }, body: JSON.stringify({ name: "chart me please" }) });
  expect(rename.status).toBe(200);

  // The API's numbers, once the instance has flushed them (npm test serves it with a 1 s flush).
  let usage: Usage | undefined;
  await expect
    .poll(async () => {
      const res = await fetch(`${app}/api/v1/api-keys/${key.id}/usage?days=30`, { headers: { cookie } });
      usage = ((await res.json()) as { data: Usage }).data;
      return usage.totals;
    }, { timeout: 20_000 })
    .toEqual({ success: 6, client_error: 1, server_error: 0, refused: 2, limited: 0 });

  await page.goto(`/settings/api-keys/${key.id}`);
  await logIn(page, email, password);
  await expect(page.getByRole("heading", { name: "chart me please", level: 1 })).toBeVisible();
  await expect(page.getByTestId("usage-totals")).toHaveText("6 succeeded · 3 failed (1 client errors, 0 server errors, 2 refused) · 0 limited");

  // Chart and table, day by day, equal the API's buckets.
  const { chart, table } = await drawn(page);
  const expected = usage!.buckets.map((b) => ({ day: b.start.slice(0, 10), success: b.success, failed: b.client_error + b.server_error + b.refused, limited: b.limited }));
  expect(chart.map(({ day, success, failed, limited }) => ({ day, success, failed, limited }))).toEqual(expected);
  expect(table.map((r) => ({ day: r.day, success: r.cells[0], failed: r.cells[1], limited: r.cells[2] }))).toEqual([...expected].reverse());
  expect(chart).toHaveLength(30);
  // Values on hover: the day's column carries them as its title.
  const today = expected.at(-1)!;
  expect(chart.at(-1)!.title).toMatch(new RegExp(`: ${today.success} succeeded, ${today.failed} failed, ${today.limited} limited$`));
  await page.getByTestId("usage-chart").locator(`g[data-day="${today.day}"]`).hover();

  await expect(page.getByText("e2e-usage/2.0")).toBeVisible();
  const events = page.getByTestId("audit-events");
  await expect(events.locator("li")).toHaveCount(2);
  await expect(events.locator("li").nth(0)).toContainText("Key renamed");
  await expect(events.locator("li").nth(0)).toContainText("“chart me” → “chart me please”");
  await expect(events.locator("li").nth(1)).toContainText("Key created");
  await shot(page, "activity-01-key-page");

  // The security log: both keys' events and this browser's sign-in, then only the other key's.
  await page.getByRole("link", { name: "Security log" }).first().click();
  await expect(page.getByRole("heading", { name: "Security log", level: 1 })).toBeVisible();
  await expect(page.getByTestId("audit-events").locator("li")).toHaveCount(4);
  await expect(page.getByTestId("audit-events").locator("li").nth(0)).toContainText("Signed in");
  await expect(page.getByTestId("audit-events").locator("li").nth(0)).toContainText("with a password");
  await page.getByLabel("Key").selectOption(other.id);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get("key") === other.id);
  await expect(page.getByTestId("audit-events").locator("li")).toHaveCount(1);
  await expect(page.getByTestId("audit-events")).toContainText(other.key_prefix);
  await shot(page, "activity-02-security-log");

  // At 375 px both pages fit.
  await page.setViewportSize({ width: 375, height: 800 });
  for (const path of [`/settings/api-keys/${key.id}`, "/settings/security-log"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoSidewaysScroll(page);
  }

  // Someone else's key (or none at all): the same "not found", and nothing of theirs. (The
  // status is sent before the page renders, under the key list's loading boundary, so it is
  // the page, not the status code, that says so; the API answers 404.)
  const stranger = await signUpUser("e2e-activity-other");
  const theirs = await createApiKeyWithCookie<{ id: string }>(app, sessionCookie(stranger.session), { name: "not yours" });
  for (const id of [theirs.id, randomUUID()]) {
    await page.goto(`/settings/api-keys/${id}`);
    await expect(page.getByRole("heading", { name: "API key not found" })).toBeVisible();
    await expect(page.getByText("not yours")).toHaveCount(0);
  }
});
