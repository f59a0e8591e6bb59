import "server-only";

import { db } from "@/lib/db";
import { env } from "@/lib/env";

import { UsageLimitEngine, type CounterSpec, type Decision, type QuotaCrossing } from "./engine";
import { postgresLeaseStore } from "./lease-store";
import { onQuotaCrossing } from "./quota-alerts";

// The process's usage-limit engine (./engine.ts) over Postgres (./lease-store.ts), with T the
// verification cache's window (KEY_CACHE_TTL_MS): a lease is sized for about T of this
// instance's demand, an exhausted mark lasts at most T, allowance idle for T goes back. On
// globalThis, like the pool: one engine per process, whatever re-evaluates modules. The give-back
// flush runs every T/2 in the background (unref'd: it never keeps a process alive).

type Limiter = { engine: UsageLimitEngine; timer?: ReturnType<typeof setInterval> };
const globalForLimits = globalThis as typeof globalThis & { __ttUsageLimiter?: Limiter };

function alert(crossing: QuotaCrossing) {
  const { spec } = crossing;
  if (spec.kind !== "quota" || (spec.per !== "day" && spec.per !== "month") || !spec.organizationId) return;
  void onQuotaCrossing(db, {
    subject: spec.appliesTo,
    subjectId: spec.subjectId,
    organizationId: spec.organizationId,
    threshold: crossing.level === "warning" ? 80 : 100,
    limit: spec.limit,
    per: spec.per,
    windowStart: new Date(crossing.windowStart),
    windowEnd: new Date(crossing.windowEnd),
  }).catch((error: unknown) => console.error("[usage-limits] a quota alert failed:", error));
}

const limiter: Limiter = (globalForLimits.__ttUsageLimiter ??= {
  engine: new UsageLimitEngine({
    store: postgresLeaseStore(db),
    now: () => Date.now(),
    leaseMs: Math.max(env.KEY_CACHE_TTL_MS, 100),
    onQuotaCrossing: alert,
  }),
});

export const usageLimitEngine = limiter.engine;

/** Admits a request with the key whose counters are `counters` (no limits: admitted, no I/O). */
export function admitRequest(counters: readonly CounterSpec[]): Promise<Decision> | Decision {
  if (counters.length === 0) return NO_LIMITS;
  if (!limiter.timer) {
    limiter.timer = setInterval(() => void limiter.engine.flush(), Math.max(env.KEY_CACHE_TTL_MS / 2, 50));
    limiter.timer.unref?.();
  }
  return limiter.engine.admit(counters);
}

const NO_LIMITS: Decision = Object.freeze({ admitted: true, views: [], at: 0 }) as Decision;
