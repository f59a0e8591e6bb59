// The failed-authentication rate limit, across two real app instances sharing Postgres:
// a client that keeps presenting bad credentials is answered 429 rate_limited with
// Retry-After on both instances — even with a valid key, so the limit is no oracle —
// while other clients' traffic goes on untouched. Then a flood of bad keys, each with a
// fresh X-Forwarded-For, against an instance reached directly and one behind a (simulated)
// proxy: the flood is cut off by the address it really comes from, and what it costs —
// rows in internal.auth_failures, the instance's memory — stays bounded.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { api, eventually } from "../support/http";
import { fitInMinute } from "../support/limiter-minute";
import { createApiKey } from "../support/session";
import { DATABASE_URL, newUser } from "../support/stack";

const LIMIT = 30;
type Instance = { url: string; port: number; child: ChildProcess };
const instances: Instance[] = [];
let direct: Instance;
const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });

/** `next start` of the build; `proxyHops` = TRUSTED_PROXY_HOPS (0: reached directly). */
async function startInstance(port: number, proxyHops: number): Promise<Instance> {
  const url = `http://localhost:${port}`;
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], {
    env: { ...process.env, APP_URL: url, AUTH_FAILURE_LIMIT: String(LIMIT), TRUSTED_PROXY_HOPS: String(proxyHops) },
    stdio: "ignore",
  });
  const up = await eventually(async () => (await api("/api/v1/health", { base: url })).status === 200, (ok) => ok, { timeoutMs: 30_000, everyMs: 250 }).catch(
    () => false,
  );
  if (up) return { url, port, child };
  child.kill();
  throw new Error(`instance on ${url} did not start`);
}

// Each run is its own client (by the address a proxy would forward), so runs and other
// suites never share a counter.
const randomClient = () => `198.18.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`;
// The instances behind the "proxy" trust one hop: the test is that proxy, and the
// address it appends is the right-most X-Forwarded-For entry.
const get = (url: string, client: string, key: string) => api("/api/v1/me", { base: url, key, headers: { "x-forwarded-for": client } });

/** GET /api/v1/me from a loopback address of our choosing (all of 127/8 is this machine). */
function getFrom(instance: Instance, from: string, key: string, headers: Record<string, string> = {}, agent?: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: "127.0.0.1", port: instance.port, localAddress: from, path: "/api/v1/me", headers: { authorization: `Bearer ${key}`, ...headers } },
      (res) => res.resume().on("end", () => resolve(res.statusCode ?? 0)),
    );
    req.on("error", reject);
    req.end();
  });
}

const rssMb = (child: ChildProcess) => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1]) / 1024);

/**
 * `total` bad-key requests from `from`, `concurrency` at a time, each with a fresh
 * X-Forwarded-For from `prefix` (and a forged peer-address header); returns the statuses.
 */
async function flood(instance: Instance, from: string, prefix: string, total: number, concurrency = 20) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const statuses = new Map<number, number>();
  let n = 0;
  let peak = rssMb(instance.child);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (n < total) {
        const i = n++;
        const status = await getFrom(instance, from, "tt_flood_guess", { "x-forwarded-for": `${prefix}.${(i >> 8) & 255}.${i & 255}`, "x-tt-peer-address": "127.0.0.3" }, agent);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (i % 500 === 0) peak = Math.max(peak, rssMb(instance.child));
      }
    }),
  );
  agent.destroy();
  return { statuses, peak: Math.max(peak, rssMb(instance.child)) };
}

/** Rows in internal.auth_failures since `since` for clients whose address starts with `prefix`. */
const rowsFor = async (prefix: string, since: Date) =>
  (
    await sql<{ n: number }[]>`
      select count(*)::int as n from internal.auth_failures
      where client like ${`ip:${prefix}%`} and window_start >= date_trunc('minute', ${since}::timestamptz)`
  )[0]!.n;

let validKey: string;
beforeAll(async () => {
  const base = 3270 + Math.floor(Math.random() * 10) * 3;
  instances.push(...(await Promise.all([startInstance(base, 1), startInstance(base + 1, 1)])));
  direct = await startInstance(base + 2, 0);
  const user = await newUser("ratelimit");
  validKey = (await createApiKey(user.session, "rate limit")).key;
}, 60_000);
afterAll(async () => {
  for (const { child } of [...instances, direct]) child?.kill("SIGTERM");
  await sql.end({ timeout: 5 });
});

describe("failed-authentication rate limit", () => {
  it("cuts off a client after 30 failures a minute, on every instance, and spares everyone else", async () => {
    // The limit counts per clock minute: start where the whole test (about 5 s) fits in one.
    await fitInMinute(10);
    const attacker = randomClient();
    const bystander = randomClient();
    const statuses: number[] = [];
    // 40 bad keys over about three seconds, alternating between the two instances: each
    // sees only half, so only the shared count can cut the client off.
    for (let i = 0; i < 40; i++) {
      const res = await get(instances[i % 2]!.url, attacker, `tt_guess${i}`);
      statuses.push(res.status);
      // Spread over about three seconds, so the instances' shared count has to catch up.
      await new Promise((r) => setTimeout(r, 75));
    }
    // The shared count lags by about a second per instance: await both refusing the client.
    await eventually(
      () => Promise.all(instances.map(({ url }) => get(url, attacker, validKey).then((res) => res.status))),
      (all) => all.every((status) => status === 429),
      { timeoutMs: 5000 },
    );

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
        expect(res.body).toEqual({ error: { code: "rate_limited", message: expect.stringMatching(/too many failed/i) } });
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
      const anonymous = await api("/api/v1/me", { base: url, headers: { "x-forwarded-for": client } });
      expect(anonymous.status).toBe(401);
    }
  });

  it("keys clients by the address the trusted proxy appended, never by entries a client wrote", async () => {
    await fitInMinute(10);
    const { url } = instances[0]!;
    const attacker = randomClient();
    const victim = randomClient();
    // The client writes the victim's address; the proxy appends the attacker's.
    for (let i = 0; i <= LIMIT; i++) await get(url, `${victim}, ${attacker}`, `tt_spoof${i}`);
    expect((await get(url, attacker, validKey)).status).toBe(429);
    expect((await get(url, victim, validKey)).status).toBe(200);
  });
});

describe("a flood of bad keys with a fresh X-Forwarded-For on every request", () => {
  const TOTAL = 3000;

  it("reached directly: cut off by its real address, a bounded number of rows, and no other address limited", async () => {
    await fitInMinute(25);
    const since = new Date();
    const prefix = `10.${Math.floor(Math.random() * 256)}`;
    const rssBefore = rssMb(direct.child);
    const { statuses, peak } = await flood(direct, "127.0.0.2", prefix, TOTAL);
    // The last flush: its one row appears.
    await eventually(() => rowsFor("127.0.0.2", since), (rows) => rows === 1, { timeoutMs: 5000 });
    const unauthorized = statuses.get(401) ?? 0;
    const limited = statuses.get(429) ?? 0;
    console.log(`[rate-limit] direct: ${TOTAL} bad keys: ${unauthorized} × 401, ${limited} × 429; RSS ${rssBefore} → ${peak} MB`);
    expect(unauthorized + limited).toBe(TOTAL);
    expect(unauthorized).toBeLessThanOrEqual(LIMIT);
    // Rows: one for the real client, none for any of the 3,000 spoofed addresses.
    expect(await rowsFor(prefix, since)).toBe(0);
    expect(await rowsFor("127.0.0.2", since)).toBe(1);
    expect(peak).toBeLessThan(Math.max(2 * rssBefore, 600));

    // The client stays cut off whatever it claims to be, a valid key included …
    expect(await getFrom(direct, "127.0.0.2", validKey, { "x-forwarded-for": "192.0.2.1" })).toBe(429);
    // … and the addresses it claimed, and the one it forged a peer header for, are not limited.
    expect(await getFrom(direct, "127.0.0.3", validKey, { "x-forwarded-for": `${prefix}.0.1` })).toBe(200);
    expect(await getFrom(direct, "127.0.0.3", validKey)).toBe(200);
  }, 90_000);

  it("behind a proxy, where each spoofed address counts as a client: writes no rows for clients far from the limit", async () => {
    await fitInMinute(25);
    const since = new Date();
    const prefix = `10.${Math.floor(Math.random() * 256)}`;
    const target = instances[1]!;
    const rssBefore = rssMb(target.child);
    const { statuses, peak } = await flood(target, "127.0.0.2", prefix, TOTAL);
    // Rows that must *not* appear cannot be awaited: give the once-a-second flush time to run.
    await new Promise((r) => setTimeout(r, 1500));
    console.log(`[rate-limit] behind a proxy: ${TOTAL} bad keys from ${TOTAL} addresses: ${statuses.get(401) ?? 0} × 401; RSS ${rssBefore} → ${peak} MB`);
    expect(statuses.get(401)).toBe(TOTAL);
    expect(await rowsFor(prefix, since)).toBe(0);
    expect(peak).toBeLessThan(Math.max(2 * rssBefore, 600));
  }, 90_000);
});
