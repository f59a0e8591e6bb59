// A key's expiry is bounded (at most 10 years from now, "never" only through null), in the
// contract and in a CHECK; a roll caps its successor at the same horizon and builds its
// answer before it commits; and one row the answer cannot describe never fails a user's
// whole key list.
import { randomBytes } from "node:crypto";

import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { api, type Json } from "../support/http";
import { createApiKey, sessionCookie } from "../support/session";
import { APP_URL, DATABASE_URL, newUser } from "../support/stack";

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

const YEAR_MS = 365.25 * 86_400_000;

let user: Awaited<ReturnType<typeof newUser>>;
let cookie: string;
beforeAll(async () => {
  user = await newUser("expiry-bounds");
  cookie = sessionCookie(user.session);
});

const create = (fields: Json) => api("/api/v1/api-keys", { method: "POST", cookie, origin: APP_URL, json: { name: "bounded", ...fields } });
const roll = (id: string, graceSeconds: number) => api(`/api/v1/api-keys/${id}/roll`, { method: "POST", cookie, origin: APP_URL, json: { grace_seconds: graceSeconds } });

describe("a key's expiry", () => {
  for (const expires_at of ["9999-12-31T23:59:59Z", "9999-12-31T23:59:59-14:00", "2026-12-31T23:59:59+15:00", new Date(Date.now() + 10 * YEAR_MS + 2 * 86_400_000).toISOString()]) {
    it(`${expires_at} is a 400 validation_error naming expires_at, and no key`, async () => {
      const res = await create({ expires_at });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: "expires_at" })]));
    });
  }

  it("just inside 10 years is a key", async () => {
    const expires_at = new Date(Date.now() + 10 * YEAR_MS - 3 * 86_400_000).toISOString();
    const res = await create({ expires_at });
    expect(res.status).toBe(201);
    expect(res.body.data.expires_at).toBe(expires_at);
  });

  it("the database refuses an expiry past the horizon, whoever writes it", async () => {
    const key = await createApiKey(user.session, "direct");
    await expect(sql`update api_keys set expires_at = created_at + interval '10 years 2 days' where id = ${key.id}`).rejects.toThrow(/api_keys_expiry_within_horizon/);
    await expect(sql`update api_keys set created_at = '9995-01-01', expires_at = '10000-01-01T00:00:01Z' where id = ${key.id}`).rejects.toThrow(/api_keys_expiry_within_horizon/);
  });
});

describe("rolling a key near the horizon", () => {
  it("the issue's reproduction: a key at the furthest expiry, rolled with grace 0, gives its new key, and the list still answers", async () => {
    const old = await create({ expires_at: new Date(Date.now() + 10 * YEAR_MS - 86_400_000).toISOString() });
    expect(old.status).toBe(201);
    const res = await roll(old.body.data.id, 0);
    expect(res.status).toBe(201);
    expect((await api("/api/v1/me", { key: res.body.data.key })).status).toBe(200);
    expect((await api("/api/v1/api-keys?per_page=100", { cookie })).status).toBe(200);
  });

  it("a successor whose inherited lifetime would cross the horizon is capped at 10 years from now", async () => {
    const old = await createApiKey(user.session, "long-lived");
    // Created a day ago with the longest lifetime the CHECK allows (10 years and a day).
    await sql`update api_keys set created_at = now() - interval '1 day', expires_at = now() + interval '10 years' where id = ${old.id}`;
    const res = await roll(old.id, 3600);
    expect(res.status).toBe(201);
    const [row] = await sql<{ capped: boolean }[]>`select expires_at <= created_at + interval '10 years' as capped from api_keys where id = ${res.body.data.id}`;
    expect(row!.capped).toBe(true);
  });

  it("a roll whose answer cannot be built changes nothing (the answer is built before the commit)", async () => {
    const old = await createApiKey(user.session, "undescribable");
    // A value no answer can carry and the roll's SQL never reads: a year past 9999 (last_used_at
    // has no CHECK; the app only ever writes now() there).
    await sql`update api_keys set last_used_at = '10000-06-01T00:00:00Z' where id = ${old.id}`;
    const res = await roll(old.id, 0);
    expect(res.status).toBe(500);
    const [row] = await sql<{ replaced_by: string | null; successors: number }[]>`
      select replaced_by, (select count(*)::int from api_keys where replaces = ${old.id}) as successors from api_keys where id = ${old.id}`;
    expect(row).toEqual({ replaced_by: null, successors: 0 });
    expect((await api("/api/v1/me", { key: old.key })).status).toBe(200);
    await sql`delete from api_keys where id = ${old.id}`;
  });
});

describe("one bad row", () => {
  it("is left out of the list (API, Security log page, key list page); the others are answered", async () => {
    const owner = await newUser("bad-row");
    const ownerCookie = sessionCookie(owner.session);
    const good = await createApiKey(owner.session, "good");
    // Planted: a row whose created_at no answer can carry (a year past 9999).
    const [bad] = await sql<{ id: string }[]>`
      insert into api_keys (organization_id, user_id, name, key_prefix, key_hash, created_at, scopes)
      values ((select id from public.organizations where personal_for = ${owner.user.id}), ${owner.user.id}, 'bad', 'tt_BADROW00', ${randomBytes(32)}, '10000-06-01T00:00:00Z', array['keys:read'])
      returning id`;
    const list = await api("/api/v1/api-keys?per_page=100", { cookie: ownerCookie });
    expect(list.status).toBe(200);
    const ids = (list.body.data as Json[]).map((k) => k.id);
    expect(ids).toContain(good.id);
    expect(ids).not.toContain(bad!.id);
    expect((await api("/settings/security-log", { cookie: ownerCookie })).status).toBe(200);
    expect((await api("/settings/api-keys", { cookie: ownerCookie })).status).toBe(200);
  });

  it("in the security log and the spec list too", async () => {
    const owner = await newUser("bad-rows");
    const ownerCookie = sessionCookie(owner.session);
    const good = await createApiKey(owner.session, "good");
    const [badEvent] = await sql<{ id: string }[]>`
      insert into audit_events (organization_id, user_id, type, actor_type, occurred_at, details)
      values ((select id from public.organizations where personal_for = ${owner.user.id}), ${owner.user.id}, 'auth.signed_in', 'session', '10000-06-01T00:00:00Z', '{}') returning id`;
    const events = await api("/api/v1/audit-events?per_page=100", { cookie: ownerCookie });
    expect(events.status).toBe(200);
    const eventIds = (events.body.data as Json[]).map((e) => e.id);
    expect(eventIds).not.toContain(badEvent!.id);
    expect((events.body.data as Json[]).some((e) => e.key?.id === good.id)).toBe(true);
    expect((await api("/settings/security-log", { cookie: ownerCookie })).status).toBe(200);

    const spec = await api("/api/v1/behavior-specs", { method: "POST", cookie: ownerCookie, origin: APP_URL, json: { name: "good", examples: [{ input: "a", output: "b" }] } });
    expect(spec.status).toBe(201);
    const [badSpec] = await sql<{ id: string }[]>`
      insert into behavior_specs (organization_id, user_id, name, examples, created_at)
      values ((select id from public.organizations where personal_for = ${owner.user.id}), ${owner.user.id}, 'bad', '[{"input":"a","output":"b"}]', '10000-06-01T00:00:00Z') returning id`;
    const specs = await api("/api/v1/behavior-specs?per_page=100", { cookie: ownerCookie });
    expect(specs.status).toBe(200);
    const specIds = (specs.body.data as Json[]).map((s) => s.id);
    expect(specIds).toContain(spec.body.data.id);
    expect(specIds).not.toContain(badSpec!.id);
    expect((await api("/specs", { cookie: ownerCookie })).status).toBe(200);
  });
});
