// The verification cache's window, size bound and shared lookups (lib/api-keys/verification-cache.ts),
// on a fake monotonic clock: what a revocation relies on is that no entry is served once
// T has passed since its lookup was sent.
import { describe, expect, it } from "vitest";

import { VerificationCache, waitOut } from "@/lib/api-keys/verification-cache";

function setup(ttlMs = 1_000, maxEntries = 100) {
  let now = 0;
  const cache = new VerificationCache<{ n: number }>({ ttlMs, maxEntries, now: () => now });
  let sent = 0;
  // A lookup that answers when told to: the database is slow exactly when it matters.
  const pending: ((v: { n: number } | null) => void)[] = [];
  const lookup = () => {
    sent++;
    return new Promise<{ n: number } | null>((resolve) => pending.push(resolve));
  };
  const answer = (value: { n: number } | null = { n: sent }) => pending.shift()!(value);
  return { cache, lookup, answer, sent: () => sent, tick: (ms: number) => (now += ms) };
}

describe("the verification cache", () => {
  it("answers from memory until T has passed since the lookup was sent, then looks up again", async () => {
    const { cache, lookup, answer, sent, tick } = setup(1_000);
    const first = cache.get("k", lookup);
    tick(300); // the lookup takes 300 ms: the window still counts from when it was sent
    answer({ n: 1 });
    expect(await first).toEqual({ n: 1 });
    tick(699); // 999 ms after sending: still the remembered row
    expect(await cache.get("k", lookup)).toEqual({ n: 1 });
    expect(sent()).toBe(1);
    tick(1); // exactly T: gone
    const again = cache.get("k", lookup);
    expect(sent()).toBe(2);
    answer({ n: 2 });
    expect(await again).toEqual({ n: 2 });
    expect(cache.stats).toMatchObject({ lookups: 2, hits: 1 });
  });

  it("says whether a key would be answered from memory, without a lookup", async () => {
    const { cache, lookup, answer, tick } = setup(1_000);
    expect(cache.has("k")).toBe(false);
    const first = cache.get("k", lookup);
    expect(cache.has("k")).toBe(false); // in flight: not remembered yet
    answer({ n: 1 });
    await first;
    expect(cache.has("k")).toBe(true);
    tick(1_000);
    expect(cache.has("k")).toBe(false);
  });

  it("sends one lookup for many requests that arrive while it is in flight", async () => {
    const { cache, lookup, answer, sent } = setup();
    const all = Array.from({ length: 50 }, () => cache.get("busy", lookup));
    expect(sent()).toBe(1);
    answer({ n: 7 });
    expect(await Promise.all(all)).toEqual(Array(50).fill({ n: 7 }));
    expect(cache.stats).toMatchObject({ lookups: 1, joined: 49 });
  });

  it("does not let a request join a lookup sent T or more ago", async () => {
    const { cache, lookup, answer, sent, tick } = setup(1_000);
    const slow = cache.get("k", lookup);
    tick(1_000); // the first lookup is still in flight, but it may predate a revocation
    const fresh = cache.get("k", lookup);
    expect(sent()).toBe(2);
    answer({ n: 1 });
    answer({ n: 2 });
    expect(await slow).toEqual({ n: 1 });
    expect(await fresh).toEqual({ n: 2 });
  });

  it("never remembers a key that was not found, so a new key works at once", async () => {
    const { cache, lookup, answer, sent } = setup();
    const miss = cache.get("new", lookup);
    answer(null);
    expect(await miss).toBeNull();
    const hit = cache.get("new", lookup);
    expect(sent()).toBe(2);
    answer({ n: 1 });
    expect(await hit).toEqual({ n: 1 });
  });

  it("never remembers a lookup that failed", async () => {
    let now = 0;
    const cache = new VerificationCache<number>({ ttlMs: 1_000, maxEntries: 10, now: () => now });
    await expect(cache.get("k", () => Promise.reject(new Error("database down")))).rejects.toThrow("database down");
    now += 1;
    expect(await cache.get("k", () => Promise.resolve(5))).toBe(5);
  });

  it("keeps at most maxEntries keys, pushing out the least recently used", async () => {
    let now = 0;
    const cache = new VerificationCache<string>({ ttlMs: 1_000, maxEntries: 2, now: () => now });
    const looked: string[] = [];
    const get = (id: string) => cache.get(id, async () => (looked.push(id), id));
    await get("a");
    await get("b");
    now += 1;
    await get("a"); // a is now the most recently used
    await get("c"); // pushes out b
    expect(cache.size).toBe(2);
    await get("a");
    await get("b");
    expect(looked).toEqual(["a", "b", "c", "b"]);
    expect(cache.stats.evicted).toBe(2);
  });

  it("with T = 0 remembers nothing and shares nothing", async () => {
    const { cache, lookup, answer, sent } = setup(0);
    const one = cache.get("k", lookup);
    const two = cache.get("k", lookup);
    expect(sent()).toBe(2);
    answer();
    answer();
    await Promise.all([one, two]);
    expect(cache.size).toBe(0);
  });
});

describe("waiting out T after a change commits", () => {
  it("returns only once T has passed on the monotonic clock, even if a timer fires early", async () => {
    let now = 0;
    const sleeps: number[] = [];
    // A timer that fires 1 ms early each time.
    await waitOut(1_000, () => now, async (ms) => {
      sleeps.push(ms);
      now += Math.max(ms - 1, 0.5);
    });
    expect(now).toBeGreaterThanOrEqual(1_000);
    expect(sleeps[0]).toBe(1_000);
    expect(sleeps.length).toBeGreaterThan(1);
  });

  it("does not wait at all with T = 0", async () => {
    let slept = false;
    await waitOut(0, () => 0, async () => {
      slept = true;
    });
    expect(slept).toBe(false);
  });
});
