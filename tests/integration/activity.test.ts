// The audit trail and per-key usage against the running app and the real stack: each key
// event exactly once with the right actor, failed changes leave no event, another user's
// events and usage are invisible, usage counted on two instances adds up after the flush,
// the table is append-only, and retention prunes only what is past it.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { AUDIT_EVENT_TYPES } from "../../lib/contract/activity.ts";
import { SCOPES } from "../../lib/contract/scopes.ts";
import { pruneActivity } from "../../lib/activity/retention.ts";
import { freePort, startAppInstance, type AppInstance } from "../support/app-instance";
import { api, eventually, type Json } from "../support/http";
import { createApiKey, sessionCookie } from "../support/session";
import { APP_URL, DATABASE_URL, newUser } from "../support/stack";

const sql = postgres(DATABASE_URL, { max: 2, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

let alice: Awaited<ReturnType<typeof newUser>>;
let bob: Awaited<ReturnType<typeof newUser>>;
const asAlice = () => ({ cookie: sessionCookie(alice.session), origin: APP_URL });
const asBob = () => ({ cookie: sessionCookie(bob.session), origin: APP_URL });
beforeAll(async () => {
  [alice, bob] = await Promise.all([newUser("activity-alice"), newUser("activity-bob")]);
});

const eventsOf = async (keyId: string, auth: { cookie?: string; origin?: string; key?: string } = asAlice()) => {
  const res = await api(`/api/v1/audit-events?key_id=${keyId}&per_page=100`, auth);
  expect(res.status).toBe(200);
  return res.body.data as Json[];
};

describe("audit events: each key change exactly once, with its actor", () => {
  it("creating a key (by the session): one key.created with the actor, address, user agent and details", async () => {
    const res = await api("/api/v1/api-keys", { method: "POST", ...asAlice(), headers: { "user-agent": "activity-test/1.0" }, json: { name: "audited", scopes: ["specs:read"] } });
    expect(res.status).toBe(201);
    const key = res.body.data;
    const events = await eventsOf(key.id);
    expect(events).toEqual([
      {
        id: expect.any(String),
        type: "key.created",
        occurred_at: expect.any(String),
        actor: { type: "session", key: null },
        ip: expect.stringMatching(/\S/),
        user_agent: "activity-test/1.0",
        key: { id: key.id, key_prefix: key.key_prefix },
        details: { name: "audited", scopes: ["specs:read"], expires_at: null },
      },
    ]);
    // The full key is in none of it.
    expect(JSON.stringify(events)).not.toContain(key.key);
  });

  it("renaming and narrowing: key.renamed and key.narrowed once each, newest first; an unchanged name records nothing", async () => {
    const key = await createApiKey(alice.session, "before");
    const path = `/api/v1/api-keys/${key.id}`;
    expect((await api(path, { method: "PATCH", ...asAlice(), json: { name: "after" } })).status).toBe(200);
    expect((await api(path, { method: "PATCH", ...asAlice(), json: { name: "after" } })).status).toBe(200);
    expect((await api(path, { method: "PATCH", ...asAlice(), json: { scopes: ["specs:read", "keys:read"], name: "last" } })).status).toBe(200);
    const events = await eventsOf(key.id);
    expect(events).toHaveLength(4);
    expect(events.filter((e) => e.type === "key.renamed").map((e) => e.details)).toEqual([{ from: "after", to: "last" }, { from: "before", to: "after" }]);
    expect(events.filter((e) => e.type === "key.narrowed").map((e) => e.details)).toEqual([
      { from: [...SCOPES], to: ["specs:read", "keys:read"] },
    ]);
    expect(events.at(-1)!.type).toBe("key.created");
    for (const e of events) expect(e.actor).toEqual({ type: "session", key: null });
  });

  it("revoking by the owner: one key.revoked by owner, however often it is revoked", async () => {
    const key = await createApiKey(alice.session, "revoke me");
    for (let i = 0; i < 2; i++) expect((await api(`/api/v1/api-keys/${key.id}`, { method: "DELETE", ...asAlice() })).status).toBe(200);
    const revoked = (await eventsOf(key.id)).filter((e) => e.type === "key.revoked");
    expect(revoked.map((e) => [e.actor, e.details])).toEqual([[{ type: "session", key: null }, { by: "owner" }]]);
  });

  it("revoking by a key: one key.revoked by key, naming the key that did it", async () => {
    const [target, revoker] = await Promise.all([createApiKey(alice.session, "target"), createApiKey(alice.session, "revoker")]);
    expect((await api(`/api/v1/api-keys/${target.id}`, { method: "DELETE", key: revoker.key })).status).toBe(200);
    const revoked = (await eventsOf(target.id, { key: revoker.key })).filter((e) => e.type === "key.revoked");
    expect(revoked.map((e) => [e.actor, e.details])).toEqual([[{ type: "api_key", key: { id: revoker.id, key_prefix: revoker.key_prefix } }, { by: "key" }]]);
  });

  it("rolling: one key.rolled on the old key, naming the new one; a refused roll records nothing", async () => {
    const key = await createApiKey(alice.session, "to roll");
    const rolled = await api(`/api/v1/api-keys/${key.id}/roll`, { method: "POST", ...asAlice(), json: { grace_seconds: 60 } });
    expect(rolled.status).toBe(201);
    expect((await api(`/api/v1/api-keys/${key.id}/roll`, { method: "POST", ...asAlice(), json: {} })).status).toBe(409);
    const events = (await eventsOf(key.id)).filter((e) => e.type === "key.rolled");
    expect(events.map((e) => [e.actor, e.details])).toEqual([
      [{ type: "session", key: null }, { new_key_id: rolled.body.data.id, new_key_prefix: rolled.body.data.key_prefix, grace_seconds: 60 }],
    ]);
  });

  it("a failed change leaves no event: a widening, a change to a revoked key, another user's key", async () => {
    const key = await createApiKey(alice.session, "narrow one", undefined, ["specs:read"]);
    const widen = await api(`/api/v1/api-keys/${key.id}`, { method: "PATCH", ...asAlice(), json: { name: "sneaky", scopes: ["specs:read", "keys:write"] } });
    expect(widen.status).toBe(400);
    expect((await api(`/api/v1/api-keys/${key.id}`, { method: "PATCH", ...asBob(), json: { name: "mine now" } })).status).toBe(404);
    expect((await api(`/api/v1/api-keys/${key.id}`, { method: "DELETE", ...asBob() })).status).toBe(404);
    expect((await eventsOf(key.id)).map((e) => e.type)).toEqual(["key.created"]);
    await api(`/api/v1/api-keys/${key.id}`, { method: "DELETE", ...asAlice() });
    expect((await api(`/api/v1/api-keys/${key.id}`, { method: "PATCH", ...asAlice(), json: { name: "too late" } })).status).toBe(404);
    expect((await eventsOf(key.id)).map((e) => e.type)).toEqual(["key.revoked", "key.created"]);
    const [row] = await sql<{ count: number }[]>`select count(*)::int as count from public.audit_events where user_id = ${bob.user.id}`;
    expect(row!.count).toBe(0);
  });
});

describe("reading the log", () => {
  it("another user's events and usage: none in their list, empty by key id, 404 for usage", async () => {
    const key = await createApiKey(alice.session, "private");
    expect(await eventsOf(key.id, asBob())).toEqual([]);
    const all = await api("/api/v1/audit-events?per_page=100", asBob());
    expect(all.body.data).toEqual([]);
    expect(all.body.meta).toEqual({ page: 1, per_page: 100, total: 0 });
    const usage = await api(`/api/v1/api-keys/${key.id}/usage`, asBob());
    expect(usage.status).toBe(404);
    expect(usage.body.error.code).toBe("not_found");
  });

  it("newest first, paginated, filtered by time; bad filters are 400s naming the parameter", async () => {
    const key = await createApiKey(alice.session, "paged");
    for (const name of ["one", "two", "three"]) await api(`/api/v1/api-keys/${key.id}`, { method: "PATCH", ...asAlice(), json: { name } });
    const first = await api(`/api/v1/audit-events?key_id=${key.id}&per_page=2`, asAlice());
    expect(first.body.meta).toEqual({ page: 1, per_page: 2, total: 4 });
    expect(first.body.data.map((e: Json) => e.details.to)).toEqual(["three", "two"]);
    const second = await api(`/api/v1/audit-events?key_id=${key.id}&per_page=2&page=2`, asAlice());
    expect(second.body.data.map((e: Json) => e.type)).toEqual(["key.renamed", "key.created"]);
    const times = first.body.data.map((e: Json) => e.occurred_at as string);
    const until = await api(`/api/v1/audit-events?key_id=${key.id}&until=${encodeURIComponent(times[0])}`, asAlice());
    expect(until.body.data.map((e: Json) => e.details.to ?? e.type)).toEqual(["two", "one", "key.created"]);
    const since = await api(`/api/v1/audit-events?key_id=${key.id}&since=${encodeURIComponent(times[0])}`, asAlice());
    expect(since.body.data.map((e: Json) => e.details.to)).toEqual(["three"]);
    for (const [query, param] of [["key_id=nope", "key_id"], ["since=yesterday", "since"], ["until=2026-13-01", "until"]] as const) {
      const res = await api(`/api/v1/audit-events?${query}`, asAlice());
      expect(res.status, query).toBe(400);
      expect(res.body.error.details.map((d: Json) => d.path), query).toEqual([param]);
    }
    for (const [query, param] of [["days=0", "days"], ["days=91", "days"], ["granularity=week", "granularity"]] as const) {
      const res = await api(`/api/v1/api-keys/${key.id}/usage?${query}`, asAlice());
      expect(res.status, query).toBe(400);
      expect(res.body.error.details.map((d: Json) => d.path), query).toEqual([param]);
    }
  });

  it("the database keeps events append-only and owners read only their own", async () => {
    const key = await createApiKey(alice.session, "immutable");
    await expect(sql`update public.audit_events set type = 'key.renamed' where key_id = ${key.id}`).rejects.toThrow(/append-only/);
    await expect(sql`delete from public.audit_events where key_id = ${key.id}`).rejects.toThrow(/append-only/);
    await expect(sql.begin((tx) => tx`truncate public.audit_events`)).rejects.toThrow(/append-only/);
    const asAuthenticated = (userId: string) =>
      sql.begin(async (tx) => {
        await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: userId, role: "authenticated" })}, true)`;
        await tx`set local role authenticated`;
        return tx<{ count: number }[]>`select count(*)::int as count from public.audit_events where key_id = ${key.id}`;
      });
    expect((await asAuthenticated(alice.user.id))[0]!.count).toBe(1);
    expect((await asAuthenticated(bob.user.id))[0]!.count).toBe(0);
    await expect(
      sql.begin(async (tx) => {
        await tx`set local role authenticated`;
        await tx`insert into public.audit_events (organization_id, user_id, type, actor_type) values ((select id from public.organizations where personal_for = ${alice.user.id}), ${alice.user.id}, 'auth.signed_in', 'session')`;
      }),
    ).rejects.toThrow(/permission denied/);
  });

  it("the event types are the database's list", async () => {
    const [row] = await sql<{ def: string }[]>`
      select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = 'public.audit_events'::regclass and conname = 'audit_events_type_check'`;
    const listed = [...row!.def.matchAll(/'([a-z_.]+)'/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...AUDIT_EVENT_TYPES].sort());
  });
});

describe("usage per key", () => {
  let a: AppInstance;
  let b: AppInstance;
  beforeAll(async () => {
    // Two instances of the build, flushing every 300 ms so the test need not wait a minute.
    const env = { USAGE_FLUSH_MS: "300" };
    [a, b] = await Promise.all([startAppInstance(await freePort(), env), startAppInstance(await freePort(), env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("counts on two instances add up exactly after the flush, by outcome, with the last user agent", async () => {
    const key = await createApiKey(alice.session, "busy", undefined, ["specs:read", "keys:read"]);
    const call = (base: string, path: string, init: { method?: string; ua: string } = { ua: "usage-a" }) =>
      api(path, { base, key: key.key, method: init.method, headers: { "user-agent": init.ua }, ...(init.method === "POST" ? { json: {} } : {}) });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await call(a.url, "/api/v1/me")).status);
    for (let i = 0; i < 5; i++) statuses.push((await call(b.url, "/api/v1/behavior-specs")).status);
    for (let i = 0; i < 3; i++) statuses.push((await call(a.url, `/api/v1/behavior-specs/${crypto.randomUUID()}`)).status);
    for (let i = 0; i < 2; i++) statuses.push((await call(b.url, "/api/v1/behavior-specs", { method: "POST", ua: "usage-b" })).status);
    expect(statuses).toEqual([...Array(12).fill(200), 404, 404, 404, 403, 403]);
    const expected = { success: 12, client_error: 3, server_error: 0, refused: 2, limited: 0 };
    const usage = await eventually(
      async () => (await api(`/api/v1/api-keys/${key.id}/usage?days=1`, asAlice())).body.data as Json,
      (data) => JSON.stringify(data?.totals) === JSON.stringify(expected),
      { timeoutMs: 15_000, everyMs: 200 },
    );
    expect(usage.buckets).toHaveLength(1);
    expect(usage.buckets[0]).toEqual({ start: expect.stringMatching(/T00:00:00\.000Z$/), ...expected });
    expect(usage.last_user_agent).toBe("usage-b");
    expect(usage.last_ip).toEqual(expect.stringMatching(/\S/));
    const hourly = (await api(`/api/v1/api-keys/${key.id}/usage?days=1&granularity=hour`, asAlice())).body.data;
    expect(hourly.buckets).toHaveLength(24);
    const sum = hourly.buckets.reduce((n: number, h: Json) => n + h.success, 0);
    expect(sum).toBe(12);
  });

  it("a revoked key's refusals count as refused; a session's requests count for no key", async () => {
    const key = await createApiKey(alice.session, "revoked then used");
    await api(`/api/v1/api-keys/${key.id}`, { method: "DELETE", ...asAlice() });
    for (let i = 0; i < 4; i++) expect((await api("/api/v1/me", { base: a.url, key: key.key })).status).toBe(403);
    await api("/api/v1/me", { base: b.url, ...asAlice() });
    const usage = await eventually(
      async () => (await api(`/api/v1/api-keys/${key.id}/usage?days=7`, asAlice())).body.data as Json,
      (data) => data?.totals?.refused === 4,
      { timeoutMs: 15_000, everyMs: 200 },
    );
    expect(usage.totals).toEqual({ success: 0, client_error: 0, server_error: 0, refused: 4, limited: 0 });
    expect(usage.buckets).toHaveLength(7);
  });
});

describe("retention", () => {
  it("prunes usage older than 90 days and events older than 400, and nothing younger", async () => {
    const user = await newUser("activity-retention");
    const key = await createApiKey(user.session, "old");
    const now = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
    const org = (await sql<{ org: string }[]>`select id as org from public.organizations where personal_for = ${user.user.id}`)[0]!.org;
    await sql`insert into public.api_key_usage (key_id, organization_id, user_id, hour, success, last_seen_at)
              values (${key.id}, ${org}, ${user.user.id}, ${daysAgo(91)}, 5, ${daysAgo(91)}), (${key.id}, ${org}, ${user.user.id}, ${daysAgo(89)}, 7, ${daysAgo(89)})`;
    await sql`insert into public.audit_events (organization_id, user_id, type, actor_type, occurred_at)
              values (${org}, ${user.user.id}, 'auth.signed_in', 'session', ${daysAgo(401)}), (${org}, ${user.user.id}, 'auth.signed_in', 'session', ${daysAgo(399)})`;
    const result = await pruneActivity(sql, now);
    expect(result.usageDeleted).toBeGreaterThanOrEqual(1);
    expect(result.eventsDeleted).toBeGreaterThanOrEqual(1);
    const usage = await sql<{ success: number }[]>`select success from public.api_key_usage where key_id = ${key.id} order by hour`;
    expect(usage.map((u) => u.success)).toEqual([7]);
    const events = await sql<{ type: string; age: number }[]>`
      select type, round(extract(epoch from ${now}::timestamptz - occurred_at) / 86400)::int as age from public.audit_events where user_id = ${user.user.id} order by occurred_at`;
    expect(events).toEqual([{ type: "auth.signed_in", age: 399 }, { type: "key.created", age: 0 }]);
    // Still append-only outside the retention job.
    await expect(sql`delete from public.audit_events where user_id = ${user.user.id}`).rejects.toThrow(/append-only/);
  });
});
