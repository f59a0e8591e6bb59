// The failed-authentication limit through the load balancer, with the instances' real
// settings (AUTH_FAILURE_LIMIT 30, TRUSTED_PROXY_HOPS 1). nginx appends the address it
// saw, so a client's own X-Forwarded-For decides nothing: a client rotating forged
// addresses is still cut off (no escape), and one writing a victim's address limits
// itself, not the victim (no shift). The three instances share the count.
import { Agent } from "node:http";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createApiKey } from "../../support/session";
import { DATABASE_URL, newUser } from "../../support/stack";
import { fitInMinute } from "../../support/limiter-minute.ts";
import { loopback, scale, send } from "../support.ts";

const LIMIT = 30;
const { lbPort } = scale();
const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
let validKey: string;

beforeAll(async () => {
  const user = await newUser("scale-limit");
  validKey = (await createApiKey(user.session, "scale limit")).key;
});
afterAll(() => sql.end({ timeout: 5 }));

/** `n` bad-key requests from `from`, one after another (spread over the instances by nginx). */
async function badKeys(from: string, n: number, forwardedFor: (i: number) => string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await send(lbPort, { from, agent, path: "/api/v1/me", headers: { authorization: "Bearer tt_not_a_real_key", "x-forwarded-for": forwardedFor(i), "x-tt-peer-address": "127.0.0.3" } });
    statuses.push(res.status);
    // About 13 a second, spread over three instances.
    await new Promise((r) => setTimeout(r, 50));
  }
  agent.destroy();
  return statuses;
}

const me = (from: string, key: string, headers: Record<string, string> = {}) => send(lbPort, { from, path: "/api/v1/me", headers: { authorization: `Bearer ${key}`, ...headers } });
const summary = (s: number[]) => `${s.filter((x) => x === 401).length} × 401 then ${s.filter((x) => x === 429).length} × 429`;

describe("failed-authentication limit through nginx", () => {
  it("cuts off a client that forges a new X-Forwarded-For on every request, on every instance", async () => {
    await fitInMinute(25);
    const attacker = loopback();
    const statuses = await badKeys(attacker, 90, (i) => `203.0.113.${i}`);
    console.log(`[scale limit] forged addresses: ${summary(statuses)}`);
    const first429 = statuses.indexOf(429);
    const failures = statuses.filter((x) => x === 401).length;
    expect(statuses.every((x) => x === 401 || x === 429)).toBe(true);
    expect(first429).toBeGreaterThanOrEqual(LIMIT);
    // Each instance reports a client to the others once it alone has seen a third of the
    // limit, then within a second: with three instances in round robin, that is when the
    // total reaches the limit, plus up to about two seconds of requests, while the
    // instances learn the total one after another (401s and 429s interleave meanwhile).
    expect(failures).toBeLessThanOrEqual(LIMIT + 40);
    expect(statuses.slice(-20).every((x) => x === 429)).toBe(true);
    // Every instance refuses it now, a valid key included (three requests: three instances).
    for (let i = 0; i < 3; i++) expect((await me(attacker, validKey, { "x-forwarded-for": `198.51.100.${i}` })).status).toBe(429);
    // Counted under its real address only: none of the forged ones has a row.
    const rows = await sql<{ client: string }[]>`select client from internal.auth_failures where client = ${`ip:${attacker}`} or client like 'ip:203.0.113.%' or client = 'ip:127.0.0.3'`;
    expect(rows.map((r) => r.client)).toEqual([`ip:${attacker}`]);
  });

  it("limits a client that writes a victim's address, not the victim", async () => {
    await fitInMinute(25);
    const attacker = loopback();
    const victim = loopback();
    const statuses = await badKeys(attacker, 90, () => victim);
    console.log(`[scale limit] victim's address forged: ${summary(statuses)}`);
    expect(statuses.slice(-20).every((x) => x === 429)).toBe(true);
    expect((await me(attacker, validKey)).status).toBe(429);
    // The victim, on every instance: its valid key works and its failures are its own.
    for (let i = 0; i < 3; i++) expect((await me(victim, validKey)).status).toBe(200);
    expect((await me(victim, "tt_not_a_real_key")).status).toBe(401);
    // Someone else claiming to be the limited attacker is not limited either.
    expect((await me(loopback(), validKey, { "x-forwarded-for": attacker })).status).toBe(200);
  });
});
