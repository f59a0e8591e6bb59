import "server-only";

import { keyUsageOutput, type KeyUsage, type LimitUsage, type UsageCounts } from "@/lib/contract";
import { limitsFromColumns, type LimitColumns } from "@/lib/usage-limits/columns";
import { countersFor, limitUsages } from "@/lib/usage-limits/counters";
import { readWindows } from "@/lib/usage-limits/lease-store";
import type { Db } from "@/lib/db";
import { notFoundError } from "@/lib/domain-errors";

import { API_KEY_NOT_FOUND, reachedBy, type KeyReach } from "./service";

// One key's usage over the last `days` days, from public.api_key_usage (per hour, written
// once a minute by each instance: lib/api-keys/usage-counts.ts), in day or hour buckets.
// Every bucket of the window is there, empty ones as zeros, oldest first: what a chart needs.

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const OUTCOMES = ["success", "client_error", "server_error", "refused", "limited"] as const;
const zero = (): UsageCounts => ({ success: 0, client_error: 0, server_error: 0, refused: 0, limited: 0 });

type UsageRow = UsageCounts & { hour: Date; last_seen_at: Date; last_ip: string | null; last_user_agent: string | null };

/** The start (UTC) of the first bucket of the window that ends with the bucket holding `now`. */
export function windowStart(now: number, days: number, granularity: "day" | "hour"): number {
  const size = granularity === "day" ? DAY_MS : HOUR_MS;
  const current = now - (now % size);
  return current - (granularity === "day" ? days - 1 : days * 24 - 1) * size;
}

/** The owner's key's usage; 404 for an unknown or another user's key. `now` is injectable for tests. */
export async function getKeyUsage(
  db: Db,
  params: { reach: KeyReach; id: string; days: number; granularity: "day" | "hour"; now?: number },
): Promise<KeyUsage> {
  const now = params.now ?? Date.now();
  const [key] = await db<({ id: string; key_prefix: string; organization_id: string; service_account_id: string | null; limits_own: boolean } & LimitColumns)[]>`
    select id, key_prefix, organization_id, service_account_id, limits_own, limit_rate, limit_rate_per, limit_burst, limit_quota, limit_quota_per
    from public.api_keys where id = ${params.id} and ${reachedBy(db, params.reach)}`;
  if (!key) throw notFoundError(API_KEY_NOT_FOUND);
  const limits = await currentLimitUsage(db, key, now);
  const size = params.granularity === "day" ? DAY_MS : HOUR_MS;
  const start = windowStart(now, params.days, params.granularity);
  const rows = await db<UsageRow[]>`
    select hour, success, client_error, server_error, refused, limited, last_seen_at, last_ip, last_user_agent
    from public.api_key_usage
    where key_id = ${key.id} and hour >= ${new Date(start)}
    order by hour`;
  const count = Math.round((now - (now % size) - start) / size) + 1;
  const buckets = Array.from({ length: count }, (_, i) => ({ start: start + i * size, ...zero() }));
  const totals = zero();
  let last: UsageRow | undefined;
  for (const row of rows) {
    const bucket = buckets[Math.floor((row.hour.getTime() - start) / size)];
    if (!bucket) continue; // an hour counted after `now` (a test's injected time): outside the window
    for (const outcome of OUTCOMES) {
      bucket[outcome] += row[outcome];
      totals[outcome] += row[outcome];
    }
    if (!last || row.last_seen_at > last.last_seen_at) last = row;
  }
  return keyUsageOutput.parse({
    key: { id: key.id, key_prefix: key.key_prefix },
    days: params.days,
    granularity: params.granularity,
    buckets: buckets.map((b) => ({ ...b, start: new Date(b.start).toISOString() })),
    totals,
    last_seen_at: last ? last.last_seen_at.toISOString() : null,
    last_ip: last?.last_ip ?? null,
    last_user_agent: last?.last_user_agent ?? null,
    limits,
  } satisfies KeyUsage);
}

/**
 * The key's limits (its own or its organization's default, and its service account's) with
 * their use in the current windows, as the lease store has them: allowance handed out to
 * instances, which includes what they hold and have not used yet.
 */
async function currentLimitUsage(
  db: Db,
  key: { id: string; organization_id: string; service_account_id: string | null; limits_own: boolean } & LimitColumns,
  now: number,
): Promise<LimitUsage[]> {
  const [owners] = await db<{ org: LimitColumns; sa: LimitColumns | null }[]>`
    select (select json_build_object('limit_rate', limit_rate, 'limit_rate_per', limit_rate_per, 'limit_burst', limit_burst,
                                     'limit_quota', limit_quota, 'limit_quota_per', limit_quota_per)
            from public.organizations where id = ${key.organization_id}) as org,
           (select json_build_object('limit_rate', limit_rate, 'limit_rate_per', limit_rate_per, 'limit_burst', limit_burst,
                                     'limit_quota', limit_quota, 'limit_quota_per', limit_quota_per)
            from public.service_accounts where id = ${key.service_account_id}) as sa`;
  const orgDefault = owners?.org ? limitsFromColumns(owners.org) : null;
  const own = key.limits_own ? limitsFromColumns(key) : undefined;
  const counters = countersFor(
    { key: own === undefined ? orgDefault : own, serviceAccount: owners?.sa ? limitsFromColumns(owners.sa) : null },
    { keyId: key.id, serviceAccountId: key.service_account_id },
  );
  if (counters.length === 0) return [];
  const rows = await readWindows(db, [...new Set(counters.map((c) => c.subjectId))]);
  return limitUsages(counters, rows, now);
}
