// Rolling a key, and what a key with an expiry says about it, against the running app and
// the real stack: both keys work during the grace window and only the new one after it (the
// window's end is moved in the row, not waited for), each refusal to roll (409 conflict),
// who may roll, and the Tt-Key-Expires-At header on every answer to a key that expires.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { api, type Json } from "../support/http";
import { outlastKeyCache } from "../support/key-cache";
import { createApiKey, sessionCookie } from "../support/session";
import { APP_URL, DATABASE_URL, newUser } from "../support/stack";

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

let user: Awaited<ReturnType<typeof newUser>>;
let cookie: string;
beforeAll(async () => {
  user = await newUser("roll");
  cookie = sessionCookie(user.session);
});

const roll = (id: string, body: unknown = {}, auth: { key?: string } = {}) =>
  api(`/api/v1/api-keys/${id}/roll`, { method: "POST", ...(auth.key ? { key: auth.key } : { cookie, origin: APP_URL }), json: body });

/**
 * The grace window ends: moved in the row (the API cannot set a past expiry), not waited
 * for — a change outside the app, so it reaches the key within T (the verification cache).
 */
const endGrace = async (id: string) => {
  await sql`update api_keys set expires_at = now() - interval '1 millisecond' where id = ${id}`;
  await outlastKeyCache();
};

describe("rolling a key", () => {
  it("gives a new key once, with the same name and scopes; both work during the grace window, only the new one after", async () => {
    const old = await createApiKey(user.session, "deploys", undefined, ["specs:read", "keys:read"]);
    const res = await roll(old.id, { grace_seconds: 3600 });
    expect(res.status).toBe(201);
    const data = res.body.data as Json;
    expect(data.key).toMatch(/^tt_[0-9A-Za-z]{49}$/);
    expect(data.key).not.toBe(old.key);
    expect(data).toMatchObject({ name: "deploys", scopes: ["specs:read", "keys:read"], replaces: old.id, replaced_by: null, expires_at: null, revoked_at: null });
    expect(data.previous).toMatchObject({ id: old.id, replaced_by: data.id, revoked_at: null });
    expect(data.previous).not.toHaveProperty("key");
    // The old key stops an hour from now (its grace window).
    const stops = Date.parse(data.previous.expires_at);
    expect(stops - Date.now()).toBeGreaterThan(3590_000);
    expect(stops - Date.now()).toBeLessThan(3610_000);

    // During the window: both.
    expect((await api("/api/v1/me", { key: old.key })).status).toBe(200);
    expect((await api("/api/v1/me", { key: data.key })).status).toBe(200);
    // The old key says when it stops.
    expect((await api("/api/v1/me", { key: old.key })).headers.get("tt-key-expires-at")).toBe(data.previous.expires_at);

    // The list shows the pair, pointing at each other.
    const list = await api("/api/v1/api-keys?per_page=100", { cookie });
    const byId = new Map((list.body.data as Json[]).map((k) => [k.id, k]));
    expect(byId.get(old.id)).toMatchObject({ replaced_by: data.id, expires_at: data.previous.expires_at });
    expect(byId.get(data.id)).toMatchObject({ replaces: old.id });
    expect(list.text).not.toContain(data.key);

    await endGrace(old.id);
    const after = await api("/api/v1/me", { key: old.key });
    expect(after.status).toBe(401);
    expect(after.body.error).toMatchObject({ code: "unauthorized", message: "API key expired" });
    expect((await api("/api/v1/me", { key: data.key })).status).toBe(200);
  });

  it("grace 0 stops the old key at once; the default window is 24 hours", async () => {
    const now = await createApiKey(user.session, "now");
    const res = await roll(now.id, { grace_seconds: 0 });
    expect(res.status).toBe(201);
    expect((await api("/api/v1/me", { key: now.key })).status).toBe(401);
    expect((await api("/api/v1/me", { key: res.body.data.key })).status).toBe(200);

    const later = await createApiKey(user.session, "later");
    const byDefault = await roll(later.id);
    expect(byDefault.status).toBe(201);
    const left = Date.parse(byDefault.body.data.previous.expires_at) - Date.now();
    expect(Math.abs(left - 86_400_000)).toBeLessThan(30_000);
  });

  it("gives the new key the old key's original lifetime, and keeps an earlier expiry of the old key", async () => {
    const created = Date.now();
    const old = await createApiKey(user.session, "30 days", new Date(created + 30 * 86_400_000).toISOString());
    // A week passes (moved in the row): the old key has 23 days left, a lifetime of 30.
    await sql`update api_keys set created_at = created_at - interval '7 days', expires_at = expires_at - interval '7 days' where id = ${old.id}`;
    const res = await roll(old.id, { grace_seconds: 604_800 });
    expect(res.status).toBe(201);
    const lifetime = Date.parse(res.body.data.expires_at) - Date.now();
    expect(Math.abs(lifetime - 30 * 86_400_000)).toBeLessThan(60_000);
    // Grace of 7 days, within the old key's own 23: 7 days.
    expect(Math.abs(Date.parse(res.body.data.previous.expires_at) - Date.now() - 7 * 86_400_000)).toBeLessThan(60_000);

    const soon = await createApiKey(user.session, "soon", new Date(Date.now() + 3_600_000).toISOString());
    const kept = await roll(soon.id, { grace_seconds: 604_800 });
    expect(kept.status).toBe(201);
    expect(kept.body.data.previous.expires_at).toBe(soon.expires_at);
  });

  it("refuses to roll a revoked, an expired or an already rolled key: 409 conflict, and nothing is created", async () => {
    const revoked = await createApiKey(user.session, "revoked");
    await api(`/api/v1/api-keys/${revoked.id}`, { method: "DELETE", cookie, origin: APP_URL });
    const expired = await createApiKey(user.session, "expired", new Date(Date.now() + 3_600_000).toISOString());
    await sql`update api_keys set created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' where id = ${expired.id}`;
    const rolled = await createApiKey(user.session, "rolled");
    expect((await roll(rolled.id)).status).toBe(201);

    const count = async () => (await sql<{ n: number }[]>`select count(*)::int as n from api_keys where user_id = ${user.user.id}`)[0]!.n;
    const before = await count();
    for (const [key, word] of [[revoked, /revoked/], [expired, /expired/], [rolled, /already rolled/]] as const) {
      const res = await roll(key.id);
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ error: { code: "conflict", message: expect.stringMatching(word) } });
    }
    expect(await count()).toBe(before);
  });

  it("two rolls of one key at the same moment: one succeeds, the other is a conflict", async () => {
    const key = await createApiKey(user.session, "raced");
    const results = await Promise.all([roll(key.id), roll(key.id)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it("only a session rolls: a key gets 403, someone else's key is 404, a bad window is 400", async () => {
    const mine = await createApiKey(user.session, "mine");
    const byKey = await roll(mine.id, {}, { key: mine.key });
    expect(byKey.status).toBe(403);
    expect(byKey.body.error.code).toBe("forbidden");

    const other = await newUser("roll-other");
    const theirs = await createApiKey(other.session, "theirs");
    expect((await roll(theirs.id)).status).toBe(404);
    expect((await api("/api/v1/me", { key: theirs.key })).status).toBe(200);

    for (const grace_seconds of [-1, 604_801, 1.5, "60"]) {
      const res = await roll(mine.id, { grace_seconds });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].path).toBe("grace_seconds");
    }
    expect((await roll(mine.id, { grace: 1 })).status).toBe(400);
  });
});

describe("Tt-Key-Expires-At", () => {
  it("is on every answer to a key that expires — success or error — and on none to a key that does not, nor to a session", async () => {
    const expiresAt = new Date(Date.now() + 5 * 86_400_000).toISOString();
    const expiring = await createApiKey(user.session, "expiring", expiresAt, ["specs:read"]);
    for (const res of [
      await api("/api/v1/me", { key: expiring.key }),
      await api("/api/v1/behavior-specs", { key: expiring.key }),
      await api(`/api/v1/behavior-specs/${crypto.randomUUID()}`, { key: expiring.key }), // 404
      await api("/api/v1/behavior-specs", { method: "POST", key: expiring.key, json: {} }), // 403 insufficient scope
    ]) {
      expect(res.headers.get("tt-key-expires-at")).toBe(expiresAt);
    }
    const forever = await createApiKey(user.session, "forever");
    expect((await api("/api/v1/me", { key: forever.key })).headers.get("tt-key-expires-at")).toBeNull();
    expect((await api("/api/v1/me", { cookie })).headers.get("tt-key-expires-at")).toBeNull();
  });
});
