// The usage-limit engine (lib/usage-limits/engine.ts) as several instances against the real
// Postgres (public.usage_limit_lease, lib/usage-limits/lease-store.ts) with an injected clock:
// minute windows through their first second and their boundaries, a quota of a few hundred a
// day through its refill at 00:00 UTC. Admitted <= limit in every window; the under-admission
// (limit − admitted in a window where requests were refused) is printed, and so are the
// store's round trips per request.
import { randomUUID } from "node:crypto";

import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";

import { windowOf, type LimitPeriod } from "../../lib/contract/usage-limits.ts";
import { UsageLimitEngine, type CounterSpec, type Decision, type LeaseStore } from "../../lib/usage-limits/engine.ts";
import { postgresLeaseStore } from "../../lib/usage-limits/lease-store.ts";
import { DATABASE_URL } from "../support/stack";

const sql = postgres(DATABASE_URL, { max: 6, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

/** The Postgres store, counting its statements. */
function countingStore(): LeaseStore & { leases: number; giveBacks: number } {
  const store = postgresLeaseStore(sql);
  const counted = {
    leases: 0,
    giveBacks: 0,
    lease: (...args: Parameters<LeaseStore["lease"]>) => {
      counted.leases++;
      return store.lease(...args);
    },
    giveBack: (...args: Parameters<LeaseStore["giveBack"]>) => {
      counted.giveBacks++;
      return store.giveBack(...args);
    },
  };
  return counted;
}

type Run = { decisions: { instance: number; decision: Decision }[]; store: ReturnType<typeof countingStore> };

/**
 * `instances` engines sharing the store and one fake clock; at each step every instance gets
 * `perStep(step)` requests at once, and the clock moves `stepMs` — before the step's requests
 * are all answered, so statements are answered across boundaries too.
 */
async function run(options: { instances: number; counters: CounterSpec[]; start: number; steps: number; stepMs: number; perStep: (step: number) => number; flushEvery?: number }): Promise<Run> {
  const store = countingStore();
  let clock = options.start;
  const engines = Array.from({ length: options.instances }, () => new UsageLimitEngine({ store, now: () => clock, leaseMs: 1000 }));
  const decisions: Run["decisions"] = [];
  let inFlight: Promise<void>[] = [];
  for (let step = 0; step < options.steps; step++) {
    engines.forEach((engine, instance) => {
      for (let i = 0; i < options.perStep(step); i++) inFlight.push(engine.admit(options.counters).then((decision) => void decisions.push({ instance, decision })));
    });
    if (options.flushEvery && step % options.flushEvery === 0) for (const engine of engines) inFlight.push(engine.flush());
    // Half the step's answers arrive before the clock moves, the rest after.
    await new Promise((resolve) => setTimeout(resolve, 2));
    clock += options.stepMs;
    if (inFlight.length > 200) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  return { decisions, store };
}

type WindowRow = { window: string; limit: number; admitted: number; refused: number; under: number };

function table(counter: CounterSpec, decisions: Run["decisions"]): WindowRow[] {
  const rows = new Map<number, WindowRow>();
  for (const { decision } of decisions) {
    // A refused request's window: the one it was refused in (its refusing view's).
    const start = decision.admitted ? windowOf(counter.per, decision.at).start : decision.refusedBy.windowStart;
    let row = rows.get(start);
    if (!row) rows.set(start, (row = { window: new Date(start).toISOString(), limit: counter.limit, admitted: 0, refused: 0, under: 0 }));
    if (decision.admitted) row.admitted++;
    else row.refused++;
  }
  for (const row of rows.values()) row.under = row.refused > 0 ? row.limit - row.admitted : 0;
  return [...rows.values()].sort((a, b) => a.window.localeCompare(b.window));
}

const counter = (limit: number, per: LimitPeriod, kind: CounterSpec["kind"] = "rate"): CounterSpec => ({ subjectId: randomUUID(), kind, limit, per, appliesTo: "key" });

describe("leases from Postgres: never over the limit in any window, across instances", () => {
  it("a minute rate through its boundaries and its first second: three instances, far more demand than the limit", async () => {
    const rate = counter(60, "minute");
    // From 2 s before a minute ends, through 3 minutes, 50 ms steps: 3 instances × 2 requests a step ≈ 120 a second.
    const start = Date.UTC(2031, 0, 1, 10, 0, 58);
    const { decisions, store } = await run({ instances: 3, counters: [rate], start, steps: 3 * 60 * 20 + 40, stepMs: 50, perStep: () => 2, flushEvery: 10 });
    const rows = table(rate, decisions);
    console.log(`minute windows, limit ${rate.limit}, 3 instances:\n${rows.map((r) => `  ${r.window}  admitted ${r.admitted}/${r.limit}  refused ${r.refused}  under-admission ${r.under}`).join("\n")}`);
    console.log(`  lease statements ${store.leases}, give-backs ${store.giveBacks}, requests ${decisions.length}: ${(store.leases / decisions.length).toFixed(3)} round trips per request`);
    for (const row of rows) expect(row.admitted, row.window).toBeLessThanOrEqual(rate.limit);
    // The full minutes are used up (demand is far above the limit) and little is left unused.
    for (const row of rows.slice(1, -1)) expect(row.admitted, row.window).toBeGreaterThanOrEqual(rate.limit - 6);
    // The first second of a minute admits: the window rolled in the store.
    const firstSecond = decisions.filter(({ decision }) => decision.admitted && decision.at % 60_000 < 1000);
    expect(firstSecond.length).toBeGreaterThan(0);
  }, 120_000);

  it("per-second windows with a burst of concurrent requests at each boundary", async () => {
    const rate = counter(10, "second");
    const start = Date.UTC(2031, 0, 1, 11, 0, 0) - 5;
    // 10 ms steps straddling boundaries: 3 instances × 4 requests a step.
    const { decisions } = await run({ instances: 3, counters: [rate], start, steps: 1000, stepMs: 10, perStep: () => 4 });
    const rows = table(rate, decisions);
    for (const row of rows) expect(row.admitted, row.window).toBeLessThanOrEqual(rate.limit);
    const full = rows.slice(1, -1);
    const under = full.reduce((n, r) => n + r.under, 0) / full.length;
    console.log(`second windows, limit ${rate.limit}, 3 instances: mean under-admission ${under.toFixed(2)} per window over ${full.length} windows`);
  }, 120_000);

  it("a quota of 300 a day through the refill at 00:00 UTC", async () => {
    const quota = counter(300, "day", "quota");
    // 22:00 to 02:00 the next day, a step a minute, 3 instances × 2 requests: 360 an hour.
    const start = Date.UTC(2031, 0, 1, 22, 0, 0);
    const { decisions } = await run({ instances: 3, counters: [quota], start, steps: 4 * 60, stepMs: 60_000, perStep: () => 2, flushEvery: 3 });
    const rows = table(quota, decisions);
    console.log(`day windows, quota ${quota.limit}, 3 instances:\n${rows.map((r) => `  ${r.window}  admitted ${r.admitted}/${r.limit}  refused ${r.refused}  under-admission ${r.under}`).join("\n")}`);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.admitted, row.window).toBeLessThanOrEqual(quota.limit);
    // Both days had more demand than the quota (720 before midnight, 720 after): used up, bar what
    // an instance held when it went idle (given back after T, then used).
    for (const row of rows) expect(row.admitted, row.window).toBeGreaterThanOrEqual(quota.limit - 3);
  }, 120_000);

  it("a key well under its limit: about one statement per T per instance, not one per request", async () => {
    const rate = counter(1_000_000, "minute");
    const quota = counter(100_000_000, "month", "quota");
    quota.subjectId = rate.subjectId;
    // 10 s of 3 instances × 20 requests every 10 ms: 6,000 requests a second.
    const { decisions, store } = await run({ instances: 3, counters: [rate, quota], start: Date.UTC(2031, 0, 2, 12, 0, 0), steps: 1000, stepMs: 10, perStep: () => 20 });
    expect(decisions.every(({ decision }) => decision.admitted)).toBe(true);
    const perRequest = store.leases / decisions.length;
    console.log(`well under the limit: ${decisions.length} requests, ${store.leases} lease statements (${perRequest.toFixed(4)} per request; T = 1 s, 3 instances, 10 s)`);
    // About one statement per T per instance, plus each instance's warm-up.
    expect(store.leases).toBeLessThan(3 * 10 * 3);
  }, 120_000);
});

describe("the largest limits the contract accepts", () => {
  it("a quota of 10⁹ a month and a rate of 10⁶ a second lease without overflow, and pass 80 % where they should", async () => {
    const store = postgresLeaseStore(sql);
    const subjectId = randomUUID();
    const month = windowOf("month", Date.UTC(2031, 1, 3));
    const second = windowOf("second", Date.UTC(2031, 1, 3, 10));
    const [quota, rate] = await store.lease(
      [
        { subjectId, kind: "quota", windowStart: month.start, limit: 1_000_000_000, want: 800_000_000 },
        { subjectId, kind: "rate", windowStart: second.start, limit: 1_000_000, want: 10 },
      ],
      1,
    );
    expect([quota!.granted, quota!.crossedWarning, rate!.granted]).toEqual([800_000_000, true, 10]);
  });
});

describe("a quota's alert flag: set with its audit event, never by the lease", () => {
  it("a lease reports the crossing until the alert records it; then once only, and a new window starts unflagged", async () => {
    const { onQuotaCrossing } = await import("../../lib/usage-limits/quota-alerts.ts");
    const store = postgresLeaseStore(sql);
    const subjectId = randomUUID();
    const day = windowOf("day", Date.UTC(2031, 0, 10, 12));
    const lease = (start: number, want: number) => store.lease([{ subjectId, kind: "quota", windowStart: start, limit: 10, want }], 1);
    expect((await lease(day.start, 7))[0]!.crossedWarning).toBe(false);
    // 8 of 10: past 80 %. An alert that never ran (its instance died) is reported again.
    expect((await lease(day.start, 1))[0]!.crossedWarning).toBe(true);
    expect((await lease(day.start, 1))[0]!.crossedWarning).toBe(true);
    const crossing = { subject: "key", subjectId, organizationId: randomUUID(), threshold: 80, limit: 10, per: "day", windowStart: new Date(day.start), windowEnd: new Date(day.end) } as const;
    await Promise.all([onQuotaCrossing(sql, crossing), onQuotaCrossing(sql, crossing)]);
    const [row] = await sql<{ warned: boolean; exhausted: boolean }[]>`select warned, exhausted from public.usage_limit_windows where subject_id = ${subjectId}`;
    expect(row).toEqual({ warned: true, exhausted: false });
    // Used up: reported (not as a warning again) until its own alert sets its flag.
    const last = (await lease(day.start, 5))[0]!;
    expect([last.crossedWarning, last.crossedExhausted]).toEqual([false, true]);
    // The next day's window starts with neither flag.
    const next = windowOf("day", day.end);
    expect((await lease(next.start, 1))[0]!.crossedWarning).toBe(false);
    const [rolled] = await sql<{ warned: boolean; exhausted: boolean }[]>`select warned, exhausted from public.usage_limit_windows where subject_id = ${subjectId}`;
    expect(rolled).toEqual({ warned: false, exhausted: false });
  });
});
