// The failed-authentication limiter's rules, with an injected clock, timer and store: who
// counts as the client, counting per minute, which clients are evicted when too many are
// tracked, and which are written to the shared table. No server, no waiting.
import { describe, expect, it } from "vitest";

import { clientAddress, PEER_ADDRESS_HEADER } from "../../lib/http/client-address";
import { FailureCounter, type FlushRow } from "../../lib/auth/failure-counter";

// The window from the requirement (AUTH_FAILURE_LIMIT failures per client per minute, docs/SECURITY.md),
// not the module's constant: a test bounded by the constant it tests would pass whatever it says.
const MINUTE_MS = 60_000;

const headers = (h: Record<string, string>) => new Headers(h);

describe("clientAddress", () => {
  const peer = { [PEER_ADDRESS_HEADER]: "203.0.113.9" };

  it("is the peer address with no trusted proxy, whatever X-Forwarded-For says", () => {
    expect(clientAddress(headers({ ...peer, "x-forwarded-for": "198.51.100.1" }), 0).address).toBe("203.0.113.9");
    expect(clientAddress(headers({ ...peer, "x-forwarded-for": "1.1.1.1, 2.2.2.2, 3.3.3.3" }), 0).address).toBe("203.0.113.9");
    expect(clientAddress(headers(peer), 0).address).toBe("203.0.113.9");
  });

  it("is the entry N hops left of the peer with N trusted proxies; entries further left never decide", () => {
    // The load balancer appended 198.51.100.7 (who it saw); the client wrote the rest.
    const h = headers({ ...peer, "x-forwarded-for": "10.0.0.1, 6.6.6.6, 198.51.100.7" });
    expect(clientAddress(h, 1).address).toBe("198.51.100.7");
    expect(clientAddress(h, 2).address).toBe("6.6.6.6");
    // A chain shorter than the hops: the furthest address we have.
    expect(clientAddress(headers({ ...peer, "x-forwarded-for": "198.51.100.7" }), 3).address).toBe("198.51.100.7");
    expect(clientAddress(headers(peer), 1).address).toBe("203.0.113.9");
  });

  it("without a recorded peer, stands in the right-most X-Forwarded-For entry for it (what Next sets from the socket)", () => {
    const h = headers({ "x-forwarded-for": "6.6.6.6, 198.51.100.7" });
    expect(clientAddress(h, 0)).toEqual({ address: "198.51.100.7", peerKnown: false });
    expect(clientAddress(h, 1).address).toBe("198.51.100.7");
    expect(clientAddress(h, 2).address).toBe("6.6.6.6");
    expect(clientAddress(headers({}), 0).address).toBe("unknown");
  });

  it("treats an IPv4-mapped IPv6 address as the IPv4 address, and bounds the length", () => {
    expect(clientAddress(headers({ [PEER_ADDRESS_HEADER]: "::ffff:127.0.0.1" }), 0).address).toBe("127.0.0.1");
    expect(clientAddress(headers({ [PEER_ADDRESS_HEADER]: "2001:DB8::1" }), 0).address).toBe("2001:db8::1");
    expect(clientAddress(headers({ ...peer, "x-forwarded-for": "x".repeat(5000) }), 1).address).toHaveLength(100);
  });
});

/** A counter with a hand-driven clock, timer and store. */
function setup(options: { limit?: number; maxClients?: number; maxFlushRows?: number } = {}) {
  let now = 10 * MINUTE_MS + 1_000; // one second into a minute
  const timers: (() => void)[] = [];
  const writes: FlushRow[][] = [];
  const shared = new Map<string, number>();
  const counter = new FailureCounter({
    limit: options.limit ?? 30,
    maxClients: options.maxClients,
    maxFlushRows: options.maxFlushRows,
    clock: () => now,
    schedule: (fn) => void timers.push(fn),
    store: async (rows) => {
      writes.push(rows);
      return rows.map((r) => {
        const key = `${r.client}@${r.window_start.getTime()}`;
        shared.set(key, (shared.get(key) ?? 0) + r.failures);
        return { ...r, failures: shared.get(key)! };
      });
    },
  });
  return {
    counter,
    writes,
    shared,
    timers,
    advance: (ms: number) => (now += ms),
    now: () => now,
    fail: (client: string, times = 1) => {
      for (let i = 0; i < times; i++) counter.record(client);
    },
  };
}

describe("FailureCounter", () => {
  it("refuses a client from its limit-th failure until the minute is over, with Retry-After", () => {
    const t = setup({ limit: 30 });
    t.fail("a", 29);
    expect(t.counter.retryAfter("a")).toBe(0);
    t.fail("a");
    expect(t.counter.retryAfter("a")).toBe(59);
    expect(t.counter.retryAfter("b")).toBe(0);
    t.advance(58_500);
    expect(t.counter.retryAfter("a")).toBe(1);
    t.advance(500); // the next minute
    expect(t.counter.retryAfter("a")).toBe(0);
    t.fail("a");
    expect(t.counter.failures("a", t.now())).toBe(1);
  });

  it("does nothing with the limit off", () => {
    const t = setup({ limit: 0 });
    t.fail("a", 100);
    expect(t.counter.retryAfter("a")).toBe(0);
    expect(t.counter.size).toBe(0);
  });

  it("tracks at most maxClients, evicting the clients with the fewest failures, not a real attacker", async () => {
    const t = setup({ limit: 30, maxClients: 100 });
    t.fail("attacker", 25);
    t.fail("blocked", 30);
    // A flood of new addresses, one failure each, many times the cap.
    for (let i = 0; i < 5_000; i++) {
      t.fail(`spoofed-${i}`);
      expect(t.counter.size).toBeLessThanOrEqual(100);
    }
    expect(t.counter.failures("attacker", t.now())).toBe(25);
    expect(t.counter.retryAfter("blocked")).toBeGreaterThan(0);
    t.fail("attacker", 5);
    expect(t.counter.retryAfter("attacker")).toBeGreaterThan(0);
  });

  it("evicts clients of past minutes first, and among equals the one whose last failure is oldest", () => {
    const t = setup({ limit: 30, maxClients: 10 });
    t.fail("old", 20);
    t.advance(MINUTE_MS);
    for (let i = 0; i < 9; i++) {
      t.fail(`c${i}`, 2);
      t.advance(10);
    }
    t.fail("new"); // the 11th client: "old" (last minute) goes, nothing else needs to
    expect(t.counter.size).toBe(10);
    expect(t.counter.failures("old", t.now())).toBe(0);
    expect(t.counter.failures("c0", t.now())).toBe(2);
    t.fail("new"); // now every client has 2 failures
    t.fail("newer"); // over the cap again: one goes to make room (down to 90%), the one whose last failure is oldest
    expect(t.counter.size).toBe(10);
    expect(t.counter.failures("c0", t.now())).toBe(0);
    expect(t.counter.failures("c1", t.now())).toBe(2);
    expect(t.counter.failures("new", t.now())).toBe(2);
    expect(t.counter.failures("newer", t.now())).toBe(1);
  });

  it("writes nothing for clients far from the limit, and shares a client once it reaches a third of it", async () => {
    const t = setup({ limit: 30 });
    for (let i = 0; i < 1_000; i++) t.fail(`once-${i}`);
    t.fail("near", 9);
    expect(t.timers).toHaveLength(0); // nothing due, no flush even scheduled
    expect(await t.counter.flush()).toBe(0);
    expect(t.writes).toEqual([]);
    t.fail("near"); // the 10th: a third of 30
    expect(t.timers).toHaveLength(1);
    t.timers.shift()!();
    await new Promise((r) => setImmediate(r));
    expect(t.writes).toHaveLength(1);
    expect(t.writes[0]!.map((r) => [r.client, r.failures])).toEqual([["near", 10]]);
  });

  it("learns the total across instances from the store, and cuts a client off on it", async () => {
    const t = setup({ limit: 30 });
    t.fail("spread", 10);
    // Another instance already sent 18 for this client this minute.
    t.shared.set(`spread@${t.now() - (t.now() % MINUTE_MS)}`, 18);
    await t.counter.flush();
    expect(t.counter.failures("spread", t.now())).toBe(28);
    t.fail("spread", 2);
    expect(t.counter.retryAfter("spread")).toBeGreaterThan(0);
  });

  it("still refuses a client at the limit while its count is being written", async () => {
    let release!: () => void;
    const counter = new FailureCounter({
      limit: 30,
      clock: () => 10 * MINUTE_MS,
      schedule: () => {},
      store: (rows) => new Promise((resolve) => (release = () => resolve(rows))),
    });
    for (let i = 0; i < 30; i++) counter.record("a");
    expect(counter.retryAfter("a")).toBe(60);
    const flushing = counter.flush();
    // The statement is on its way: the 30 are neither unsent nor yet part of the total.
    expect(counter.retryAfter("a")).toBe(60);
    release();
    await flushing;
    expect(counter.failures("a", 10 * MINUTE_MS)).toBe(30);
    expect(counter.retryAfter("a")).toBe(60);
  });

  it("writes at most maxFlushRows rows a flush, the clients with the most failures first, the rest next time", async () => {
    const t = setup({ limit: 30, maxFlushRows: 3 });
    for (let i = 1; i <= 5; i++) t.fail(`c${i}`, 10 + i);
    expect(await t.counter.flush()).toBe(3);
    expect(t.writes[0]!.map((r) => r.client)).toEqual(["c5", "c4", "c3"]);
    expect(await t.counter.flush()).toBe(2);
    expect(t.writes[1]!.map((r) => r.client)).toEqual(["c2", "c1"]);
    expect(await t.counter.flush()).toBe(0);
  });

  it("keeps unsent failures when the store fails, and sends them next time", async () => {
    const t = setup({ limit: 30 });
    let down = true;
    const counter = new FailureCounter({
      limit: 30,
      clock: t.now,
      schedule: () => {},
      store: async (rows) => {
        if (down) throw new Error("database down");
        return rows;
      },
    });
    for (let i = 0; i < 12; i++) counter.record("a");
    await expect(counter.flush()).rejects.toThrow(/database down/);
    expect(counter.failures("a", t.now())).toBe(12);
    down = false;
    expect(await counter.flush()).toBe(1);
  });
});
