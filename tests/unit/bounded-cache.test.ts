// The one in-process cache (lib/bounded-cache.ts) on a fake monotonic clock: its cap, its
// one eviction rule (least recently used first), its age limit and its counters.
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { BoundedCache } from "@/lib/bounded-cache";

describe("the bounded cache", () => {
  it("pushes out the least recently used entry when one more is set", () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 2 });
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1); // a is now the most recently used
    cache.set("c", 3); // pushes out b
    expect(cache.size).toBe(2);
    expect(cache.peek("b")).toBeUndefined();
    expect(cache.peek("a")).toBe(1);
    expect(cache.peek("c")).toBe(3);
    expect(cache.stats).toEqual({ hits: 1, misses: 0, evictions: 1, expired: 0 });
  });

  it("setting a key it holds replaces the value and makes it the most recently used, evicting nothing", () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 2 });
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("a", 10);
    cache.set("c", 3); // b is now the least recently used
    expect(cache.peek("a")).toBe(10);
    expect(cache.peek("b")).toBeUndefined();
    expect(cache.stats.evictions).toBe(1);
  });

  it("peek neither reorders nor counts", () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 2 });
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.peek("a")).toBe(1); // not a use: a stays the least recently used
    cache.set("c", 3);
    expect(cache.peek("a")).toBeUndefined();
    expect(cache.stats).toMatchObject({ hits: 0, misses: 0 });
  });

  it("forgets an entry once its age limit has passed since it was set, on the injected clock", () => {
    let now = 1_000;
    const cache = new BoundedCache<string, string>({ maxEntries: 10, ttlMs: 500, now: () => now });
    cache.set("k", "v");
    now += 499;
    expect(cache.get("k")).toBe("v");
    now += 1; // exactly the age limit: gone (a hit does not renew the age)
    expect(cache.get("k")).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.stats).toEqual({ hits: 1, misses: 1, evictions: 0, expired: 1 });
  });

  it("counts an entry's age from the `at` it was given (when the value was asked for)", () => {
    let now = 0;
    const cache = new BoundedCache<string, string>({ maxEntries: 10, ttlMs: 500, now: () => now });
    const askedAt = now;
    now += 200; // the lookup took 200 ms
    cache.set("k", "v", askedAt);
    now += 299;
    expect(cache.get("k")).toBe("v");
    now += 1;
    expect(cache.get("k")).toBeUndefined();
  });

  it("deletes a key only while it holds the value given, when one is given", () => {
    let now = 0;
    const cache = new BoundedCache<string, { n: number }>({ maxEntries: 3, ttlMs: 10, now: () => now });
    const first = { n: 1 };
    cache.set("k", first);
    cache.set("k", { n: 2 });
    expect(cache.delete("k", first)).toBe(false); // replaced since: kept
    expect(cache.peek("k")).toEqual({ n: 2 });
    now += 10;
    cache.set("j", first, 0);
    expect(cache.delete("j", first)).toBe(true); // past its age limit, still that value: gone
    expect(cache.size).toBe(1);
  });

  it("counts misses, and clear forgets everything", () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 3 });
    expect(cache.get("x")).toBeUndefined();
    cache.set("x", 1);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get("x")).toBeUndefined();
    expect(cache.stats.misses).toBe(2);
  });

  it("refuses a cap below 1 and an age limit without a clock", () => {
    expect(() => new BoundedCache({ maxEntries: 0 })).toThrow(RangeError);
    expect(() => new BoundedCache({ maxEntries: 1.5 })).toThrow(RangeError);
    expect(() => new BoundedCache({ maxEntries: 1, ttlMs: 10 })).toThrow(RangeError);
    expect(() => new BoundedCache({ maxEntries: 1, ttlMs: -1, now: () => 0 })).toThrow(RangeError);
  });

  // A model: an array of keys from least to most recently used, next to the cache under
  // any sequence of gets, sets, deletes and clock steps.
  type Op = { kind: "get" | "set" | "delete"; key: number } | { kind: "tick"; ms: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constantFrom("get" as const, "set" as const), key: fc.integer({ min: 0, max: 8 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), key: fc.integer({ min: 0, max: 8 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("tick" as const), ms: fc.integer({ min: 0, max: 50 }) }) },
  );

  it("never holds more than its cap, hits every get within the age limit, and evicts in LRU order (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 200 }), fc.array(op, { maxLength: 200 }), (maxEntries, ttlMs, ops) => {
        let now = 0;
        const cache = new BoundedCache<number, number>({ maxEntries, ttlMs, now: () => now });
        let order: { key: number; value: number; at: number }[] = [];
        let evictions = 0;
        let n = 0;
        for (const o of ops) {
          if (o.kind === "tick") {
            now += o.ms;
            continue;
          }
          const i = order.findIndex((e) => e.key === o.key);
          if (o.kind === "set") {
            if (i >= 0) order.splice(i, 1);
            order.push({ key: o.key, value: ++n, at: now });
            cache.set(o.key, n);
            while (order.length > maxEntries) {
              order.shift();
              evictions++;
            }
          } else if (o.kind === "delete") {
            if (i >= 0) order.splice(i, 1);
            cache.delete(o.key);
          } else {
            const got = cache.get(o.key);
            if (i >= 0 && now - order[i]!.at < ttlMs) {
              expect(got).toBe(order[i]!.value); // within the age limit: a hit
              order.push(order.splice(i, 1)[0]!);
            } else {
              expect(got).toBeUndefined();
              if (i >= 0) order.splice(i, 1);
            }
          }
          expect(cache.size).toBeLessThanOrEqual(maxEntries);
          expect(cache.size).toBe(order.length);
          expect(cache.stats.evictions).toBe(evictions);
        }
        // What is left, and in what order: evicting one at a time takes the model's first.
        order = order.filter((e) => now - e.at < ttlMs);
        expect(order.every((e) => cache.peek(e.key) === e.value)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
