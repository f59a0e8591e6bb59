import { z } from "zod";

// Before any schema: no eval in the browser (./jitless.ts); a client component may import this module alone.
import "./jitless.ts";

// Usage limits (docs/ARCHITECTURE.md, "Usage limits"): a rate (requests per UTC second or
// minute, optionally with a per-second burst cap inside the minute) and a quota (requests per
// UTC day or month). Windows are fixed and aligned to UTC, so every instance computes the same
// window from the same instant, and "admitted <= limit in every window" is a statement a test
// can check. Pure: the server, the dashboard and the CLI share the shapes and the helpers.

export const MAX_RATE = 1_000_000;
export const MAX_QUOTA = 1_000_000_000;

export const RATE_PERIODS = ["second", "minute"] as const;
export const QUOTA_PERIODS = ["day", "month"] as const;
export type RatePeriod = (typeof RATE_PERIODS)[number];
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];
export type LimitPeriod = RatePeriod | QuotaPeriod;

export const rateLimit = z
  .strictObject({
    requests: z.int().min(1).max(MAX_RATE).describe(`At most this many requests in each UTC second or minute (1 to ${MAX_RATE})`),
    per: z.enum(RATE_PERIODS).describe("The window: a UTC second or a UTC minute"),
    burst: z
      .int()
      .min(1)
      .max(MAX_RATE)
      .nullable()
      .describe("Only with `per: minute`: at most this many requests in any one UTC second of the minute (1 to `requests`); null: no per-second cap"),
  })
  .refine((rate) => rate.burst === null || rate.per === "minute", { message: "burst is only for a rate per minute", path: ["burst"] })
  .refine((rate) => rate.burst === null || rate.burst <= rate.requests, { message: "burst must be at most requests", path: ["burst"] })
  .describe("A rate limit");
export type RateLimit = z.output<typeof rateLimit>;

export const quotaLimit = z
  .strictObject({
    requests: z.int().min(1).max(MAX_QUOTA).describe(`At most this many requests in each period (1 to ${MAX_QUOTA})`),
    per: z.enum(QUOTA_PERIODS).describe("The period, refilled at 00:00 UTC (the 1st of the month for `month`)"),
  })
  .describe("A quota");
export type QuotaLimit = z.output<typeof quotaLimit>;

export const usageLimits = z
  .strictObject({
    rate: rateLimit.nullable().describe("The rate limit, or null for none"),
    quota: quotaLimit.nullable().describe("The quota, or null for none"),
  })
  .describe("A rate and a quota (each null for none)");
export type UsageLimits = z.output<typeof usageLimits>;

/**
 * Limits shared by several keys or defaulted to them (a service account's, the organization's
 * default): none at all is null, however it was sent.
 */
export const sharedLimits = usageLimits
  .nullable()
  .transform((limits) => (limits && (limits.rate || limits.quota) ? limits : null));

export const LIMIT_SOURCES = ["key", "organization"] as const;
export const effectiveLimits = usageLimits
  .extend({
    source: z
      .enum(LIMIT_SOURCES)
      .nullable()
      .describe("Where they come from: the key's own, the organization's default for keys, or null (no limits)"),
  })
  .describe("The limits the key is held to now (a service account's key is also held to its service account's)");
export type EffectiveLimits = z.output<typeof effectiveLimits>;

export const LIMIT_KINDS = ["rate", "burst", "quota"] as const;
export type LimitKind = (typeof LIMIT_KINDS)[number];

const timestamp = z.iso.datetime({ offset: true });
export const limitUsage = z.object({
  applies_to: z.enum(["key", "service_account"]).describe("The key's own counter, or its service account's (shared by its keys)"),
  kind: z.enum(LIMIT_KINDS),
  limit: z.int().min(1),
  per: z.enum([...RATE_PERIODS, ...QUOTA_PERIODS]),
  used: z.int().min(0).describe("Requests admitted in the current window (including allowance instances hold and have not used yet)"),
  window_start: timestamp,
  resets_at: timestamp.describe("When the window ends and the count starts again"),
});
export type LimitUsage = z.output<typeof limitUsage>;

// ---- Windows (UTC) -----------------------------------------------------------------------

/** The UTC window of `per` holding `nowMs`: [start, end). */
export function windowOf(per: LimitPeriod, nowMs: number): { start: number; end: number } {
  switch (per) {
    case "second": {
      const start = nowMs - (((nowMs % 1000) + 1000) % 1000);
      return { start, end: start + 1000 };
    }
    case "minute": {
      const start = nowMs - (((nowMs % 60_000) + 60_000) % 60_000);
      return { start, end: start + 60_000 };
    }
    case "day": {
      const start = nowMs - (((nowMs % 86_400_000) + 86_400_000) % 86_400_000);
      return { start, end: start + 86_400_000 };
    }
    case "month": {
      const at = new Date(nowMs);
      const start = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1);
      const end = Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1);
      return { start, end };
    }
  }
}

/** The period's length in whole seconds (a month: the current month's), for RateLimit-Policy's `w`. */
export function windowSeconds(per: LimitPeriod, nowMs: number): number {
  const { start, end } = windowOf(per, nowMs);
  return Math.round((end - start) / 1000);
}

// ---- Narrowing -------------------------------------------------------------------------

// Each limit as caps on the windows it constrains: the most it admits in any UTC second and
// minute (a rate), day and month (a quota). null (no limit): Infinity. A month holds at most 31
// days, so a daily quota admits at most 31 × N in a month.
function rateCaps(rate: RateLimit | null): { second: number; minute: number } {
  if (!rate) return { second: Infinity, minute: Infinity };
  if (rate.per === "second") return { second: rate.requests, minute: 60 * rate.requests };
  const second = Math.min(rate.burst ?? rate.requests, rate.requests);
  return { second, minute: Math.min(rate.requests, 60 * second) };
}

function quotaCaps(quota: QuotaLimit | null): { day: number; month: number } {
  if (!quota) return { day: Infinity, month: Infinity };
  if (quota.per === "day") return { day: quota.requests, month: 31 * quota.requests };
  return { day: quota.requests, month: quota.requests };
}

/**
 * Whether `after` admits nothing `before` would not (null: no limits): every cap of `after` at
 * most the same cap of `before`. A per-second N is narrower than a per-minute M when 60N <= M; a
 * per-minute N narrower than a per-second M when N (or its burst) <= M. Equal limits are narrowing.
 * Anything else (raising, removing, or a change that admits more in some window) is widening.
 */
export function isNarrowing(before: UsageLimits | null, after: UsageLimits | null): boolean {
  const r0 = rateCaps(before?.rate ?? null);
  const r1 = rateCaps(after?.rate ?? null);
  const q0 = quotaCaps(before?.quota ?? null);
  const q1 = quotaCaps(after?.quota ?? null);
  return r1.second <= r0.second && r1.minute <= r0.minute && q1.day <= q0.day && q1.month <= q0.month;
}

/** The limits a key is held to: its own when it has them, else the organization's default. */
export function effectiveKeyLimits(own: UsageLimits | null, organizationDefault: UsageLimits | null): EffectiveLimits {
  if (own) return { ...own, source: "key" };
  if (organizationDefault && (organizationDefault.rate || organizationDefault.quota)) return { ...organizationDefault, source: "organization" };
  return { rate: null, quota: null, source: null };
}

/** Whether `limits` limits anything. */
export const limitsAnything = (limits: UsageLimits | null | undefined): limits is UsageLimits => !!limits && (limits.rate !== null || limits.quota !== null);
