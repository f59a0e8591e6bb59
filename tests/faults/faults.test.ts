// Fault injection against the real stack. These tests stop Postgres and Supabase Auth,
// so they run alone, after every other suite (the `faults` vitest project, last in
// scripts/test.ts), and bring each service back with `stack.ts up` before they end.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { api, eventually, type Json } from "../support/http";
import { createApiKey, sessionCookie } from "../support/session";
import { APP_URL, newUser } from "../support/stack";


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
      for (const [path, headers] of [
        ["/api/v1/me", { authorization: `Bearer ${key}` }],
        ["/api/v1/behavior-specs", { authorization: `Bearer ${key}` }],
        ["/api/v1/behavior-specs", { cookie }],
      ] as const) {
        const res = await timed(`${APP_URL}${path}`, headers);
        expect(res.status, `${path}: ${res.text}`).toBe(500);
        expect(res.ms, path).toBeLessThan(2000);
        expect(res.body).toEqual({ error: { code: "internal_error", message: expect.stringMatching(/^Internal server error/) } });
        expect(res.text).not.toMatch(/ECONNREFUSED|postgres|connect|5432/i);
      }
      // Without the database, a session is still verified locally: /me needs no query.
      const me = await timed(`${APP_URL}/api/v1/me`, { cookie });
      expect(me.status).toBe(200);
      expect(me.body.data.user.id).toBe(userId);
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
        env: { ...process.env, APP_URL: url },
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
