// Usage limits over HTTP, against the running app and the real stack: a key's rate and quota,
// its service account's shared limit and the organization's default; the RateLimit-Policy and
// RateLimit fields on every answer to a limited key (and none for a key without limits); the
// 429 envelopes (rate_limited, quota_exceeded) with Retry-After; lowering a limit with a key
// (narrowing) versus raising it (widening: a session only); a lowered limit in force when the
// PATCH answers; refusals counted as `limited` in the key's usage, and against no limit.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { freePort, startAppInstance, type AppInstance } from "../support/app-instance";
import { eventually, serverErrors, type Call, type Json, type Res, api as sharedApi } from "../support/http";
import { fitInMinute } from "../support/limiter-minute";
import { inbox } from "../support/mailpit";
import { inOrg, organizationInSql, uniqueSlug, withKey } from "../support/organizations";
import { DATABASE_URL, newUser } from "../support/stack";

// An instance of its own: the exact sequences below (so many admitted, then refused; what the
// RateLimit field says is left) are one instance's. Across several, a request may be refused
// on one while another holds allowance it leased (the bounded under-admission of
// docs/ARCHITECTURE.md, "Usage limits"), which tests/scale/shared/usage-limit-across-instances.test.ts
// measures.
let app: AppInstance;
beforeAll(async () => {
  app = await startAppInstance(await freePort(), { USAGE_FLUSH_MS: "1000" });
});
afterAll(() => app?.stop());
const api = (path: string, call: Call = {}) => sharedApi(path, { ...call, base: app.url, ...(call.origin ? { origin: app.url } : {}) });

const sql = postgres(DATABASE_URL, { max: 2, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

type User = Awaited<ReturnType<typeof newUser>>;
let owner: User;
let slug: string;
const asOwner = (): Call => inOrg(owner.session, slug);

const perMinute = (requests: number, burst: number | null = null) => ({ rate: { requests, per: "minute", burst }, quota: null });
const perDay = (requests: number) => ({ rate: null, quota: { requests, per: "day" } });

async function newKey(body: Json = {}): Promise<Json> {
  const res = await api("/api/v1/api-keys", { method: "POST", ...asOwner(), json: { name: "limited", ...body } });
  expect(res.status, res.text).toBe(201);
  return res.body.data as Json;
}
const me = (key: string) => api("/api/v1/me", withKey(key));
const patchKey = (id: string, json: Json, call: Call) => api(`/api/v1/api-keys/${id}`, { method: "PATCH", ...call, json });

function expectLimitRefusal(res: Res, code: "rate_limited" | "quota_exceeded", maxRetryAfter: number) {
  expect(res.status, res.text).toBe(429);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe("string");
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxRetryAfter);
  expect(res.headers.get("ratelimit-policy")).toBeTruthy();
  expect(res.headers.get("ratelimit")).toMatch(/;r=0;t=\d+/);
}

beforeAll(async () => {
  owner = await newUser("limits-owner");
  slug = uniqueSlug("limits");
  await organizationInSql(sql, slug, `Limits ${slug}`, [[owner, "owner"]]);
});

afterAll(() => {
  expect(serverErrors).toEqual([]);
});

describe("a key's rate limit", () => {
  it("admits the limit in the minute, then 429 rate_limited with Retry-After; RateLimit fields on every answer", async () => {
    await fitInMinute(15);
    const key = await newKey({ limits: perMinute(3) });
    expect(key.limits).toEqual(perMinute(3));
    expect(key.effective_limits).toEqual({ ...perMinute(3), source: "key" });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await me(key.key as string));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
    for (const res of answers) expect(res.headers.get("ratelimit-policy")).toBe('"key-rate";q=3;w=60');
    expect(answers[0]!.headers.get("ratelimit")).toMatch(/^"key-rate";r=2;t=\d+$/);
    expect(answers[2]!.headers.get("ratelimit")).toMatch(/^"key-rate";r=0;t=\d+$/);
    expect(answers[0]!.headers.get("tt-ratelimit-window")).toMatch(/:00\.000Z$/);
    expectLimitRefusal(answers[3]!, "rate_limited", 60);
    // An answer refused before admission (a missing scope: 403) carries the fields too, and costs nothing.
    const narrow = await newKey({ limits: perMinute(1), scopes: ["keys:read"] });
    for (let i = 0; i < 2; i++) {
      const res = await api("/api/v1/behavior-specs", withKey(narrow.key as string));
      expect(res.status).toBe(403);
      expect(res.headers.get("ratelimit-policy")).toBe('"key-rate";q=1;w=60');
      expect(res.headers.get("ratelimit")).toMatch(/^"key-rate";r=1;t=\d+$/);
    }
    expect((await me(narrow.key as string)).status).toBe(200);
  });

  it("a burst caps any one second inside the minute", async () => {
    await fitInMinute(10);
    const key = await newKey({ limits: perMinute(100, 2) });
    const answers = await Promise.all([0, 1, 2, 3, 4].map(() => me(key.key as string)));
    const byWindow = new Map<string, number>();
    for (const res of answers) {
      if (res.status === 200) byWindow.set(res.headers.get("tt-ratelimit-window")!, (byWindow.get(res.headers.get("tt-ratelimit-window")!) ?? 0) + 1);
      else expectLimitRefusal(res, "rate_limited", 1);
    }
    for (const count of byWindow.values()) expect(count).toBeLessThanOrEqual(2);
    expect(answers[0]!.headers.get("ratelimit-policy")).toBe('"key-rate";q=100;w=60, "key-burst";q=2;w=1');
  });

  it("a key without limits answers without the fields", async () => {
    const key = await newKey();
    expect(key.limits).toBeNull();
    expect(key.effective_limits).toEqual({ rate: null, quota: null, source: null });
    const res = await me(key.key as string);
    expect(res.status).toBe(200);
    expect(res.headers.get("ratelimit-policy")).toBeNull();
    expect(res.headers.get("ratelimit")).toBeNull();
  });
});

describe("a key's quota", () => {
  it("quota_exceeded once the day's quota is used, until the next UTC day; counted as limited in the usage", async () => {
    const key = await newKey({ limits: perDay(2) });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await me(key.key as string));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 429, 429]);
    expectLimitRefusal(answers[2]!, "quota_exceeded", 86_400);
    expect(answers[0]!.headers.get("ratelimit-policy")).toBe('"key-quota";q=2;w=86400');
    const usage = await eventually(
      () => api(`/api/v1/api-keys/${key.id}/usage?days=1`, asOwner()),
      (res) => res.status === 200 && (res.body.data.totals as Json).limited >= 2,
    );
    expect(usage.body.data.totals).toMatchObject({ success: 2, limited: 2, refused: 0 });
    const [limit] = usage.body.data.limits as Json[];
    expect(limit).toMatchObject({ applies_to: "key", kind: "quota", limit: 2, per: "day", used: 2 });
    expect(Date.parse(limit!.resets_at as string) - Date.parse(limit!.window_start as string)).toBe(86_400_000);
    // The quota passed 80 % and ran out: one audit event each, and a mail each to the key's holder.
    const events = await eventually(
      () => sql<{ type: string }[]>`select type from audit_events where key_id = ${key.id as string} and type like 'quota.%' order by occurred_at`,
      (rows) => rows.length >= 2,
    );
    expect(events.map((e) => e.type).sort()).toEqual(["quota.exhausted", "quota.warning"]);
    const mails = await eventually(() => inbox(owner.email), (list) => list.filter((m) => /quota/i.test(m.Subject)).length >= 2);
    expect(mails.filter((m) => /quota/i.test(m.Subject))).toHaveLength(2);
  });
});

describe("changing limits: lowering is narrowing, raising is widening", () => {
  it("a key with keys:write may lower a key's limits; raising or removing them, renaming, needs the session", async () => {
    const key = await newKey({ limits: perMinute(50) });
    const asKey = withKey(key.key as string);
    const lowered = await patchKey(key.id as string, { limits: perMinute(40) }, asKey);
    expect(lowered.status, lowered.text).toBe(200);
    expect(lowered.body.data.limits).toEqual(perMinute(40));
    for (const widening of [perMinute(41), null, { rate: null, quota: null }, { rate: { requests: 1, per: "second", burst: null }, quota: null }]) {
      const res = await patchKey(key.id as string, { limits: widening }, asKey);
      expect(res.status, JSON.stringify(widening)).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
      expect(res.body.error.details).toEqual([{ path: "limits", message: expect.any(String) }]);
    }
    const renamed = await patchKey(key.id as string, { name: "mine now" }, asKey);
    expect(renamed.status).toBe(403);
    const [row] = await sql`select limit_rate, limit_rate_per, name from api_keys where id = ${key.id as string}`;
    expect(row).toEqual({ limit_rate: 40, limit_rate_per: "minute", name: "limited" });
    const raised = await patchKey(key.id as string, { limits: perMinute(1000) }, asOwner());
    expect(raised.status, raised.text).toBe(200);
    expect(raised.body.data.limits).toEqual(perMinute(1000));
    const events = await sql`select type, details from audit_events where key_id = ${key.id as string} and type = 'key.limits_changed' order by occurred_at`;
    expect(events.map((e) => e.details.to)).toEqual([perMinute(40), perMinute(1000)]);
  });

  it("a lowered limit is in force when the PATCH answers", async () => {
    await fitInMinute(15);
    const key = await newKey({ limits: perMinute(100) });
    for (let i = 0; i < 5; i++) expect((await me(key.key as string)).status).toBe(200);
    const res = await patchKey(key.id as string, { limits: perMinute(5) }, withKey(key.key as string));
    expect(res.status, res.text).toBe(200);
    // Five admitted in this minute already: the next is refused, on the first request after the answer.
    const next = await me(key.key as string);
    expectLimitRefusal(next, "rate_limited", 60);
    expect(next.headers.get("ratelimit-policy")).toBe('"key-rate";q=5;w=60');
  });

  it("bad limits are a 400 naming the field", async () => {
    const key = await newKey();
    for (const limits of [
      { rate: { requests: 0, per: "minute", burst: null }, quota: null },
      { rate: { requests: 10, per: "hour", burst: null }, quota: null },
      { rate: { requests: 10, per: "second", burst: 2 }, quota: null },
      { rate: { requests: 10, per: "minute", burst: 11 }, quota: null },
      { rate: null, quota: { requests: 10, per: "week" } },
      { rate: null },
    ]) {
      const res = await patchKey(key.id as string, { limits }, asOwner());
      expect(res.status, JSON.stringify(limits)).toBe(400);
      expect((res.body.error.details as Json[])[0]!.path).toMatch(/^limits/);
    }
  });
});

describe("a service account's limits and the organization's default", () => {
  it("a service account's rate is shared by its keys; raising it needs the session", async () => {
    await fitInMinute(15);
    const created = await api("/api/v1/organization/service-accounts", { method: "POST", ...asOwner(), json: { name: `sa ${uniqueSlug("x")}`, role: "admin" } });
    expect(created.status).toBe(201);
    const sa = created.body.data as Json;
    expect(sa.limits).toBeNull();
    const set = await api(`/api/v1/organization/service-accounts/${sa.id}`, { method: "PATCH", ...asOwner(), json: { limits: perMinute(3) } });
    expect(set.status, set.text).toBe(200);
    expect(set.body.data.limits).toEqual(perMinute(3));
    const keys = [];
    for (const name of ["one", "two"]) {
      const res = await api(`/api/v1/organization/service-accounts/${sa.id}/keys`, { method: "POST", ...asOwner(), json: { name } });
      expect(res.status, res.text).toBe(201);
      keys.push(res.body.data.key as string);
    }
    // A service account's key may lower its limits (members:write), not raise them (this answer is admitted: one of the 3).
    const raise = await api(`/api/v1/organization/service-accounts/${sa.id}`, { method: "PATCH", ...withKey(keys[0]!), json: { limits: perMinute(4) } });
    expect(raise.status).toBe(403);
    expect(raise.body.error.details).toEqual([{ path: "limits", message: expect.any(String) }]);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await me(keys[i % 2]!)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    const refused = await me(keys[1]!);
    expectLimitRefusal(refused, "rate_limited", 60);
    expect(refused.headers.get("ratelimit-policy")).toBe('"sa-rate";q=3;w=60');
  });

  it("the organization's default holds every key without its own, each on its own counter", async () => {
    await fitInMinute(15);
    const policy = await api("/api/v1/organization/policy", { method: "PATCH", ...asOwner(), json: { default_key_limits: perMinute(2) } });
    expect(policy.status, policy.text).toBe(200);
    expect(policy.body.data.default_key_limits).toEqual(perMinute(2));
    const [a, b, own] = [await newKey(), await newKey(), await newKey({ limits: { rate: null, quota: null } })];
    expect(a.effective_limits).toEqual({ ...perMinute(2), source: "organization" });
    expect(own.effective_limits).toEqual({ rate: null, quota: null, source: "key" });
    for (const key of [a, b]) {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await me(key.key as string)).status);
      expect(statuses).toEqual([200, 200, 429]);
    }
    for (let i = 0; i < 3; i++) expect((await me(own.key as string)).status).toBe(200);
    // Removing the default is widening: an org:write key may not.
    const byKey = await api("/api/v1/organization/policy", { method: "PATCH", ...withKey(own.key as string), json: { default_key_limits: null } });
    expect(byKey.status).toBe(403);
    const removed = await api("/api/v1/organization/policy", { method: "PATCH", ...asOwner(), json: { default_key_limits: null } });
    expect(removed.status).toBe(200);
  });
});
