// The one in-process cache: every process-local state that may forget an entry without
// losing anything but a little work (docs/ARCHITECTURE.md, "In-process state") is one of
// these. A size cap (lib/cache-caps.ts names each cache's), one eviction rule — the least
// recently used entry goes first — an optional age limit measured on an injected monotonic
// clock, and counters that tests and diagnostics read.
//
// Pure (no I/O, no globals, no domain imports) so it is tested with a fake clock
// (tests/unit/bounded-cache.test.ts). A get costs one Map lookup, and on a hit a delete and
// a set to move the entry last (Map keeps insertion order, so the first key is the least
// recently used): no allocation on the read path.
//
// State that must not be dropped before it is written somewhere (counters flushed to
// Postgres, pending writes) is not a cache and does not use this.

/** Milliseconds from a monotonic clock (performance.now()): an age limit must not move with the wall clock. */
export type MonotonicClock = () => number;

export type CacheStats = {
  /** Gets answered from memory. */
  hits: number;
  /** Gets that found nothing (or an entry past its age limit). */
  misses: number;
  /** Entries pushed out by the size cap. */
  evictions: number;
  /** Entries found past their age limit (and dropped). */
  expired: number;
};

export type BoundedCacheOptions = {
  /** At most this many entries; the least recently used goes when one more is set. */
  maxEntries: number;
  /** An entry is gone once this many ms have passed since it was set; omitted: no age limit. */
  ttlMs?: number;
  /** Required with `ttlMs`; performance.now() in production. */
  now?: MonotonicClock;
};

type Entry<V> = { value: V; at: number };

export class BoundedCache<K, V> {
  readonly maxEntries: number;
  readonly ttlMs: number | undefined;
  readonly stats: CacheStats = { hits: 0, misses: 0, evictions: 0, expired: 0 };
  /** The clock ages are measured on (undefined without an age limit). */
  readonly now: MonotonicClock | undefined;
  private readonly entries = new Map<K, Entry<V>>();

  constructor(options: BoundedCacheOptions) {
    if (!(Number.isInteger(options.maxEntries) && options.maxEntries >= 1)) throw new RangeError("maxEntries must be a whole number, 1 or more");
    if (options.ttlMs !== undefined) {
      if (!(options.ttlMs >= 0)) throw new RangeError("ttlMs must be 0 or more");
      if (!options.now) throw new RangeError("an age limit needs a clock");
    }
    this.maxEntries = options.maxEntries;
    this.ttlMs = options.ttlMs;
    this.now = options.now;
  }

  get size(): number {
    return this.entries.size;
  }

  private fresh(entry: Entry<V>): boolean {
    return this.ttlMs === undefined || this.now!() - entry.at < this.ttlMs;
  }

  /** The value for `key` if remembered (and younger than the age limit); it becomes the most recently used. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) {
      this.stats.misses++;
      return undefined;
    }
    if (!this.fresh(entry)) {
      this.entries.delete(key);
      this.stats.expired++;
      this.stats.misses++;
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.stats.hits++;
    return entry.value;
  }

  /** Like get, without touching the order or the counters. */
  peek(key: K): V | undefined {
    const entry = this.entries.get(key);
    return entry !== undefined && this.fresh(entry) ? entry.value : undefined;
  }

  /**
   * Remembers `value` as the most recently used; the least recently used go past the cap.
   * Its age counts from `at` (on this cache's clock; default now): a value fetched from
   * elsewhere should count from when it was asked for, so its age includes the fetch.
   */
  set(key: K, value: V, at: number = this.ttlMs === undefined ? 0 : this.now!()): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at });
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value!);
      this.stats.evictions++;
    }
  }

  /** Forgets `key` — with `only`, only while it still holds that value (whatever its age): a later set is kept. */
  delete(key: K, only?: V): boolean {
    if (only !== undefined && this.entries.get(key)?.value !== only) return false;
    return this.entries.delete(key);
  }

  /** Forgets every entry (what it knew no longer holds, or a test wants a clean start). */
  clear(): void {
    this.entries.clear();
  }
}
