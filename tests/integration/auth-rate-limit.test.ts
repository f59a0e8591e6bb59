// The failed-authentication rate limit, across two real app instances sharing Postgres:
// a client that keeps presenting bad credentials is answered 429 rate_limited with
// Retry-After on both instances — even with a valid key, so the limit is no oracle —
// while other clients' traffic goes on untouched.
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createApiKey } from "../support/session";
import { newUser } from "../support/stack";

const LIMIT = 30;
const instances: { url: string; child: ChildProcess }[] = [];

async function startInstance(port: number) {
  const url = `http://localhost:${port}`;
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], {
    env: { ...process.env, APP_URL: url, AUTH_FAILURE_LIMIT: String(LIMIT) },
    stdio: "ignore",
  });
  for (let i = 0; i < 120; i++) {
    const up = await fetch(`${url}/api/v1/health`).then((r) => r.ok, () => false);
    if (up) return { url, child };
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new Error(`instance on ${url} did not start`);
}

// Each run is its own client (by the address a proxy would forward), so runs and other
// suites never share a counter.
const randomClient = () => `198.18.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`;
const get = (url: string, client: string, key: string) =>
  fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${key}`, "x-forwarded-for": client } });

let validKey: string;
beforeAll(async () => {
  const base = 3270 + Math.floor(Math.random() * 10) * 2;
  instances.push(...(await Promise.all([startInstance(base), startInstance(base + 1)])));
  const user = await newUser("ratelimit");
  validKey = (await createApiKey(user.session, "rate limit")).key;
}, 60_000);
afterAll(() => {
  for (const { child } of instances) child.kill("SIGTERM");
});

describe("failed-authentication rate limit", () => {
  it("cuts off a client after 30 failures a minute, on every instance, and spares everyone else", async () => {
    // The limit counts per clock minute: start where the whole test (about 5 s) fits in one.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 100));
    const attacker = randomClient();
    const bystander = randomClient();
    const statuses: number[] = [];
    // 40 bad keys over about three seconds, alternating between the two instances: each
    // sees only half, so only the shared count can cut the client off.
    for (let i = 0; i < 40; i++) {
      const res = await get(instances[i % 2]!.url, attacker, `tt_guess${i}`);
      statuses.push(res.status);
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, 75));
    }
    // The shared count lags by at most a second per instance.
    await new Promise((r) => setTimeout(r, 1500));

    const unauthorized = statuses.filter((s) => s === 401).length;
    expect(unauthorized).toBeGreaterThanOrEqual(LIMIT);
    // Cut off before the end, though neither instance alone saw 30: within about a
    // second's worth of requests of crossing the limit.
    expect(statuses.at(-1)).toBe(429);
    expect(unauthorized).toBeLessThanOrEqual(LIMIT + 15);
    console.log(`[rate-limit] 40 failed attempts over two instances: ${unauthorized} × 401, then ${40 - unauthorized} × 429`);

    for (const { url } of instances) {
      for (const key of ["tt_one_more_guess", validKey]) {
        const res = await get(url, attacker, key);
        expect(res.status, `${url} with ${key === validKey ? "the valid key" : "a bad key"}`).toBe(429);
        const retryAfter = Number(res.headers.get("retry-after"));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
        expect(await res.json()).toEqual({ error: { code: "rate_limited", message: expect.stringMatching(/too many failed/i) } });
      }
      // Another client, same instance: not slowed, not limited.
      const res = await get(url, bystander, validKey);
      expect(res.status).toBe(200);
    }
  });

  it("does not count successful requests or requests without credentials", async () => {
    const client = randomClient();
    const { url } = instances[0]!;
    for (let i = 0; i < LIMIT + 10; i++) {
      const ok = await get(url, client, validKey);
      expect(ok.status).toBe(200);
      const anonymous = await fetch(`${url}/api/v1/me`, { headers: { "x-forwarded-for": client } });
      expect(anonymous.status).toBe(401);
    }
  });
});
