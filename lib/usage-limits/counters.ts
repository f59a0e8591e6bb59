import { windowOf, type LimitUsage, type UsageLimits } from "@/lib/contract/usage-limits";

import type { CounterSpec, CounterView } from "./engine";

// From limits to the counters a request must pass, and from the counters to the answer's
// RateLimit-Policy and RateLimit fields (draft-ietf-httpapi-ratelimit-headers-11: a policy per
// counter, `"name";q=<limit>;w=<window seconds>`, and `"name";r=<remaining>;t=<seconds to reset>`).
// Pure.

/** The counters of a key's limits (`appliesTo: "key"`, counted per key) and its service account's (shared). */
export function countersFor(
  limits: { key: UsageLimits | null; serviceAccount: UsageLimits | null },
  ids: { keyId: string; serviceAccountId: string | null; organizationId?: string },
): CounterSpec[] {
  const counters: CounterSpec[] = [];
  const add = (owner: UsageLimits | null, subjectId: string | null, appliesTo: CounterSpec["appliesTo"]) => {
    if (!owner || !subjectId) return;
    const base = { subjectId, appliesTo, organizationId: ids.organizationId };
    if (owner.rate) {
      counters.push({ ...base, kind: "rate", limit: owner.rate.requests, per: owner.rate.per });
      if (owner.rate.per === "minute" && owner.rate.burst !== null) counters.push({ ...base, kind: "burst", limit: owner.rate.burst, per: "second" });
    }
    if (owner.quota) counters.push({ ...base, kind: "quota", limit: owner.quota.requests, per: owner.quota.per });
  };
  add(limits.key, ids.keyId, "key");
  add(limits.serviceAccount, ids.serviceAccountId, "service_account");
  return counters;
}

/** A counter's name in the fields: key-rate, key-burst, key-quota, sa-rate, sa-burst, sa-quota. */
export const policyName = (spec: Pick<CounterSpec, "appliesTo" | "kind">) => `${spec.appliesTo === "key" ? "key" : "sa"}-${spec.kind}`;

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/** The answer's fields for `views` at `now` (ms since the epoch); none when nothing limits the key. */
export function rateLimitHeaders(views: readonly CounterView[], now: number): Record<string, string> {
  if (views.length === 0) return {};
  const policy = views
    .map((v) => `"${policyName(v.spec)}";q=${v.spec.limit};w=${seconds(v.windowEnd - v.windowStart)}`)
    .join(", ");
  const current = views.map((v) => `"${policyName(v.spec)}";r=${Math.max(0, v.remaining)};t=${seconds(v.windowEnd - now)}`).join(", ");
  return { "ratelimit-policy": policy, ratelimit: current };
}

/** The start of the window a request was admitted in, by its narrowest rate counter (for the scale test's tally). */
export function admittingWindow(views: readonly CounterView[], now: number): number | null {
  const rate = views.find((v) => v.spec.per === "second") ?? views.find((v) => v.spec.per === "minute");
  return rate ? windowOf(rate.spec.per, now).start : null;
}

/**
 * Each counter with its use in the current window, from the store's rows (`granted` in the
 * window that holds `now`; an older row's window is over: 0). For a key's usage page.
 */
export function limitUsages(
  counters: readonly CounterSpec[],
  rows: readonly { subject_id: string; kind: string; window_start: Date; granted: number }[],
  now: number,
): LimitUsage[] {
  return counters.map((spec) => {
    const { start, end } = windowOf(spec.per, now);
    const row = rows.find((r) => r.subject_id === spec.subjectId && r.kind === spec.kind);
    const used = row && row.window_start.getTime() === start ? Math.min(row.granted, spec.limit) : 0;
    return {
      applies_to: spec.appliesTo,
      kind: spec.kind,
      limit: spec.limit,
      per: spec.per,
      used,
      window_start: new Date(start).toISOString(),
      resets_at: new Date(end).toISOString(),
    };
  });
}
