// API keys and authentication against the running app and the real stack: the spec's
// error table, the whole key lifecycle, two users who cannot touch each other's keys,
// session cookies, CSRF, "keys cannot create keys", expiry, and bad input.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { SCOPES } from "@/lib/contract";

import { api, eventually, type Json } from "../support/http";
import { outlastKeyCache } from "../support/key-cache";
import { createApiKey, sessionCookie } from "../support/session";
import { APP_URL, CRON_SECRET, DATABASE_URL, newUser } from "../support/stack";

const json = (value: unknown) => ({ body: JSON.stringify(value), headers: { "content-type": "application/json" } });
const expectError = (res: { status: number; body: Json }, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
};

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

let alice: Awaited<ReturnType<typeof newUser>>;
let aliceCookie: string;
beforeAll(async () => {
  alice = await newUser("keys-alice");
  aliceCookie = sessionCookie(alice.session);
});

describe("the spec's error table, each row from a real request", () => {
  it("401 unauthorized — no credentials at all", async () => {
    const res = await api("/api/v1/me");
    expectError(res, 401, "unauthorized");
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="tunedtensor"');
  });

  it("403 forbidden — a revoked key", async () => {
    const { key, id } = await createApiKey(alice.session, "to revoke");
    await api(`/api/v1/api-keys/${id}`, { method: "DELETE", key });
    const res = await api("/api/v1/me", { key });
    expectError(res, 403, "forbidden");
    expect(res.body.error.message).toBe("API key revoked");
  });

  it("404 not_found — a key that does not exist", async () => {
    const res = await api(`/api/v1/api-keys/${crypto.randomUUID()}`, { method: "DELETE", cookie: aliceCookie, origin: APP_URL });
    expectError(res, 404, "not_found");
  });

  it("400 validation_error — an invalid request body", async () => {
    const res = await api("/api/v1/api-keys", { method: "POST", cookie: aliceCookie, origin: APP_URL, ...json({ name: "" }) });
    expectError(res, 400, "validation_error");
    expect(res.body.error.details).toEqual([{ path: "name", message: expect.any(String) }]);
  });

  it("500 internal_error — a server whose database is down answers with the envelope and no detail", async () => {
    // A second, real instance of the built app, pointed at a port where no database listens.
    const { spawn } = await import("node:child_process");
    const port = 3190 + Math.floor(Math.random() * 9);
    const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], {
      env: { ...process.env, CRON_SECRET, DATABASE_URL: "postgresql://postgres:postgres@127.0.0.1:9/postgres", APP_URL: `http://localhost:${port}` },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let logs = "";
    server.stdout.on("data", (d) => (logs += d));
    server.stderr.on("data", (d) => (logs += d));
    try {
      const { key } = await createApiKey(alice.session, "for the 500 test");
      const res = await eventually(
        () => api("/api/v1/me", { key, base: `http://localhost:${port}` }),
        () => true,
        { timeoutMs: 20_000, everyMs: 200 },
      ).catch((error: Error) => {
        throw new Error(`the second server did not start (${error.message}):\n${logs}`);
      });
      const body = res.body;
      expect(res.status).toBe(500);
      expect(body).toEqual({ error: { code: "internal_error", message: expect.stringMatching(/^Internal server error/) } });
      const requestId = res.headers.get("x-request-id");
      expect(body.error.message).toContain(requestId);
      expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|postgres|at \w+ \(/);
      // The cause is in the server's log, under the same request id, and the key is not.
      await expect.poll(() => logs, { timeout: 5000 }).toContain(requestId!);
      expect(logs).not.toContain(key);
    } finally {
      server.kill("SIGTERM");
    }
  });
});

describe("the key lifecycle", () => {
  it("create → use → list shows the prefix, never the key → revoke → 403 at once", async () => {
    const created = await api("/api/v1/api-keys", { method: "POST", cookie: aliceCookie, origin: APP_URL, ...json({ name: "CI deploys" }) });
    expect(created.status).toBe(201);
    const { key, id, key_prefix } = created.body.data as Json;
    expect(key).toMatch(/^tt_[0-9A-Za-z]{49}$/);
    expect(key_prefix).toBe(key.slice(0, 11));
    expect(created.body.data).toEqual({
      id: expect.any(String), name: "CI deploys", key, key_prefix, created_at: expect.any(String),
      scopes: ["specs:read", "specs:write", "keys:read", "keys:write", "activity:read", "members:read", "members:write", "org:write"], scopes_used: [],
      last_used_at: null, expires_at: null, revoked_at: null,
      revoked_reason: null, exposed_url: null, replaced_by: null, replaces: null,
      // A member's key in their personal workspace, within its policy.
      holder: { type: "member", id: alice.user.id }, out_of_policy: null, minted_by: null,
    });

    const me = await api("/api/v1/me", { key });
    expect(me.status).toBe(200);
    expect(me.body.data).toEqual({
      user: { id: alice.user.id, email: alice.email },
      organization: { id: expect.any(String), slug: `p-${alice.user.id.replaceAll("-", "")}`, name: "Personal", personal: true, role: "owner" },
      service_account: null,
      authentication: { method: "api_key", key_id: id, key_prefix, scopes: [...SCOPES], scopes_used: [] },
    });

    const list = await api("/api/v1/api-keys", { key });
    expect(list.status).toBe(200);
    const listed = (list.body.data as Json[]).find((k) => k.id === id);
    expect(listed).toMatchObject({ name: "CI deploys", key_prefix, revoked_at: null });
    expect(listed).not.toHaveProperty("key");
    expect(listed).not.toHaveProperty("key_hash");
    expect(list.text).not.toContain(key);
    expect(list.text).not.toContain(key.slice(11)); // no part of the secret beyond the prefix

    // Revoke with the key itself, as the spec's curl does.
    const revoked = await api(`/api/v1/api-keys/${id}`, { method: "DELETE", key });
    expect(revoked.status).toBe(200);
    expect(revoked.body.data).toMatchObject({ id, key_prefix, revoked_at: expect.any(String) });
    expect(revoked.text).not.toContain(key);

    const after = await api("/api/v1/me", { key });
    expectError(after, 403, "forbidden");

    // Revoking twice is fine and keeps the first revocation time.
    const again = await api(`/api/v1/api-keys/${id}`, { method: "DELETE", cookie: aliceCookie, origin: APP_URL });
    expect(again.status).toBe(200);
    expect(again.body.data.revoked_at).toBe(revoked.body.data.revoked_at);
  });

  it("stores only a SHA-256 of the key, never the key", async () => {
    const { key, id } = await createApiKey(alice.session, "hash check");
    const [row] = await sql`select encode(key_hash, 'hex') as hash, key_prefix from api_keys where id = ${id}`;
    const { createHash } = await import("node:crypto");
    expect(row?.hash).toBe(createHash("sha256").update(key).digest("hex"));
    const dump = await sql`select t::text as row from api_keys t where id = ${id}`;
    expect(dump[0]?.row).not.toContain(key);
  });

  it("lists newest first with pagination meta", async () => {
    const user = await newUser("keys-pages");
    for (const name of ["one", "two", "three"]) await createApiKey(user.session, name);
    const cookie = sessionCookie(user.session);
    const first = await api("/api/v1/api-keys?per_page=2", { cookie });
    expect(first.status).toBe(200);
    expect((first.body.data as Json[]).map((k) => k.name)).toEqual(["three", "two"]);
    expect(first.body.meta).toEqual({ page: 1, per_page: 2, total: 3 });
    const second = await api("/api/v1/api-keys?per_page=2&page=2", { cookie });
    expect((second.body.data as Json[]).map((k) => k.name)).toEqual(["one"]);
    const beyond = await api("/api/v1/api-keys?per_page=2&page=5", { cookie });
    expect(beyond.body).toEqual({ data: [], meta: { page: 5, per_page: 2, total: 3 } });
  });

  it("records when a key was last used, without slowing the request", async () => {
    const { key, id } = await createApiKey(alice.session, "last used");
    expect((await api("/api/v1/me", { key })).status).toBe(200);
    await expect
      .poll(async () => {
        const [row] = await sql`select last_used_at from api_keys where id = ${id}`;
        return row?.last_used_at;
      }, { timeout: 5000 })
      .toBeInstanceOf(Date);
  });

  it("refuses an expired key with 401", async () => {
    const { key, id } = await createApiKey(alice.session, "short-lived", new Date(Date.now() + 3_600_000).toISOString());
    expect((await api("/api/v1/me", { key })).status).toBe(200);
    // Its expiry passes (the API refuses a past expiry, so the clock is moved in the row,
    // not waited for): a change outside the app, so the first request after T, the window
    // in which an instance may reuse the row it read, is refused.
    // (created_at moves too: a CHECK keeps the expiry after the creation.)
    await sql`update api_keys set created_at = now() - interval '2 seconds', expires_at = now() - interval '1 second' where id = ${id}`;
    await outlastKeyCache();
    const res = await api("/api/v1/me", { key });
    expectError(res, 401, "unauthorized");
    expect(res.body.error.message).toBe("API key expired");
  });
});

describe("who may do what", () => {
  it("keeps two users' keys apart: 404 for everything of the other's", async () => {
    const bob = await newUser("keys-bob");
    const bobCookie = sessionCookie(bob.session);
    const aliceKey = await createApiKey(alice.session, "alice's");
    const bobKey = await createApiKey(bob.session, "bob's");

    const bobList = await api("/api/v1/api-keys?per_page=100", { key: bobKey.key });
    expect((bobList.body.data as Json[]).map((k) => k.id)).toEqual([bobKey.id]);

    for (const auth of [{ key: bobKey.key }, { cookie: bobCookie, origin: APP_URL }]) {
      const res = await api(`/api/v1/api-keys/${aliceKey.id}`, { method: "DELETE", ...auth });
      expectError(res, 404, "not_found");
    }
    expect((await api("/api/v1/me", { key: aliceKey.key })).status).toBe(200);
  });

  it("authenticates a session cookie from a real sign-in", async () => {
    const me = await api("/api/v1/me", { cookie: aliceCookie });
    expect(me.status).toBe(200);
    expect(me.body.data).toEqual({
      user: { id: alice.user.id, email: alice.email },
      // Without Tt-Organization: the personal workspace, where the user is the owner.
      organization: { id: expect.any(String), slug: `p-${alice.user.id.replaceAll("-", "")}`, name: "Personal", personal: true, role: "owner" },
      service_account: null,
      authentication: { method: "session", scopes: [...SCOPES] },
    });
  });

  it("refreshes an expired session in the route handler and sends the new cookies", async () => {
    const user = await newUser("keys-refresh");
    // What a browser holds an hour later: the stored session says it has expired.
    const stale = { ...user.session, expires_at: Math.floor(Date.now() / 1000) - 60 };
    const res = await api("/api/v1/me", { cookie: sessionCookie(stale) });
    expect(res.status).toBe(200);
    expect(res.body.data.user.id).toBe(user.user.id);
    const cookie = res.headers.getSetCookie().find((c) => /^sb-[\w-]+-auth-token=base64-/.test(c));
    expect(cookie, "no refreshed session cookie was set").toBeDefined();
    const value = cookie!.split(";")[0]!.split("=base64-")[1]!;
    const refreshed = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as Json;
    expect(refreshed.refresh_token).not.toBe(user.session.refresh_token); // rotated
    expect(refreshed.expires_at).toBeGreaterThan(Date.now() / 1000);
  });

  it("refuses a session cookie whose token is forged, altered or signed by another key", async () => {
    const { signJwt } = await import("@tuned-tensor/auth-server/jwt");
    const { generateKeyPairSync } = await import("node:crypto");
    const token = alice.session.access_token;
    const [h, p, sig] = token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as Json;
    const bob = crypto.randomUUID();
    // Same header, someone else's id in the payload, the original signature.
    const altered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: bob })).toString("base64url")}.${sig}`;
    // A well-formed ES256 token from a key the project never published, reusing the real kid.
    const stranger = { ...generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" }), alg: "ES256" as const, kid: String(JSON.parse(Buffer.from(h, "base64url").toString()).kid) };
    const foreign = signJwt({ ...claims, sub: bob }, stranger);
    // Unsigned ("alg": "none").
    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${Buffer.from(JSON.stringify({ ...claims, sub: bob })).toString("base64url")}.`;
    for (const access_token of [altered, foreign, none, "not-a-jwt"]) {
      const res = await api("/api/v1/me", { cookie: sessionCookie({ ...alice.session, access_token }) });
      expectError(res, 401, "unauthorized");
      expect(res.text).not.toContain(bob);
    }
  });

  it("refuses a key creating keys (403), even with a session cookie alongside", async () => {
    const { key } = await createApiKey(alice.session, "minter");
    for (const extra of [{}, { cookie: aliceCookie, origin: APP_URL }]) {
      const res = await api("/api/v1/api-keys", { method: "POST", key, ...extra, ...json({ name: "child" }) });
      expectError(res, 403, "forbidden");
      expect(res.body.error.message).toMatch(/keys cannot create/i);
    }
  });

  it("never falls back to the cookie when an Authorization header is present", async () => {
    for (const header of ["Bearer tt_not_a_key", "Basic dXNlcjpwYXNz", "Bearer", "tt_only"]) {
      const res = await api("/api/v1/me", { cookie: aliceCookie, headers: { authorization: header } });
      expectError(res, 401, "unauthorized");
    }
  });

  it("accepts the Bearer scheme in any case, with surrounding whitespace", async () => {
    const { key } = await createApiKey(alice.session, "casing");
    for (const header of [`bearer ${key}`, `BEARER ${key}`, `  Bearer   ${key}  `]) {
      expect((await api("/api/v1/me", { headers: { authorization: header } })).status).toBe(200);
    }
  });

  it("rejects malformed keys, bad checksums and unknown keys with 401", async () => {
    const { key } = await createApiKey(alice.session, "variants");
    const last = key.at(-1) === "a" ? "b" : "a";
    for (const bad of ["tt_your_api_key", `${key.slice(0, -1)}${last}`, `${key}x`, `sk_${key.slice(3)}`]) {
      const res = await api("/api/v1/me", { key: bad });
      expectError(res, 401, "unauthorized");
      expect(res.body.error.message).toBe("Invalid API key");
      expect(res.text).not.toContain(bad);
    }
    // Well-formed, valid checksum, never issued.
    const { generateApiKey } = await import("@/lib/api-keys/key-format");
    expectError(await api("/api/v1/me", { key: generateApiKey() }), 401, "unauthorized");
  });

  it("refuses cookie-authenticated changes from a foreign origin (CSRF)", async () => {
    const foreign = await api("/api/v1/api-keys", { method: "POST", cookie: aliceCookie, origin: "https://evil.example", ...json({ name: "csrf" }) });
    expectError(foreign, 403, "forbidden");
    const crossSite = await api("/api/v1/api-keys", {
      method: "POST", cookie: aliceCookie, ...json({ name: "csrf" }),
      headers: { "content-type": "application/json", "sec-fetch-site": "cross-site" },
    });
    expectError(crossSite, 403, "forbidden");

    const { key, id } = await createApiKey(alice.session, "csrf target");
    const del = await api(`/api/v1/api-keys/${id}`, { method: "DELETE", cookie: aliceCookie, origin: "https://evil.example" });
    expectError(del, 403, "forbidden");
    expect((await api("/api/v1/me", { key })).status).toBe(200);

    // Reads are not state-changing: a cross-origin GET with the cookie still works (and
    // the browser's same-origin policy keeps the answer from the other site).
    expect((await api("/api/v1/me", { cookie: aliceCookie, origin: "https://evil.example" })).status).toBe(200);
  });
});

describe("bad input is a 4xx envelope naming the problem, never a 500", () => {
  const post = (body: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
    api("/api/v1/api-keys", { method: "POST", cookie: aliceCookie, origin: APP_URL, body, headers });

  it("malformed JSON, a non-object body, a wrong Content-Type, a body over 1 MB", async () => {
    const malformed = await post("{\"name\": ");
    expectError(malformed, 400, "validation_error");
    expect(malformed.body.error.details).toEqual([{ path: "body", message: expect.any(String) }]);
    for (const body of ["[1,2]", "\"name\"", "null", "42"]) expectError(await post(body), 400, "validation_error");
    expectError(await post(JSON.stringify({ name: "x" }), { "content-type": "text/plain" }), 415, "unsupported_media_type");
    expectError(await post(JSON.stringify({ name: "x" }), {}), 415, "unsupported_media_type");
    expectError(await post(JSON.stringify({ name: "x".repeat(1024 * 1024 + 10) })), 413, "payload_too_large");
  });

  it("unknown fields, control characters, over-long names, bad expiry", async () => {
    const cases: [unknown, string][] = [
      [{ name: "ok", admin: true }, "admin"],
      [{ name: "line\nbreak" }, "name"],
      [{ name: "nul\u0000" }, "name"],
      // C1 controls, bidirectional overrides and marks, and names that show nothing.
      [{ name: "csi\u009b2J" }, "name"],
      [{ name: "prod\u202Eyek-tset" }, "name"],
      [{ name: "\u2067name\u2069" }, "name"],
      [{ name: "prod\u200E" }, "name"],
      [{ name: "\u200B\u200C\u200D" }, "name"],
      [{ name: "\u2060\uFEFF\u00AD" }, "name"],
      [{ name: "x".repeat(101) }, "name"],
      [{ name: 42 }, "name"],
      [{}, "name"],
      [{ name: "ok", expires_at: "tomorrow" }, "expires_at"],
      [{ name: "ok", expires_at: "2001-01-01T00:00:00Z" }, "expires_at"],
    ];
    for (const [body, field] of cases) {
      const res = await post(JSON.stringify(body));
      expectError(res, 400, "validation_error");
      expect(res.body.error.details.map((d: Json) => d.path), JSON.stringify(body)).toContain(field);
    }
  });

  it("a non-UUID id, and bad pagination parameters", async () => {
    const badId = await api("/api/v1/api-keys/not-a-uuid", { method: "DELETE", cookie: aliceCookie, origin: APP_URL });
    expectError(badId, 400, "validation_error");
    expect(badId.body.error.details).toEqual([{ path: "id", message: expect.any(String) }]);
    for (const [query, field] of [["page=abc", "page"], ["per_page=0", "per_page"], ["per_page=101", "per_page"], ["page=0", "page"], ["page=-1", "page"], ["per_page=1.5", "per_page"]]) {
      const res = await api(`/api/v1/api-keys?${query}`, { cookie: aliceCookie });
      expectError(res, 400, "validation_error");
      expect(res.body.error.details.map((d: Json) => d.path)).toEqual([field]);
    }
  });
});

describe("methods", () => {
  it("answers OPTIONS with the same Allow list as the 405 for a method the route lacks", async () => {
    const options = await api("/api/v1/api-keys", { method: "OPTIONS" });
    const put = await api("/api/v1/api-keys", { method: "PUT", key: "tt_x" });
    expectError(put, 405, "method_not_allowed");
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
    expect(put.headers.get("allow")).toBe(options.headers.get("allow"));
  });
});

describe("every response", () => {
  it("carries a request id and is never cached", async () => {
    for (const res of [await api("/api/v1/health"), await api("/api/v1/me"), await api("/api/v1/me", { cookie: aliceCookie })]) {
      expect(res.headers.get("x-request-id")).toMatch(/^[\w.:-]+$/);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    }
  });
});

