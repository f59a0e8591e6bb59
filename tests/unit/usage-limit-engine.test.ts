// The usage-limit engine (lib/usage-limits/engine.ts) with a fake clock and an in-memory store
// that grants as public.usage_limit_lease does (supabase/migrations/20261208000100_usage_limits.sql):
// several instances, their statements answered in any order, the clock moved through windows.
// The property: in no window are more requests admitted than the limit, across all instances.
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { isNarrowing, windowOf, type LimitPeriod, type UsageLimits } from "@/lib/contract/usage-limits";
import { countersFor, limitUsages, rateLimitHeaders } from "@/lib/usage-limits/counters";
import { UsageLimitEngine, type CounterSpec, type Decision, type GiveBack, type LeaseRequest, type LeaseResult, type LeaseStore } from "@/lib/usage-limits/engine";

type Row = { windowStart: number; granted: number; warned: boolean; exhausted: boolean };

/** The lease function's rules in memory; each statement waits in `pending` until the test answers it. */
class ModelStore implements LeaseStore {
  rows = new Map<string, Row>();
  pending: (() => void)[] = [];
  statements = 0;
  /** Answer statements at once (no interleaving). */
  immediate = false;

  lease(requests: readonly LeaseRequest[], fraction: number): Promise<LeaseResult[]> {
    this.statements++;
    return new Promise((resolve) => {
      const run = () => resolve(requests.map((r) => this.grant(r, fraction)));
      if (this.immediate) run();
      else this.pending.push(run);
    });
  }

  async giveBack(items: readonly GiveBack[]): Promise<void> {
    for (const item of items) {
      const row = this.rows.get(`${item.subjectId}|${item.kind}`);
      if (row && row.windowStart === item.windowStart) row.granted = Math.max(0, row.granted - item.amount);
    }
  }

  private grant(r: LeaseRequest, fraction: number): LeaseResult {
    const key = `${r.subjectId}|${r.kind}`;
    let row = this.rows.get(key);
    if (!row) this.rows.set(key, (row = { windowStart: r.windowStart, granted: 0, warned: false, exhausted: false }));
    if (row.windowStart > r.windowStart) return { granted: 0, total: r.limit, crossedWarning: false, crossedExhausted: false };
    if (row.windowStart < r.windowStart) Object.assign(row, { windowStart: r.windowStart, granted: 0, warned: false, exhausted: false });
    const left = Math.max(0, r.limit - row.granted);
    const want = Math.max(r.want, 1);
    const g = Math.min(want, left, Math.max(1, Math.ceil(left * fraction)));
    row.granted += g;
    const warn = r.kind === "quota" && !row.warned && row.granted * 5 >= r.limit * 4;
    const exh = r.kind === "quota" && !row.exhausted && row.granted >= r.limit && g < want;
    row.warned ||= warn;
    row.exhausted ||= exh;
    return { granted: g, total: row.granted, crossedWarning: warn, crossedExhausted: exh };
  }

  /** Answers one waiting statement (the `pick`-th, modulo), or none. */
  answer(pick: number): boolean {
    if (this.pending.length === 0) return false;
    const [run] = this.pending.splice(pick % this.pending.length, 1);
    run!();
    return true;
  }
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

const KEY = "11111111-1111-4111-8111-111111111111";
const SA = "22222222-2222-4222-8222-222222222222";
const spec = (limit: number, per: LimitPeriod, kind: CounterSpec["kind"] = "rate", subjectId = KEY): CounterSpec => ({
  subjectId,
  kind,
  limit,
  per,
  appliesTo: subjectId === KEY ? "key" : "service_account",
});

type Op = { type: "requests"; instance: number; count: number } | { type: "tick"; ms: number } | { type: "answer"; pick: number } | { type: "flush"; instance: number };

/** Runs `ops` against `instances` engines sharing one store; returns every decision with its counters. */
async function simulate(ops: readonly Op[], options: { instances: number; counters: CounterSpec[]; leaseMs: number; start: number; fraction?: number }) {
  const store = new ModelStore();
  let clock = options.start;
  const engines = Array.from(
    { length: options.instances },
    () => new UsageLimitEngine({ store, now: () => clock, leaseMs: options.leaseMs, maxLeaseFraction: options.fraction }),
  );
  const decisions: Promise<Decision>[] = [];
  for (const op of ops) {
    if (op.type === "requests") for (let i = 0; i < op.count; i++) decisions.push(engines[op.instance % engines.length]!.admit(options.counters));
    else if (op.type === "tick") clock += op.ms;
    else if (op.type === "answer") store.answer(op.pick);
    else void engines[op.instance % engines.length]!.flush();
    await turn();
  }
  // Answer whatever is still waiting, in order, until nothing is.
  for (let i = 0; i < 10_000 && (store.answer(0) || i < 3); i++) await turn();
  return { results: await Promise.all(decisions), store, engines };
}

/** Admitted per (counter, window start). */
function tally(results: readonly Decision[], counters: readonly CounterSpec[]) {
  const counts = new Map<string, number>();
  for (const d of results) {
    if (!d.admitted) continue;
    for (const c of counters) {
      const key = `${c.subjectId}|${c.kind}|${windowOf(c.per, d.at).start}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ type: fc.constant("requests" as const), instance: fc.nat(7), count: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant("tick" as const), ms: fc.integer({ min: 1, max: 700 }) }) },
  { weight: 6, arbitrary: fc.record({ type: fc.constant("answer" as const), pick: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("flush" as const), instance: fc.nat(7) }) },
);

describe("the engine: never over the limit in any window, across instances", () => {
  it("random interleavings of several instances, statements answered in any order, the clock moved through windows", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 25 }),
        fc.constantFrom<LimitPeriod>("second", "minute"),
        fc.boolean(),
        fc.array(opArb, { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 0, max: 999 }),
        async (instances, limit, per, withServiceAccount, ops, offset) => {
          const counters = [spec(limit, per), ...(withServiceAccount ? [spec(Math.max(1, limit - 3), "second", "rate", SA)] : [])];
          const { results } = await simulate(ops, { instances, counters, leaseMs: 1000, start: Date.UTC(2026, 11, 7, 0, 0, 59) + offset });
          for (const [window, admitted] of tally(results, counters)) {
            const counter = counters.find((c) => window.startsWith(`${c.subjectId}|${c.kind}|`))!;
            expect(admitted, window).toBeLessThanOrEqual(counter.limit);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("a quota through a refill: at most the quota each day, and close to it", async () => {
    const counters = [spec(300, "day", "quota")];
    const ops: Op[] = [];
    // Three instances, 4 days of 10-minute steps with a burst of requests each step: far more than the quota.
    for (let step = 0; step < 4 * 144; step++) {
      ops.push({ type: "requests", instance: step % 3, count: 3 }, { type: "answer", pick: step }, { type: "tick", ms: 600_000 });
      if (step % 5 === 0) ops.push({ type: "flush", instance: step % 3 });
    }
    const { results } = await simulate(ops, { instances: 3, counters, leaseMs: 1000, start: Date.UTC(2026, 11, 7, 22, 0, 0) });
    const days = [...tally(results, counters).entries()];
    expect(days.length).toBeGreaterThanOrEqual(4);
    for (const [day, admitted] of days.slice(1, -1)) {
      expect(admitted, day).toBeLessThanOrEqual(300);
      // Unused allowance comes back within T once an instance is idle: the whole quota is used.
      expect(admitted, day).toBe(300);
    }
  });

  it("under-admission is bounded by what the other instances hold when a window ends", async () => {
    // 3 instances, 20 a second, each sending far more than that: the store hands out at most
    // half of what is left per grant, so once one instance finds nothing left, the others hold
    // what they were granted last; at most that is left unused.
    const counters = [spec(20, "second")];
    const ops: Op[] = [];
    for (let i = 0; i < 60; i++) ops.push({ type: "requests", instance: i % 3, count: 2 }, { type: "answer", pick: 0 }, { type: "tick", ms: 15 });
    const { results } = await simulate(ops, { instances: 3, counters, leaseMs: 1000, start: Date.UTC(2026, 11, 7, 0, 0, 0) });
    for (const [window, admitted] of tally(results, counters)) {
      expect(admitted, window).toBeLessThanOrEqual(20);
      expect(admitted, window).toBeGreaterThanOrEqual(20 - 2 * Math.ceil(20 / 2));
    }
    expect(results.filter((d) => d.admitted).length).toBeGreaterThan(0);
  });

  it("a refused request costs no statement until its exhausted mark runs out", async () => {
    const store = new ModelStore();
    store.immediate = true;
    let clock = Date.UTC(2026, 11, 7, 0, 0, 0, 100);
    const engine = new UsageLimitEngine({ store, now: () => clock, leaseMs: 1000 });
    const counters = [spec(5, "minute")];
    const admitted = [];
    for (let i = 0; i < 5; i++) admitted.push(await engine.admit(counters));
    expect(admitted.every((d) => d.admitted)).toBe(true);
    const before = store.statements;
    const refused = await engine.admit(counters);
    expect(refused.admitted).toBe(false);
    expect(store.statements).toBe(before + 1);
    for (let i = 0; i < 100; i++) expect((await engine.admit(counters)).admitted).toBe(false);
    expect(store.statements).toBe(before + 1);
    expect(engine.stats.refusedFromMemory).toBe(100);
    if (!refused.admitted) {
      expect(refused.refusedBy.spec.kind).toBe("rate");
      expect(refused.retryAfterMs).toBe(59_900);
    }
    // After T, one statement again (still nothing left), then none for another T.
    clock += 1000;
    await engine.admit(counters);
    await engine.admit(counters);
    expect(store.statements).toBe(before + 2);
    // The next minute: allowance again.
    clock += 60_000;
    expect((await engine.admit(counters)).admitted).toBe(true);
  });

  it("a busy key well under its limit costs about one statement per T, not one per request", async () => {
    const store = new ModelStore();
    store.immediate = true;
    let clock = Date.UTC(2026, 11, 7, 0, 0, 0);
    const engine = new UsageLimitEngine({ store, now: () => clock, leaseMs: 1000 });
    const counters = [spec(1_000_000, "minute"), spec(10_000_000, "month", "quota")];
    let requests = 0;
    for (let ms = 0; ms < 20_000; ms += 1) {
      clock += 1;
      const batch = await Promise.all([engine.admit(counters), engine.admit(counters)]);
      requests += batch.length;
      expect(batch.every((d) => d.admitted)).toBe(true);
    }
    // 40,000 requests over 20 s: a statement per T (1 s) or so per counter, plus the warm-up.
    expect(store.statements).toBeLessThan(60);
    expect(requests).toBe(40_000);
  });

  it("a lease granted under another limit is dropped and its unused part given back", async () => {
    const store = new ModelStore();
    store.immediate = true;
    const clock = Date.UTC(2026, 11, 7, 0, 0, 0);
    const engine = new UsageLimitEngine({ store, now: () => clock, leaseMs: 1000, maxLeaseFraction: 1 });
    for (let i = 0; i < 50; i++) await engine.admit([spec(100, "minute")]);
    // Lowered to 10: 50 were admitted in this minute, so nothing more is.
    expect((await engine.admit([spec(10, "minute")])).admitted).toBe(false);
    await engine.flush();
    expect(store.rows.get(`${KEY}|rate`)!.granted).toBe(50);
  });
});

describe("windows (UTC)", () => {
  it("seconds, minutes, days and months, their boundaries included", () => {
    const at = Date.UTC(2026, 1, 28, 23, 59, 59, 999);
    expect(windowOf("second", at)).toEqual({ start: at - 999, end: at + 1 });
    expect(windowOf("minute", at)).toEqual({ start: Date.UTC(2026, 1, 28, 23, 59), end: Date.UTC(2026, 2, 1) });
    expect(windowOf("day", at)).toEqual({ start: Date.UTC(2026, 1, 28), end: Date.UTC(2026, 2, 1) });
    expect(windowOf("month", at)).toEqual({ start: Date.UTC(2026, 1, 1), end: Date.UTC(2026, 2, 1) });
    expect(windowOf("month", Date.UTC(2026, 2, 1))).toEqual({ start: Date.UTC(2026, 2, 1), end: Date.UTC(2026, 3, 1) });
    expect(windowOf("month", Date.UTC(2026, 11, 31, 12))).toEqual({ start: Date.UTC(2026, 11, 1), end: Date.UTC(2027, 0, 1) });
    expect(windowOf("minute", Date.UTC(2026, 0, 1, 0, 1))).toEqual({ start: Date.UTC(2026, 0, 1, 0, 1), end: Date.UTC(2026, 0, 1, 0, 2) });
  });
});

describe("narrowing", () => {
  const rate = (requests: number, per: "second" | "minute", burst: number | null = null): UsageLimits => ({ rate: { requests, per, burst }, quota: null });
  const quota = (requests: number, per: "day" | "month"): UsageLimits => ({ rate: null, quota: { requests, per } });
  it("follows the design's rules", () => {
    expect(isNarrowing(null, rate(10, "second"))).toBe(true);
    expect(isNarrowing(rate(10, "second"), null)).toBe(false);
    expect(isNarrowing(rate(10, "second"), rate(10, "second"))).toBe(true);
    expect(isNarrowing(rate(10, "second"), rate(11, "second"))).toBe(false);
    // per-second N narrower than per-minute M when 60N <= M
    expect(isNarrowing(rate(600, "minute"), rate(10, "second"))).toBe(true);
    expect(isNarrowing(rate(599, "minute"), rate(10, "second"))).toBe(false);
    // per-minute N narrower than per-second M when N <= M
    expect(isNarrowing(rate(10, "second"), rate(10, "minute"))).toBe(true);
    expect(isNarrowing(rate(10, "second"), rate(11, "minute"))).toBe(false);
    expect(isNarrowing(rate(10, "second"), rate(100, "minute", 10))).toBe(true);
    expect(isNarrowing(rate(100, "minute", 5), rate(100, "minute"))).toBe(false);
    expect(isNarrowing(rate(100, "minute"), rate(100, "minute", 5))).toBe(true);
    expect(isNarrowing(quota(1000, "month"), quota(33, "day"))).toBe(false);
    expect(isNarrowing(quota(1000, "month"), quota(32, "day"))).toBe(true);
    expect(isNarrowing(quota(3100, "month"), quota(100, "day"))).toBe(true);
    expect(isNarrowing(quota(100, "day"), quota(100, "month"))).toBe(true);
    expect(isNarrowing({ rate: rate(5, "second").rate, quota: quota(10, "day").quota }, rate(5, "second"))).toBe(false);
  });

  it("is what it claims: a narrowing admits nothing the old limits refused, on random limits and traffic", () => {
    const rateArb = fc.option(
      fc.oneof(
        fc.record({ requests: fc.integer({ min: 1, max: 50 }), per: fc.constant("second" as const), burst: fc.constant(null) }),
        fc.integer({ min: 1, max: 200 }).chain((requests) =>
          fc.record({ requests: fc.constant(requests), per: fc.constant("minute" as const), burst: fc.option(fc.integer({ min: 1, max: requests }), { nil: null }) }),
        ),
      ),
      { nil: null },
    );
    const limitsArb = fc.option(fc.record({ rate: rateArb, quota: fc.constant(null) }), { nil: null });
    // Traffic: per-second counts over two minutes.
    const trafficArb = fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 120, maxLength: 120 });
    const allows = (limits: UsageLimits | null, traffic: number[]) => {
      const r = limits?.rate;
      if (!r) return true;
      if (r.per === "second") return traffic.every((n) => n <= r.requests);
      const perSecond = r.burst ?? r.requests;
      return traffic.every((n) => n <= perSecond) && [0, 60].every((m) => traffic.slice(m, m + 60).reduce((a, b) => a + b, 0) <= r.requests);
    };
    fc.assert(
      fc.property(limitsArb, limitsArb, trafficArb, (before, after, traffic) => {
        if (isNarrowing(before, after) && allows(after, traffic)) expect(allows(before, traffic)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("counters and the RateLimit fields", () => {
  it("a key's rate, burst and quota, and its service account's", () => {
    const counters = countersFor(
      { key: { rate: { requests: 100, per: "minute", burst: 10 }, quota: { requests: 5000, per: "day" } }, serviceAccount: { rate: { requests: 20, per: "second", burst: null }, quota: null } },
      { keyId: KEY, serviceAccountId: SA },
    );
    expect(counters.map((c) => [c.appliesTo, c.kind, c.limit, c.per])).toEqual([
      ["key", "rate", 100, "minute"],
      ["key", "burst", 10, "second"],
      ["key", "quota", 5000, "day"],
      ["service_account", "rate", 20, "second"],
    ]);
    const now = Date.UTC(2026, 11, 7, 10, 0, 43, 500);
    const views = counters.map((c) => ({ spec: c, ...windowOf(c.per, now), remaining: c.limit - 1 })).map(({ start, end, ...v }) => ({ ...v, windowStart: start, windowEnd: end }));
    expect(rateLimitHeaders(views, now)).toEqual({
      "ratelimit-policy": '"key-rate";q=100;w=60, "key-burst";q=10;w=1, "key-quota";q=5000;w=86400, "sa-rate";q=20;w=1',
      ratelimit: '"key-rate";r=99;t=17, "key-burst";r=9;t=1, "key-quota";r=4999;t=50357, "sa-rate";r=19;t=1',
    });
    expect(rateLimitHeaders([], now)).toEqual({});
    const usage = limitUsages(counters.slice(0, 1), [{ subject_id: KEY, kind: "rate", window_start: new Date(Date.UTC(2026, 11, 7, 10, 0)), granted: 42 }], now);
    expect(usage).toEqual([
      { applies_to: "key", kind: "rate", limit: 100, per: "minute", used: 42, window_start: "2026-12-07T10:00:00.000Z", resets_at: "2026-12-07T10:01:00.000Z" },
    ]);
  });
});
