import type { UsageLimits } from "@/lib/contract";

// Limits as the database keeps them: five columns on public.api_keys, public.service_accounts
// and public.organizations (supabase/migrations/20261208000100_usage_limits.sql). Pure.

export type LimitColumns = {
  limit_rate: number | null;
  limit_rate_per: string | null;
  limit_burst: number | null;
  limit_quota: number | null;
  limit_quota_per: string | null;
};

/** The columns as limits; null when they limit nothing. */
export function limitsFromColumns(row: LimitColumns): UsageLimits | null {
  const rate =
    row.limit_rate !== null && (row.limit_rate_per === "second" || row.limit_rate_per === "minute")
      ? { requests: row.limit_rate, per: row.limit_rate_per as "second" | "minute", burst: row.limit_burst }
      : null;
  const quota =
    row.limit_quota !== null && (row.limit_quota_per === "day" || row.limit_quota_per === "month")
      ? { requests: row.limit_quota, per: row.limit_quota_per as "day" | "month" }
      : null;
  return rate || quota ? { rate, quota } : null;
}

/** The limits as the columns' values (null limits: every column null). */
export function columnsOf(limits: UsageLimits | null): LimitColumns {
  return {
    limit_rate: limits?.rate?.requests ?? null,
    limit_rate_per: limits?.rate?.per ?? null,
    limit_burst: limits?.rate?.burst ?? null,
    limit_quota: limits?.quota?.requests ?? null,
    limit_quota_per: limits?.quota?.per ?? null,
  };
}
