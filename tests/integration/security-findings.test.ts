// The security review's findings, each reproduced the way the review found it — against the
// real stack, as an attacker holding a cookie or a key would — and refused:
//   1. a signed-out session minting (or using) credentials;
//   2. a suspended (banned or deleted) account's keys and sessions;
//   3. forged session cookies reaching a 500, or escaping the failed-authentication count;
//   4. a deleted user's still-valid token writing (a 500 from a foreign-key violation);
//   5. forged cookies making the app call Supabase Auth;
//   9. mistakes the suite used to miss: an expired token accepted, Origin compared by prefix,
//      `last_used_at` written for every key.
import { createHash, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { KEY_FILE, LOG_DIR } from "../../scripts/stack/config.ts";
import { loadOrCreateSigningKey, signJwt, type SigningJwk } from "@tuned-tensor/auth-server/jwt";
import { freePort, startAppInstance, type AppInstance } from "../support/app-instance";
import { api as call, eventually, type Json } from "../support/http";
import { outlastKeyCache } from "../support/key-cache";
import { createApiKey, sessionCookie } from "../support/session";
import { APP_URL, DATABASE_URL, PUBLISHABLE_KEY, newUser } from "../support/stack";
import { gotrue } from "../../scripts/lib/users.ts";

type Session = Awaited<ReturnType<typeof newUser>>["session"];

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

/** POST /api/v1/api-keys as the dashboard sends it: the cookie plus the app's own Origin. */
const mintWithCookie = (cookie: string, base = APP_URL) => call("/api/v1/api-keys", { method: "POST", cookie, origin: base, json: { name: "minted" }, base });

const keyCount = async (userId: string) => (await sql<{ n: number }[]>`select count(*)::int as n from api_keys where user_id = ${userId}`)[0]!.n;

/** Signs a session out in Supabase Auth (scope: global, local or others), as supabase-js does. */
const signOut = (session: Session, scope: "global" | "local" | "others") =>
  gotrue(`/logout?scope=${scope}`, { method: "POST", token: session.access_token });

describe("1. a signed-out session", () => {
  it("cannot mint a key after a global sign-out, even while its token still verifies", async () => {
    const u = await newUser("sec-signout");
    const cookie = sessionCookie(u.session);
    // In use a moment ago: the instance has checked this session and found it alive.
    expect((await call("/api/v1/me", { cookie })).status).toBe(200);
    await signOut(u.session, "global");

    const minted = await mintWithCookie(cookie);
    expect(minted.status).toBe(401);
    expect(minted.body.error.code).toBe("unauthorized");
    expect(minted.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(await keyCount(u.user.id)).toBe(0);
  });

  it("is refused for reading as soon as an instance checks it", async () => {
    const u = await newUser("sec-signout-read");
    await signOut(u.session, "global");
    const me = await call("/api/v1/me", { cookie: sessionCookie(u.session) });
    expect(me.status).toBe(401);
    expect(me.body.error.message).toMatch(/session has ended/);
  });

  it("cannot mint once Supabase Auth has revoked its refresh tokens for reuse", async () => {
    const u = await newUser("sec-reuse");
    const cookie = sessionCookie(u.session);
    expect((await call("/api/v1/me", { cookie })).status).toBe(200);
    // What Supabase Auth does when a refresh token is used again past the reuse interval
    // (a copy of the session in someone else's hands): it revokes every refresh token of the
    // session but keeps the session row, so /auth/v1/user still answers 200 for its access
    // tokens. Done directly here, so that the test does not wait out the interval.
    const [claims] = u.session.access_token.split(".").slice(1, 2).map((p) => JSON.parse(Buffer.from(p, "base64url").toString()) as Json);
    await sql`update auth.refresh_tokens set revoked = true where session_id = ${claims!.session_id}`;
    expect((await gotrue("/user", { token: u.session.access_token })).id).toBe(u.user.id);

    expect((await mintWithCookie(cookie)).status).toBe(401);
    expect(await keyCount(u.user.id)).toBe(0);
  });

  it("ends only the session signed out locally; the user's other session still mints", async () => {
    const u = await newUser("sec-local");
    const second = await gotrue<Session>("/token?grant_type=password", {
      method: "POST",
      body: { email: u.email, password: u.password },
      token: PUBLISHABLE_KEY,
    });
    await signOut(u.session, "local");
    expect((await mintWithCookie(sessionCookie(u.session))).status).toBe(401);
    expect((await mintWithCookie(sessionCookie(second))).status).toBe(201);
  });
});

describe("2. a suspended account", () => {
  it("has its keys and sessions refused while banned, and back when the ban is lifted", async () => {
    const u = await newUser("sec-banned");
    const { key } = await createApiKey(u.session, "before the ban");
    // A second sign-in, from another browser, that no instance has checked yet. (The first
    // session was checked a moment ago to create the key: an instance may go on reading
    // with it for at most SESSION_RECHECK_MS, but never mint with it; docs/SECURITY.md.)
    const other = await gotrue<Session>("/token?grant_type=password", { method: "POST", body: { email: u.email, password: u.password }, token: PUBLISHABLE_KEY });
    await gotrue(`/admin/users/${u.user.id}`, { method: "PUT", body: { ban_duration: "24h" } });

    const byKey = await call("/api/v1/me", { key });
    expect(byKey.status).toBe(403);
    expect(byKey.body.error).toEqual({ code: "forbidden", message: "This account is suspended" });
    const bySession = await call("/api/v1/behavior-specs", { cookie: sessionCookie(other) });
    expect(bySession.status).toBe(403);
    expect(bySession.body.error.code).toBe("forbidden");
    // Minting asks Supabase Auth itself, so the recently checked session cannot mint either.
    const minted = await mintWithCookie(sessionCookie(u.session));
    expect(minted.status).toBe(403);
    expect(minted.body.error.message).toBe("This account is suspended");
    expect(await keyCount(u.user.id)).toBe(1);

    // Lifted in Supabase Auth, outside the app: the key works again within T.
    await gotrue(`/admin/users/${u.user.id}`, { method: "PUT", body: { ban_duration: "none" } });
    await outlastKeyCache();
    expect((await call("/api/v1/me", { key })).status).toBe(200);
  });

  it("has its keys refused once soft-deleted", async () => {
    const u = await newUser("sec-softdeleted");
    const { key } = await createApiKey(u.session, "before deletion");
    await sql`update auth.users set deleted_at = now() where id = ${u.user.id}`;
    const res = await call("/api/v1/me", { key });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe("This account is suspended");
  });
});

describe("4. a deleted user's token", () => {
  it("cannot write: 401, not a 500, whether or not the instance has seen the session lately", async () => {
    const seen = await newUser("sec-deleted-seen");
    const unseen = await newUser("sec-deleted-unseen");
    const seenCookie = sessionCookie(seen.session);
    expect((await call("/api/v1/me", { cookie: seenCookie })).status).toBe(200);
    for (const u of [seen, unseen]) await gotrue(`/admin/users/${u.user.id}`, { method: "DELETE" });

    for (const cookie of [seenCookie, sessionCookie(unseen.session)]) {
      const spec = await call("/api/v1/behavior-specs", { method: "POST", cookie, origin: APP_URL, json: { name: "orphan", examples: [{ input: "a", output: "b" }] } });
      expect(spec.status).toBe(401);
      expect(spec.body.error.code).toBe("unauthorized");
      expect((await mintWithCookie(cookie)).status).toBe(401);
    }
  });
});

describe("3 and 5. forged session cookies", () => {
  let victim: Awaited<ReturnType<typeof newUser>>;
  let realKid: string;
  let claims: Json;
  const b64 = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
  beforeAll(async () => {
    victim = await newUser("sec-forged");
    const [h, p] = victim.session.access_token.split(".") as [string, string];
    realKid = JSON.parse(Buffer.from(h, "base64url").toString()).kid;
    claims = JSON.parse(Buffer.from(p, "base64url").toString());
  });

  /** Tokens that cannot be ours, each unique to this run (so the gateway log can be searched for them). */
  function forgeries(): Record<string, string> {
    const fresh = { ...claims, jti: crypto.randomUUID() };
    const stranger = { ...generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" }), alg: "ES256" as const };
    return {
      "alg none": `${b64({ alg: "none", typ: "JWT" })}.${b64(fresh)}.`,
      "RS256 header with the real key id": `${b64({ alg: "RS256", kid: realKid, typ: "JWT" })}.${b64(fresh)}.${b64("sig")}`,
      "header that is not JSON": `${b64("{not json")}.${b64(fresh)}.${b64("sig")}`,
      "HS256": `${b64({ alg: "HS256", typ: "JWT" })}.${b64(fresh)}.${b64("sig")}`,
      "no kid": `${b64({ alg: "ES256", typ: "JWT" })}.${b64(fresh)}.${b64("sig")}`,
      "unknown kid": signJwt(fresh, { ...stranger, kid: crypto.randomUUID() } as SigningJwk),
      "not a JWT": `garbage-${crypto.randomUUID()}`,
    };
  }

  it("are each a 401 in the envelope — never a 500 — and never reach Supabase Auth", async () => {
    const gatewayLog = join(LOG_DIR, "gateway.log");
    const linesBefore = readFileSync(gatewayLog, "utf8").split("\n").length;
    const forged = forgeries();
    for (const [name, token] of Object.entries(forged)) {
      for (const method of ["GET", "POST"]) {
        const res = await call(method === "GET" ? "/api/v1/me" : "/api/v1/api-keys", {
          method,
          cookie: sessionCookie({ ...victim.session, access_token: token }),
          origin: APP_URL,
          ...(method === "POST" ? { json: { name: "forged" } } : {}),
        });
        expect(res.status, `${name} (${method})`).toBe(401);
        expect(res.body.error.code, name).toBe("unauthorized");
      }
    }
    // Ten more key ids nobody published: each may not cost a JWKS fetch of its own.
    for (let i = 0; i < 10; i++) {
      const res = await call("/api/v1/me", { cookie: sessionCookie({ ...victim.session, access_token: forgeries()["unknown kid"] }) });
      expect(res.status).toBe(401);
    }
    // What the gateway passed to Supabase Auth meanwhile: none of these tokens, and hardly
    // any JWKS fetch (one refresh per 30 s per instance, whoever asks; other test files'
    // instances fetch theirs at start-up, so a few lines may be theirs).
    const lines = readFileSync(gatewayLog, "utf8").split("\n").slice(linesBefore - 1);
    const hashes = Object.values(forged).map((t) => createHash("sha256").update(t).digest("hex").slice(0, 16));
    expect(lines.filter((l) => hashes.some((h) => l.includes(`token=${h}`)))).toEqual([]);
    expect(lines.filter((l) => l.includes("/.well-known/jwks.json")).length).toBeLessThanOrEqual(4);
    expect(await keyCount(victim.user.id)).toBe(0);
  });

  describe("on an instance with a failed-authentication limit of 5", () => {
    let instance: AppInstance;
    beforeAll(async () => {
      // One hop of trusted proxy, so that this test is a client of its own (by the address
      // a proxy would forward) and shares no count with the rest of the suite.
      instance = await startAppInstance(await freePort(), { AUTH_FAILURE_LIMIT: "5", TRUSTED_PROXY_HOPS: "1" });
    }, 60_000);
    afterAll(() => instance?.stop());

    it("count as failed attempts: the client is cut off with 429 after the limit", async () => {
      const client = `198.18.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`;
      const statuses: number[] = [];
      const forged = Object.values(forgeries());
      for (let i = 0; i < 7; i++) {
        const cookie = sessionCookie({ ...victim.session, access_token: forged[i % forged.length] });
        const res = await call("/api/v1/me", { base: instance.url, cookie, headers: { "x-forwarded-for": client } });
        statuses.push(res.status);
      }
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses.slice(5)).toEqual([429, 429]);
      // …and the limit is no oracle: the victim's real cookie from that client is refused too.
      const real = await call("/api/v1/me", { base: instance.url, cookie: sessionCookie(victim.session), headers: { "x-forwarded-for": client } });
      expect(real.status).toBe(429);
    });
  });
});

describe("9. what the suite used to miss", () => {
  it("refuses a correctly signed but expired access token, whatever the cookie says of its expiry", async () => {
    const u = await newUser("sec-expired");
    const [, p] = u.session.access_token.split(".") as [string, string];
    const now = Math.floor(Date.now() / 1000);
    const payload = { ...JSON.parse(Buffer.from(p, "base64url").toString()), iat: now - 7200, exp: now - 3600 };
    const expired = signJwt(payload, loadOrCreateSigningKey(KEY_FILE));
    // The stored session claims to be good for another hour, so nothing refreshes it.
    const cookie = sessionCookie({ ...u.session, access_token: expired, expires_at: now + 3600, refresh_token: "not-a-refresh-token" });
    expect((await call("/api/v1/me", { cookie })).status).toBe(401);
  });

  it("compares the Origin exactly: a look-alike origin that starts with ours is cross-site", async () => {
    const u = await newUser("sec-origin");
    const cookie = sessionCookie(u.session);
    for (const origin of [`${APP_URL}.evil.example`, `${APP_URL}0`, `${APP_URL}@evil.example`]) {
      const res = await call("/api/v1/api-keys", { method: "POST", cookie, origin, json: { name: "csrf" } });
      expect(res.status, origin).toBe(403);
    }
    expect(await keyCount(u.user.id)).toBe(0);
  });

  it("marks only the key that was used as used", async () => {
    const u = await newUser("sec-lastused");
    const used = await createApiKey(u.session, "used");
    const idle = await createApiKey(u.session, "idle");
    expect((await call("/api/v1/me", { key: used.key })).status).toBe(200);
    const lastUsed = async (id: string) => (await sql<{ at: Date | null }[]>`select last_used_at as at from api_keys where id = ${id}`)[0]!.at;
    // Written after the response is sent: await it, boundedly.
    await eventually(() => lastUsed(used.id), (at) => at !== null, { timeoutMs: 5000 });
    expect(await lastUsed(idle.id)).toBeNull();
  });
});
