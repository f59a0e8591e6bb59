import type { KeyUsage } from "@/lib/contract";

// The numbers the usage chart draws, from the API's daily buckets. Pure (unit-tested):
// failures are the answers that were neither a success nor a limit's refusal — 4xx, 5xx and
// the key's refusals; `limited` is the 429s of the key's (or its service account's) limits.

export type DayBar = { start: string; day: string; label: string; success: number; failed: number; limited: number };

const LABEL = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

export function dayBars(usage: Pick<KeyUsage, "buckets">): { bars: DayBar[]; max: number } {
  const bars = usage.buckets.map((b) => ({
    start: b.start,
    day: b.start.slice(0, 10),
    label: LABEL.format(new Date(b.start)),
    success: b.success,
    failed: b.client_error + b.server_error + b.refused,
    limited: b.limited,
  }));
  // At least 1, so an idle month draws an empty axis rather than dividing by zero.
  const max = Math.max(1, ...bars.map((b) => b.success + b.failed + b.limited));
  return { bars, max };
}
