// The counting behind the failed-authentication limit (lib/auth/failure-limiter.ts wires
// it to the environment, the clock and Postgres). Pure: the clock, the timer and the
// store are passed in, so unit tests drive it with an injected clock and no waiting.
//
// A counter, not a cache (docs/ARCHITECTURE.md, "In-process state"): its counts are shared
// through Postgres, and which client it forgets at the cap is chosen by failures, not by
// recency — under a least-recently-used rule a flood of one-failure addresses would push
// out the client that is close to its limit.
//
// Per client and clock minute, this instance counts failures in memory. Two costs are
// bounded whatever a flood sends, even when every request claims a new address:
//
// - Memory: at most `maxClients` clients are tracked. When a new one would exceed that,
//   clients of past minutes go first, then those with the fewest failures (the oldest
//   last failure among equals), down to 90% of the cap — one sort per tenth of the cap,
//   so eviction costs a few operations per request. A flood of new addresses, one
//   failure each, thus only evicts itself: pushing out a client at 25 failures takes
//   90% of the cap filled with clients at 25 or more within one minute.
// - Writes: only a client whose failures on this instance reach `flushFraction` of the
//   limit is shared with the other instances — the others need to hear of a client only
//   once it is getting close — and one flush writes at most `maxFlushRows` rows (the
//   clients with the most failures first; the rest wait for the next flush).

import { COUNTER_CAPS } from "@/lib/cache-caps";

export type FlushRow = { client: string; window_start: Date; failures: number };
export type FailureStore = (rows: FlushRow[]) => Promise<FlushRow[]>;

export type FailureCounterOptions = {
  /** Failures per client per minute before it is refused; 0: off. */
  limit: number;
  /** Adds the rows' failures to the shared counts; returns the new totals. */
  store: FailureStore;
  /** The clock (Date.now in production). */
  clock?: () => number;
  /** Runs `fn` after `ms` (setTimeout in production). */
  schedule?: (fn: () => void, ms: number) => void;
  maxClients?: number;
  flushFraction?: number;
  maxFlushRows?: number;
  onError?: (error: unknown) => void;
};

// local: this instance's failures this minute; pending: not yet sent; sending: sent, the
// total not yet back; shared: the total across instances, as the last flush learned it.
type Entry = { start: number; local: number; pending: number; sending: number; shared: number; last: number };
const known = (e: Entry) => e.shared + e.sending + e.pending;

export const WINDOW_MS = 60_000;
export const FLUSH_MS = 1_000;
export const DEFAULTS = { maxClients: COUNTER_CAPS.authFailureClients, flushFraction: 1 / 3, maxFlushRows: 500 } as const;

const windowStart = (now: number) => now - (now % WINDOW_MS);

export class FailureCounter {
  readonly limit: number;
  readonly maxClients: number;
  readonly maxFlushRows: number;
  /** A client's failures on this instance at which it is shared with the others. */
  readonly flushAt: number;
  private readonly entries = new Map<string, Entry>();
  private readonly store: FailureStore;
  private readonly schedule: (fn: () => void, ms: number) => void;
  private readonly clock: () => number;
  private readonly onError: (error: unknown) => void;
  private flushScheduled = false;

  constructor(options: FailureCounterOptions) {
    this.limit = options.limit;
    this.store = options.store;
    this.clock = options.clock ?? Date.now;
    this.schedule = options.schedule ?? ((fn, ms) => setTimeout(fn, ms).unref?.());
    this.onError = options.onError ?? ((e) => console.error("[auth] saving failed-authentication counts failed:", e));
    this.maxClients = options.maxClients ?? DEFAULTS.maxClients;
    this.maxFlushRows = options.maxFlushRows ?? DEFAULTS.maxFlushRows;
    this.flushAt = Math.max(1, Math.ceil(this.limit * (options.flushFraction ?? DEFAULTS.flushFraction)));
  }

  /** How many clients are tracked. */
  get size(): number {
    return this.entries.size;
  }

  /** The failures known for `client` in the current minute: this instance's unsent ones plus the shared total. */
  failures(client: string, now: number): number {
    const e = this.entries.get(client);
    return e && e.start === windowStart(now) ? known(e) : 0;
  }

  /** Seconds until `client` may try again, or 0 when it is not over the limit. No I/O. */
  retryAfter(client: string, now = this.clock()): number {
    if (!this.limit) return 0;
    const e = this.entries.get(client);
    if (!e || e.start !== windowStart(now) || known(e) < this.limit) return 0;
    return Math.max(1, Math.ceil((e.start + WINDOW_MS - now) / 1000));
  }

  /** Counts one failed authentication of `client`. */
  record(client: string, now = this.clock()): void {
    if (!this.limit) return;
    const start = windowStart(now);
    let e = this.entries.get(client);
    if (!e) {
      if (this.entries.size >= this.maxClients) this.evict(start);
      e = { start, local: 0, pending: 0, sending: 0, shared: 0, last: now };
      this.entries.set(client, e);
    } else if (e.start !== start) {
      Object.assign(e, { start, local: 0, pending: 0, sending: 0, shared: 0 });
    }
    e.local++;
    e.pending++;
    e.last = now;
    if (e.local >= this.flushAt) this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.schedule(() => {
      this.flushScheduled = false;
      this.flush(this.clock()).catch(this.onError);
    }, FLUSH_MS);
  }

  /** Clients of past minutes, then the fewest failures (oldest first), until 90% of the cap is left. */
  private evict(start: number): void {
    for (const [client, e] of this.entries) if (e.start !== start) this.entries.delete(client);
    const target = Math.floor(this.maxClients * 0.9);
    if (this.entries.size <= target) return;
    const ranked = [...this.entries].sort(([, a], [, b]) => known(a) - known(b) || a.last - b.last);
    for (const [client] of ranked.slice(0, this.entries.size - target)) this.entries.delete(client);
  }

  /** Which clients' unsent failures the next flush sends: near the limit, most failures first, at most maxFlushRows. */
  flushBatch(now: number): [string, Entry][] {
    const start = windowStart(now);
    const due = [...this.entries].filter(([, e]) => e.start === start && e.pending > 0 && e.local >= this.flushAt);
    return due.sort(([, a], [, b]) => known(b) - known(a)).slice(0, this.maxFlushRows);
  }

  /** Sends the due failures, learns the totals across instances, forgets past minutes. */
  async flush(now = this.clock()): Promise<number> {
    const start = windowStart(now);
    for (const [client, e] of this.entries) if (e.start !== start) this.entries.delete(client);
    const batch = this.flushBatch(now);
    if (batch.length === 0) return 0;
    const rows = batch.map(([client, e]) => ({ client, window_start: new Date(e.start), failures: e.pending }));
    // Still counted while the statement runs (as `sending`): a client at the limit stays
    // refused during the round trip, not let through until the total comes back.
    for (const [, e] of batch) {
      e.sending = e.pending;
      e.pending = 0;
    }
    let totals: FlushRow[];
    try {
      totals = await this.store(rows);
    } catch (error) {
      // Not lost: back to unsent, sent with the next flush.
      for (const [, e] of batch) {
        e.pending += e.sending;
        e.sending = 0;
      }
      throw error;
    }
    for (const [, e] of batch) e.sending = 0;
    for (const row of totals) {
      const e = this.entries.get(row.client);
      if (e && e.start === row.window_start.getTime()) e.shared = row.failures;
    }
    // More due than one flush sends, or failures that came in meanwhile: flush again.
    if (this.flushBatch(this.clock()).length > 0) this.scheduleFlush();
    return rows.length;
  }
}
