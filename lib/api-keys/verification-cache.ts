// What one instance remembers of the keys it verified: the row the lookup returned, for at
// most `ttlMs` (T) from the moment that lookup was *sent*, least recently used out first.
// Pure (no I/O, no globals): the clock and the counters are injected, so the window is
// tested with a fake clock (tests/unit/verification-cache.test.ts), and the server wires
// one per process (lib/api-keys/key-verifier.ts).
//
// Why the age counts from the moment the lookup was sent, not from its answer: every change
// that takes power away from a key commits, then waits T before it answers
// (settleKeyChange). A lookup sent after the commit sees it; one sent before it is at
// least T old by the time the change's answer leaves, so no instance can serve it to a
// request that starts after that answer. Counting from the answer would add the lookup's
// own duration to the window.
//
// Lookups for the same key in flight at once are shared (one query, not fifty, when a busy
// key's entry runs out under load) — joining one is the same as caching it, so it is only
// joined while younger than T. A key that was not found is not remembered: a key created a
// moment ago must work at once, and guesses never get this far (checksum, rate limit).
// A lookup that fails is not remembered either.

import { BoundedCache, type MonotonicClock } from "@/lib/bounded-cache";

export type { MonotonicClock };

export type VerificationCacheStats = {
  /** Answers served from memory. */
  hits: number;
  /** Lookups sent to the database. */
  lookups: number;
  /** Requests that joined a lookup already in flight. */
  joined: number;
  /** Entries pushed out by the size bound. */
  readonly evicted: number;
};

type Entry<V> = { value: Promise<V | null>; settled: boolean };

export class VerificationCache<V> {
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly stats: VerificationCacheStats;
  private readonly now: MonotonicClock;
  // The one in-process cache (lib/bounded-cache.ts): the window is its age limit, counted
  // from when each lookup was sent; least recently used out first.
  private readonly entries: BoundedCache<string, Entry<V>>;

  constructor(options: { ttlMs: number; maxEntries: number; now: MonotonicClock }) {
    if (!(options.ttlMs >= 0)) throw new RangeError("ttlMs must be 0 or more");
    if (!(options.maxEntries >= 1)) throw new RangeError("maxEntries must be 1 or more");
    this.ttlMs = options.ttlMs;
    this.maxEntries = options.maxEntries;
    this.now = options.now;
    const entries = (this.entries = new BoundedCache({ maxEntries: options.maxEntries, ttlMs: options.ttlMs, now: options.now }));
    this.stats = {
      hits: 0,
      lookups: 0,
      joined: 0,
      get evicted() {
        return entries.stats.evictions;
      },
    };
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether `get(id)` would answer from memory now, without a lookup (and without touching the order). */
  has(id: string): boolean {
    return this.entries.peek(id)?.settled === true;
  }

  /**
   * The value for `id` (the key's hash): remembered if its lookup was sent less than T ago,
   * else `lookup()` — once, however many ask at the same time. T = 0: always `lookup()`.
   */
  get(id: string, lookup: () => Promise<V | null>): Promise<V | null> {
    if (this.ttlMs === 0) {
      this.stats.lookups++;
      return lookup();
    }
    const entry = this.entries.get(id);
    if (entry) {
      if (entry.settled) this.stats.hits++;
      else this.stats.joined++;
      return entry.value;
    }
    this.stats.lookups++;
    const sentAt = this.now();
    const fresh: Entry<V> = { value: lookup(), settled: false };
    this.entries.set(id, fresh, sentAt);
    const forget = () => void this.entries.delete(id, fresh);
    fresh.value.then(
      (value) => {
        fresh.settled = true;
        if (value === null) forget();
      },
      forget,
    );
    return fresh.value;
  }

  /** Forgets every entry (tests; a process that wants to drop what it knows). */
  clear(): void {
    this.entries.clear();
  }
}

/**
 * Waits T from now, measured on the monotonic clock (a timer may fire a little early):
 * after a change that takes power away from a key has committed, every entry read before
 * the commit — on every instance — has run out when this returns.
 */
export async function waitOut(ttlMs: number, now: MonotonicClock, sleep: (ms: number) => Promise<void>): Promise<void> {
  const until = now() + ttlMs;
  for (let left = ttlMs; left > 0; left = until - now()) await sleep(Math.ceil(left));
}
