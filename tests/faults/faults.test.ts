// Fault injection against the real stack. These tests stop Postgres and Supabase Auth,
// so they run alone, after every other suite (the `faults` vitest project, last in
// scripts/test.ts), and bring each service back with `stack.ts up` before they end.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import postgres from "postgres";

import { startAppInstance } from "../support/app-instance";
import { api, eventually, type Json } from "../support/http";
import { outlastKeyCache } from "../support/key-cache";
import { createApiKey, sessionCookie } from "../support/session";
import { APP_URL, CRON_SECRET, DATABASE_URL, newUser } from "../support/stack";


const stack = (...args: string[]) => {
  const r = spawnSync(process.execPath, ["scripts/stack.ts", ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`stack.ts ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
};

/** One request through the shared helper, with how long it took; `url` is absolute. */
async function timed(url: string, headers: Record<string, string> = {}) {
  const started = performance.now();
  const { origin, pathname, search } = new URL(url);
  const res = await api(`${pathname}${search}`, { base: origin, headers, signal: AbortSignal.timeout(10_000) });
  return { ...res, ms: performance.now() - started };
}

let key: string;
let cookie: string;
let userId: string;
beforeAll(async () => {
  const user = await newUser("faults");
  userId = user.user.id;
  cookie = sessionCookie(user.session);
  key = (await createApiKey(user.session, "faults")).key;
  // The app caches the JWKS on its first session request; make sure that happened.
  expect((await timed(`${APP_URL}/api/v1/me`, { cookie })).status).toBe(200);
});
afterAll(() => stack("up"));

describe("Postgres stopped", () => {
  it("answers API requests within 2 s with a 500 envelope that names no cause, and recovers without a restart", async () => {
    expect((await timed(`${APP_URL}/api/v1/me`, { authorization: `Bearer ${key}` })).status).toBe(200);
    stack("stop", "postgres");
    try {
      // The key's row, read a moment ago, may serve it from memory for T (the verification
      // cache); after that its lookup needs the database.
      await outlastKeyCache();
      for (const [path, headers] of [
        ["/api/v1/me", { authorization: `Bearer ${key}` }],
        ["/api/v1/behavior-specs", { authorization: `Bearer ${key}` }],
        ["/api/v1/behavior-specs", { cookie }],
        // A session's organization and role are read from the database (at most T old:
        // lib/organizations/membership.ts), so without it even /me cannot say who is calling.
        ["/api/v1/me", { cookie }],
      ] as const) {
        const res = await timed(`${APP_URL}${path}`, headers);
        expect(res.status, `${path}: ${res.text}`).toBe(500);
        expect(res.ms, path).toBeLessThan(2000);
        expect(res.body).toEqual({ error: { code: "internal_error", message: expect.stringMatching(/^Internal server error/) } });
        expect(res.text).not.toMatch(/ECONNREFUSED|postgres|connect|5432/i);
      }
    } finally {
      stack("up");
    }
    const back = await eventually(() => timed(`${APP_URL}/api/v1/me`, { authorization: `Bearer ${key}` }), (r) => r.status === 200);
    expect(back.body.data.user.id).toBe(userId);
  });
});

describe("Supabase Auth stopped", () => {
  it("leaves API-key requests unaffected and still verifies sessions locally", async () => {
    stack("stop", "auth", "gateway");
    try {
      const health = await fetch(`http://127.0.0.1:54321/auth/v1/health`).then((r) => r.status, () => "down");
      expect(health).toBe("down");
      const byKey = await timed(`${APP_URL}/api/v1/behavior-specs`, { authorization: `Bearer ${key}` });
      expect(byKey.status).toBe(200);
      const bySession = await timed(`${APP_URL}/api/v1/me`, { cookie });
      expect(bySession.status).toBe(200);
      expect(bySession.body.data).toMatchObject({ user: { id: userId }, authentication: { method: "session" } });
    } finally {
      stack("up");
    }
  });
});

describe("a killed server", () => {
  it("loses no write it acknowledged", async () => {
    const port = 3290 + Math.floor(Math.random() * 9);
    const url = `http://localhost:${port}`;
    const start = () => {
      const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], {
        env: { ...process.env, APP_URL: url, CRON_SECRET },
        stdio: "ignore",
      });
      return child;
    };
    let server: ChildProcess = start();
    await eventually(() => api("/api/v1/health", { base: url }).then((r) => r.status), (s) => s === 200, { everyMs: 250 });

    // Eight writers post specs back to back; the process is killed once ten have been
    // acknowledged, with more in flight. Every write that got a 2xx must be there after.
    const acknowledged: string[] = [];
    const refused: string[] = [];
    let failed = 0;
    let n = 0;
    const writer = async () => {
      for (;;) {
        // A response cut off mid-body was never fully acknowledged either (api throws).
        const res = await api("/api/v1/behavior-specs", {
          base: url,
          method: "POST",
          key,
          json: { name: `crash ${n++}`, examples: [{ input: "in", output: "out" }] },
          signal: AbortSignal.timeout(10_000),
        }).catch(() => undefined);
        if (res && res.status !== 201 && !server.killed) refused.push(`${res.status} ${res.text}`);
        const body: Json | undefined = res?.status === 201 && res.body.data ? res.body : undefined;
        if (!body) {
          failed++;
          return;
        }
        acknowledged.push(body.data.id);
        if (acknowledged.length >= 10 && !server.killed) server.kill("SIGKILL");
      }
    };
    await Promise.all(Array.from({ length: 8 }, writer));
    if (!server.killed) {
      server.kill("SIGKILL");
      throw new Error(`the writers stopped before the kill: ${acknowledged.length} acknowledged, refused: ${refused.slice(0, 3).join(" | ")}`);
    }
    // (exitCode stays null for a killed process: signalCode says it has gone.)
    if (server.exitCode === null && server.signalCode === null) await new Promise((r) => server.once("exit", r));
    expect(acknowledged.length).toBeGreaterThanOrEqual(10);

    server = start();
    try {
      await eventually(() => api("/api/v1/health", { base: url }).then((r) => r.status), (s) => s === 200, { everyMs: 250 });
      for (const id of acknowledged) {
        const res = await timed(`${url}/api/v1/behavior-specs/${id}`, { authorization: `Bearer ${key}` });
        expect(res.status, id).toBe(200);
      }
      console.log(`[faults] killed with writes in flight: ${acknowledged.length} acknowledged (all present after restart), ${failed} cut off`);
    } finally {
      server.kill("SIGTERM");
    }
  });
});

describe("a killed server's activity", () => {
  it("loses at most the usage counted since its last flush, and never an audit event", async () => {
    const FLUSH_MS = 5_000;
    const user = await newUser("faults-activity");
    const [counted, victim] = await Promise.all([createApiKey(user.session, "counted"), createApiKey(user.session, "revoked by a key")]);
    const instance = await startAppInstance(3300 + 60 + Math.floor(Math.random() * 20), { USAGE_FLUSH_MS: String(FLUSH_MS) });
    const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
    const successes = async () =>
      (await sql<{ n: number }[]>`select coalesce(sum(success), 0)::int as n from public.api_key_usage where key_id = ${counted.id}`)[0]!.n;
    try {
      // 1. Five requests, flushed.
      for (let i = 0; i < 5; i++) expect((await api("/api/v1/me", { base: instance.url, key: counted.key })).status).toBe(200);
      await eventually(successes, (n) => n === 5, { timeoutMs: 3 * FLUSH_MS, everyMs: 100 });
      // 2. Within one flush interval: a revocation (an audit event) and three more requests,
      //    then the process is killed before it can flush them.
      const started = performance.now();
      const revoked = await api(`/api/v1/api-keys/${victim.id}`, { base: instance.url, method: "DELETE", key: counted.key });
      expect(revoked.status).toBe(200);
      for (let i = 0; i < 3; i++) expect((await api("/api/v1/me", { base: instance.url, key: counted.key })).status).toBe(200);
      instance.child.kill("SIGKILL");
      const elapsed = performance.now() - started;
      await new Promise((resolve) => (instance.child.exitCode !== null || instance.child.signalCode !== null ? resolve(null) : instance.child.once("exit", resolve)));
      expect(elapsed).toBeLessThan(FLUSH_MS);
      // What was flushed is there; what was lost is at most what came after the last flush
      // (all four requests of step 2, within one interval); nothing is counted twice.
      const after = await successes();
      expect(after).toBeGreaterThanOrEqual(5);
      expect(after).toBeLessThanOrEqual(9);
      // The revocation's event committed with the revocation, before its answer.
      const events = await sql<{ actor_key_id: string; details: { by: string } }[]>`
        select actor_key_id, details from public.audit_events where key_id = ${victim.id} and type = 'key.revoked'`;
      expect(events).toEqual([{ actor_key_id: counted.id, details: { by: "key" } }]);
      console.log(`[faults] killed before its flush: ${after} of 9 successes written (${9 - after} lost, all from the last interval)`);
    } finally {
      await sql.end({ timeout: 5 });
      await instance.stop();
    }
  });

  it("a key change whose audit event cannot be written is not made at all", async () => {
    const user = await newUser("faults-audit");
    const key = await createApiKey(user.session, "unchanged");
    const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
    const userCookie = sessionCookie(user.session);
    // Make every new audit event fail for this user only (a NOT VALID check applies to new rows).
    await sql.unsafe(`alter table public.audit_events add constraint faults_no_events check (user_id <> '${user.user.id}') not valid`);
    try {
      const rename = await api(`/api/v1/api-keys/${key.id}`, { method: "PATCH", cookie: userCookie, origin: APP_URL, json: { name: "changed" } });
      expect(rename.status).toBe(500);
      const revoke = await api(`/api/v1/api-keys/${key.id}`, { method: "DELETE", cookie: userCookie, origin: APP_URL });
      expect(revoke.status).toBe(500);
      const create = await api("/api/v1/api-keys", { method: "POST", cookie: userCookie, origin: APP_URL, json: { name: "never made" } });
      expect(create.status).toBe(500);
    } finally {
      await sql.unsafe("alter table public.audit_events drop constraint faults_no_events");
    }
    try {
      const keys = await sql<{ name: string; revoked_at: Date | null }[]>`select name, revoked_at from public.api_keys where user_id = ${user.user.id}`;
      expect(keys).toEqual([{ name: "unchanged", revoked_at: null }]);
      // And the key still works.
      expect((await api("/api/v1/me", { key: key.key })).status).toBe(200);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});
