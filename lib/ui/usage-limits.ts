import type { LimitUsage, QuotaLimit, RateLimit, UsageLimits } from "@/lib/contract/usage-limits";

// Usage limits in the dashboard: a key's, a service account's or the organization's default
// in words, one window's use as a row, and the form's fields (text, as typed) read into the
// API's shape with the errors a person can act on. Pure (unit-tested); types only from the
// contract, so a page that uses it ships none of zod.

const n = (value: number) => value.toLocaleString("en-US");

export function rateText(rate: RateLimit): string {
  return `${n(rate.requests)} a ${rate.per}${rate.burst !== null ? `, at most ${n(rate.burst)} in any second` : ""}`;
}

export function quotaText(quota: QuotaLimit): string {
  return `${n(quota.requests)} a ${quota.per}`;
}

/** "600 a minute, at most 20 in any second · 100,000 a month", or "No limits". */
export function limitsText(limits: UsageLimits | null): string {
  const parts = [limits?.rate ? rateText(limits.rate) : null, limits?.quota ? quotaText(limits.quota) : null].filter(Boolean);
  return parts.length ? parts.join(" · ") : "No limits";
}

const KIND: Record<LimitUsage["kind"], string> = { rate: "Rate", burst: "Burst", quota: "Quota" };

export type UseRow = { key: string; label: string; used: number; limit: number; percent: number; resetsAt: string };

/** One window's use, for a table row and its meter. */
export function limitUseRows(limits: readonly LimitUsage[]): UseRow[] {
  return limits.map((u) => ({
    key: `${u.applies_to}-${u.kind}`,
    label: `${u.applies_to === "service_account" ? "Service account " + KIND[u.kind].toLowerCase() : KIND[u.kind]} (${n(u.limit)} a ${u.kind === "burst" ? "second" : u.per})`,
    used: u.used,
    limit: u.limit,
    percent: Math.min(100, Math.floor((u.used / u.limit) * 100)),
    resetsAt: u.resets_at,
  }));
}

// ---- The form -----------------------------------------------------------------------------

export type LimitsDraft = {
  rateRequests: string;
  ratePer: RateLimit["per"];
  burst: string;
  quotaRequests: string;
  quotaPer: QuotaLimit["per"];
};
export type LimitsErrors = { rate?: string; burst?: string; quota?: string };

export function draftOf(limits: UsageLimits | null): LimitsDraft {
  return {
    rateRequests: limits?.rate ? String(limits.rate.requests) : "",
    ratePer: limits?.rate?.per ?? "minute",
    burst: limits?.rate?.burst != null ? String(limits.rate.burst) : "",
    quotaRequests: limits?.quota ? String(limits.quota.requests) : "",
    quotaPer: limits?.quota?.per ?? "day",
  };
}

const MAX_RATE = 1_000_000;
const MAX_QUOTA = 1_000_000_000;

/** A whole number from 1 to max as typed (digit separators allowed), else null; "" is undefined (none). */
function whole(text: string, max: number): number | null | undefined {
  const t = text.trim().replace(/[,_\s]/g, "");
  if (t === "") return undefined;
  if (!/^\d+$/.test(t)) return null;
  const value = Number(t);
  return value >= 1 && value <= max ? value : null;
}

/** The form's limits, or what to fix: an empty field means no limit of that kind. */
export function limitsOfDraft(draft: LimitsDraft): { ok: true; limits: UsageLimits } | { ok: false; errors: LimitsErrors } {
  const errors: LimitsErrors = {};
  const rate = whole(draft.rateRequests, MAX_RATE);
  const quota = whole(draft.quotaRequests, MAX_QUOTA);
  const burst = draft.ratePer === "minute" ? whole(draft.burst, MAX_RATE) : undefined;
  if (rate === null) errors.rate = `Enter a whole number of requests from 1 to ${n(MAX_RATE)}, or leave it empty for no rate limit.`;
  if (quota === null) errors.quota = `Enter a whole number of requests from 1 to ${n(MAX_QUOTA)}, or leave it empty for no quota.`;
  if (burst === null) errors.burst = "Enter a whole number of requests, or leave it empty for no per-second cap.";
  else if (burst !== undefined && rate === undefined) errors.burst = "A burst needs a rate per minute.";
  else if (burst !== undefined && typeof rate === "number" && burst > rate) errors.burst = `The burst must be at most the rate (${n(rate)} a minute).`;
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    limits: {
      rate: typeof rate === "number" ? { requests: rate, per: draft.ratePer, burst: typeof burst === "number" ? burst : null } : null,
      quota: typeof quota === "number" ? { requests: quota, per: draft.quotaPer } : null,
    },
  };
}

/** Whether two limits are the same (null: none). */
export function sameLimits(a: UsageLimits | null, b: UsageLimits | null): boolean {
  return limitsText(a) === limitsText(b);
}
