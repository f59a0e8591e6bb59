// The usage-limit engine of one instance (docs/ARCHITECTURE.md, "Usage limits"): it admits a
// request from allowance it leased from the shared store, so that the leases of every instance
// together never exceed a counter's limit in its window — admitted <= limit in every window,
// however many instances there are and however the load is spread — while the store sees about
// one statement per counter per T per instance under load. Pure (no I/O, no globals): the clock
// and the store are injected, so the window arithmetic and the interleavings of several
// instances are tested without a database or the wall clock (tests/unit/usage-limit-engine.test.ts);
// the server wires one per process with the Postgres store (./limiter.ts, ./lease-store.ts).
//
// How a request is admitted (admit):
// - every counter it must pass (a key's rate, burst, quota; its service account's) is looked up
//   in this instance's leases: allowance the store granted for the counter's current window,
//   under the limit the key was verified with;
// - a counter marked exhausted (the store had nothing left) refuses the request with no I/O until
//   min(window end, then + T);
// - when every counter holds allowance, one unit is taken from each, synchronously: admitted;
// - otherwise ONE store statement asks for allowance for every counter that has none (and tops
//   up the request's other counters running low), and the request tries again. Requests that
//   arrive while a counter's statement is in flight wait for it instead of sending their own.
// A lease belongs to its window and its limit: when the window ends it is dropped (the store's
// row rolls to the next window); when the key's row comes back with another limit it is dropped
// and its unused part given back. Allowance unused for T is given back by flush(), in the
// background, never on a request's path. Nothing here ever admits from allowance the store did
// not grant for that very window, which is what makes the limit exact.

import { windowOf, type LimitKind, type LimitPeriod } from "@/lib/contract/usage-limits";

/** One counter a request must pass. `subjectId`: the key's id, or its service account's. */
export type CounterSpec = {
  subjectId: string;
  kind: LimitKind;
  limit: number;
  per: LimitPeriod;
  appliesTo: "key" | "service_account";
  /** The organization the counter belongs to (for the quota alerts). */
  organizationId?: string;
};

export type LeaseRequest = { subjectId: string; kind: LimitKind; windowStart: number; limit: number; want: number };
export type LeaseResult = {
  /** What this statement granted (0: nothing left in the window). */
  granted: number;
  /** The counter's allowance handed out in the window so far, this grant included. */
  total: number;
  /** The quota is past 80 % of its limit and its alert's flag unset (until the alert sets it). */
  crossedWarning: boolean;
  /** This grant found the quota used up, its alert's flag unset (until the alert sets it). */
  crossedExhausted: boolean;
};
export type GiveBack = { subjectId: string; kind: LimitKind; windowStart: number; amount: number };

/** The shared store: one statement grants allowance for several counters; one gives unused allowance back. */
export interface LeaseStore {
  lease(requests: readonly LeaseRequest[], maxFraction: number): Promise<LeaseResult[]>;
  giveBack(items: readonly GiveBack[]): Promise<void>;
}

/** A counter as an answer describes it: for the RateLimit headers. */
export type CounterView = { spec: CounterSpec; windowStart: number; windowEnd: number; remaining: number };

export type Decision =
  | { admitted: true; views: CounterView[]; /** When (the engine's clock) it was admitted: its windows are those holding this instant. */ at: number }
  | { admitted: false; refusedBy: CounterView; retryAfterMs: number; views: CounterView[] };

export type QuotaCrossing = { spec: CounterSpec; windowStart: number; windowEnd: number; total: number; level: "warning" | "exhausted" };

export type EngineStats = {
  /** Requests admitted, and refused, by this instance. */
  admitted: number;
  refused: number;
  /** Requests refused by an exhausted mark, with no store statement. */
  refusedFromMemory: number;
  /** Lease statements and give-back statements sent. */
  leaseStatements: number;
  giveBackStatements: number;
};

type Lease = {
  windowStart: number;
  windowEnd: number;
  limit: number;
  /** Granted to this instance in the window and not yet used. */
  remaining: number;
  /** The store's total for the window as of the last statement (this instance's grants included). */
  storeTotal: number;
  /** Refuse from memory until then (ms since the epoch); 0: not exhausted. */
  exhaustedUntil: number;
  lastUsedAt: number;
  inflight: Promise<void> | null;
};

type Demand = { count: number; since: number };

export type EngineOptions = {
  store: LeaseStore;
  /** Wall clock (ms since the epoch): windows are UTC-aligned. */
  now: () => number;
  /** T: how long a grant is meant to last, an exhausted mark's longest life, and how long idle allowance is kept. */
  leaseMs: number;
  /** The most of what is left in a window one grant may take (0 < f <= 1; at least 1 request). Bounds under-admission. */
  maxLeaseFraction?: number;
  /** Called when a lease statement reports a quota past 80 % or used up whose alert is not recorded yet (the alert makes it once per window). */
  onQuotaCrossing?: (crossing: QuotaCrossing) => void;
  /** Attempts to get allowance before a request is refused as if the counter were exhausted (contention). */
  maxAttempts?: number;
};

const keyOf = (spec: Pick<CounterSpec, "subjectId" | "kind">) => `${spec.subjectId}|${spec.kind}`;

export class UsageLimitEngine {
  readonly stats: EngineStats = { admitted: 0, refused: 0, refusedFromMemory: 0, leaseStatements: 0, giveBackStatements: 0 };
  private readonly leases = new Map<string, Lease>();
  private readonly demand = new Map<string, Demand>();
  private pendingGiveBacks: GiveBack[] = [];
  private readonly store: LeaseStore;
  private readonly now: () => number;
  private readonly leaseMs: number;
  private readonly maxFraction: number;
  private readonly maxAttempts: number;
  private readonly onQuotaCrossing?: (crossing: QuotaCrossing) => void;

  constructor(options: EngineOptions) {
    if (!(options.leaseMs > 0)) throw new RangeError("leaseMs must be more than 0");
    const fraction = options.maxLeaseFraction ?? 0.5;
    if (!(fraction > 0 && fraction <= 1)) throw new RangeError("maxLeaseFraction must be in (0, 1]");
    this.store = options.store;
    this.now = options.now;
    this.leaseMs = options.leaseMs;
    this.maxFraction = fraction;
    this.maxAttempts = options.maxAttempts ?? 6;
    this.onQuotaCrossing = options.onQuotaCrossing;
  }

  /** Leases held (tests, stats). */
  get size(): number {
    return this.leases.size;
  }

  /** Admits the request against every counter in `specs`, or refuses it with the counter that ran out. */
  async admit(specs: readonly CounterSpec[]): Promise<Decision> {
    if (specs.length === 0) return { admitted: true, views: [], at: this.now() };
    for (const spec of specs) this.noteDemand(spec);
    for (let attempt = 0; ; attempt++) {
      const now = this.now();
      const needed: CounterSpec[] = [];
      const waits: Promise<void>[] = [];
      let refusal: { spec: CounterSpec; lease: Lease } | null = null;
      for (const spec of specs) {
        const { lease, wait } = this.current(spec, now);
        if (wait) waits.push(wait);
        else if (lease && lease.exhaustedUntil > now && lease.remaining < 1) {
          if (!refusal || lease.windowEnd > refusal.lease.windowEnd) refusal = { spec, lease };
        } else if (!lease || lease.remaining < 1) {
          if (lease?.inflight) waits.push(lease.inflight);
          else needed.push(spec);
        }
      }
      if (refusal) {
        this.stats.refused++;
        if (attempt === 0) this.stats.refusedFromMemory++;
        return this.refuse(refusal.spec, specs, now);
      }
      if (needed.length === 0 && waits.length === 0) {
        for (const spec of specs) {
          const lease = this.leases.get(keyOf(spec))!;
          lease.remaining -= 1;
          lease.lastUsedAt = now;
        }
        this.stats.admitted++;
        return { admitted: true, views: specs.map((spec) => this.view(spec, now)), at: now };
      }
      if (attempt >= this.maxAttempts) {
        // Contention: other requests of this instance kept taking what was granted. Refusing is
        // safe (never over the limit); the client is told to retry at once.
        this.stats.refused++;
        const spec = needed[0] ?? specs[0]!;
        return this.refuse(spec, specs, now, 1000);
      }
      if (needed.length > 0) {
        // Top up the request's other counters running low in the same statement.
        for (const spec of specs) {
          if (needed.includes(spec)) continue;
          const lease = this.leases.get(keyOf(spec));
          if (lease && !lease.inflight && lease.exhaustedUntil <= now && lease.remaining < this.want(spec, now) / 2) needed.push(spec);
        }
        waits.push(this.fetch(needed, now));
      }
      await Promise.all(waits);
    }
  }

  /** The counters as an answer would describe them now, taking nothing (answers refused before admission). */
  peek(specs: readonly CounterSpec[]): CounterView[] {
    const now = this.now();
    return specs.map((spec) => this.view(spec, now));
  }

  /**
   * Gives back allowance unused for T (and forgets leases of windows that are over), in one
   * statement. Run in the background (./limiter.ts); a failure only leaves allowance unused
   * until its window ends (under-admission, never over).
   */
  async flush(): Promise<void> {
    const now = this.now();
    for (const [key, lease] of this.leases) {
      if (lease.inflight) continue;
      if (lease.windowEnd <= now) this.leases.delete(key);
      else if (lease.remaining > 0 && now - lease.lastUsedAt >= this.leaseMs) {
        this.queueGiveBack(key, lease);
        this.leases.delete(key);
      } else if (lease.remaining === 0 && lease.exhaustedUntil <= now && now - lease.lastUsedAt >= this.leaseMs) {
        this.leases.delete(key);
      }
    }
    for (const [key, demand] of this.demand) if (now - demand.since >= 10 * this.leaseMs) this.demand.delete(key);
    const items = this.pendingGiveBacks;
    if (items.length === 0) return;
    this.pendingGiveBacks = [];
    this.stats.giveBackStatements++;
    try {
      await this.store.giveBack(items);
    } catch {
      // Lost allowance is under-admission for the rest of its window, never an overrun.
    }
  }

  // The lease of `spec` for the window holding `now` under its limit, else undefined; a lease of
  // an earlier window is dropped, one granted under another limit dropped and its unused part
  // queued to be given back. A lease of this window whose statement is still in flight under
  // another limit is waited for (`wait`) before it is judged.
  private current(spec: CounterSpec, now: number): { lease?: Lease; wait?: Promise<void> } {
    const key = keyOf(spec);
    const lease = this.leases.get(key);
    if (!lease) return {};
    const { start } = windowOf(spec.per, now);
    if (lease.windowStart === start && lease.limit === spec.limit) return { lease };
    if (lease.inflight) return lease.windowStart === start ? { wait: lease.inflight } : {};
    if (lease.windowStart === start && lease.remaining > 0) this.queueGiveBack(key, lease);
    this.leases.delete(key);
    return {};
  }

  private queueGiveBack(key: string, lease: Lease) {
    if (lease.remaining <= 0) return;
    const [subjectId, kind] = key.split("|") as [string, LimitKind];
    this.pendingGiveBacks.push({ subjectId, kind, windowStart: lease.windowStart, amount: lease.remaining });
    lease.remaining = 0;
  }

  private noteDemand(spec: CounterSpec) {
    const key = keyOf(spec);
    const demand = this.demand.get(key);
    if (demand) demand.count++;
    else this.demand.set(key, { count: 1, since: this.now() });
  }

  // How much to ask for: this instance's demand over the rest of the window or the next T,
  // whichever is shorter; at least 1, at most the limit. The store caps it at a fraction of
  // what is left.
  private want(spec: CounterSpec, now: number): number {
    const demand = this.demand.get(keyOf(spec));
    const { end } = windowOf(spec.per, now);
    const horizon = Math.min(this.leaseMs, end - now);
    const elapsed = demand ? Math.max(now - demand.since, 10) : Infinity;
    const rate = demand ? demand.count / elapsed : 0;
    return Math.max(1, Math.min(spec.limit, Math.ceil(rate * horizon)));
  }

  private fetch(specs: readonly CounterSpec[], now: number): Promise<void> {
    const requests: LeaseRequest[] = [];
    const leases: Lease[] = [];
    for (const spec of specs) {
      const { start, end } = windowOf(spec.per, now);
      const key = keyOf(spec);
      let lease = this.leases.get(key);
      if (!lease || lease.windowStart !== start || lease.limit !== spec.limit) {
        lease = { windowStart: start, windowEnd: end, limit: spec.limit, remaining: 0, storeTotal: 0, exhaustedUntil: 0, lastUsedAt: now, inflight: null };
        this.leases.set(key, lease);
      }
      leases.push(lease);
      requests.push({ subjectId: spec.subjectId, kind: spec.kind, windowStart: start, limit: spec.limit, want: this.want(spec, now) });
      // The demand measured so far has been asked for; measure afresh from here.
      this.demand.set(key, { count: 0, since: now });
    }
    this.stats.leaseStatements++;
    const done = this.store.lease(requests, this.maxFraction).then(
      (results) => {
        const at = this.now();
        results.forEach((result, i) => {
          const lease = leases[i]!;
          const spec = specs[i]!;
          lease.inflight = null;
          lease.remaining += result.granted;
          lease.storeTotal = result.total;
          lease.lastUsedAt = at;
          if (result.granted === 0) lease.exhaustedUntil = Math.min(lease.windowEnd, at + this.leaseMs);
          if (this.onQuotaCrossing) {
            const base = { spec, windowStart: lease.windowStart, windowEnd: lease.windowEnd, total: result.total };
            if (result.crossedWarning) this.onQuotaCrossing({ ...base, level: "warning" });
            if (result.crossedExhausted) this.onQuotaCrossing({ ...base, level: "exhausted" });
          }
        });
      },
      (error: unknown) => {
        for (const lease of leases) lease.inflight = null;
        throw error;
      },
    );
    for (const lease of leases) lease.inflight = done;
    return done;
  }

  private view(spec: CounterSpec, now: number): CounterView {
    const { start, end } = windowOf(spec.per, now);
    const lease = this.leases.get(keyOf(spec));
    const fresh = lease && lease.windowStart === start && lease.limit === spec.limit ? lease : undefined;
    // What the store had not handed out at the last statement, plus what this instance holds:
    // an estimate (other instances may hold some); 0 once exhausted.
    const remaining = !fresh ? spec.limit : fresh.exhaustedUntil > now && fresh.remaining < 1 ? 0 : Math.max(0, spec.limit - fresh.storeTotal + fresh.remaining);
    return { spec, windowStart: start, windowEnd: end, remaining };
  }

  private refuse(spec: CounterSpec, specs: readonly CounterSpec[], now: number, retryAfterMs?: number): Decision {
    const views = specs.map((s) => this.view(s, now));
    const refusedBy = { ...views[specs.indexOf(spec)]!, remaining: 0 };
    return { admitted: false, refusedBy, retryAfterMs: retryAfterMs ?? Math.max(0, refusedBy.windowEnd - now), views };
  }
}
