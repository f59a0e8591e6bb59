// Usage limits on the command line: `--rate 100/minute`, `--burst 10`, `--quota 10000/day`
// read into the API's shapes, a key's limits and their current use in words. Pure.
import { InvalidArgumentError } from "commander";

import { formatWait } from "./waits.js";

export type Rate = { requests: number; per: "second" | "minute"; burst: number | null };
export type Quota = { requests: number; per: "day" | "month" };
export type Limits = { rate: Rate | null; quota: Quota | null };

const RATE_PER: Record<string, Rate["per"]> = { s: "second", sec: "second", second: "second", m: "minute", min: "minute", minute: "minute" };
const QUOTA_PER: Record<string, Quota["per"]> = { d: "day", day: "day", mo: "month", month: "month" };
const MAX_RATE = 1_000_000;
const MAX_QUOTA = 1_000_000_000;

function count(text: string, name: string, max: number): number {
  const digits = text.replace(/[_,]/g, "");
  if (!/^\d+$/.test(digits)) throw new InvalidArgumentError(`${name} must start with a whole number of requests`);
  const n = Number(digits);
  if (n < 1 || n > max) throw new InvalidArgumentError(`${name}: the number of requests must be between 1 and ${max.toLocaleString("en-US")}`);
  return n;
}

/** `--rate 100/minute` (or `100/min`, `5/second`, `5/s`). */
export function parseRate(value: string): Omit<Rate, "burst"> {
  const [n, per, ...rest] = value.trim().toLowerCase().split("/");
  const period = per === undefined ? undefined : RATE_PER[per.trim()];
  if (n === undefined || period === undefined || rest.length) throw new InvalidArgumentError("--rate must be REQUESTS/second or REQUESTS/minute, e.g. 100/minute");
  return { requests: count(n.trim(), "--rate", MAX_RATE), per: period };
}

/** `--quota 10000/day` (or `/month`). */
export function parseQuota(value: string): Quota {
  const [n, per, ...rest] = value.trim().toLowerCase().split("/");
  const period = per === undefined ? undefined : QUOTA_PER[per.trim()];
  if (n === undefined || period === undefined || rest.length) throw new InvalidArgumentError("--quota must be REQUESTS/day or REQUESTS/month, e.g. 10000/day");
  return { requests: count(n.trim(), "--quota", MAX_QUOTA), per: period };
}

/** `--burst 10`: requests in any one second of a per-minute rate. */
export function parseBurst(value: string): number {
  return count(value.trim(), "--burst", MAX_RATE);
}

export type LimitFlags = { rate?: string | false; burst?: string; quota?: string | false };

/**
 * The limits after the flags: each flag replaces its part of `base` (the limits in force
 * now), `--no-rate`/`--no-quota` remove it; a usage error says what does not fit together.
 */
export function applyLimitFlags(base: Limits, flags: LimitFlags): Limits {
  let rate = base.rate;
  if (flags.rate === false) {
    if (flags.burst !== undefined) throw new InvalidArgumentError("--burst needs a rate: not with --no-rate");
    rate = null;
  } else if (flags.rate !== undefined) {
    rate = { ...parseRate(flags.rate), burst: null };
  }
  if (flags.burst !== undefined) {
    if (!rate) throw new InvalidArgumentError("--burst needs a rate per minute: add --rate N/minute");
    if (rate.per !== "minute") throw new InvalidArgumentError("--burst is only for a rate per minute (a per-second rate is its own burst)");
    const burst = parseBurst(flags.burst);
    if (burst > rate.requests) throw new InvalidArgumentError(`--burst (${burst}) must be at most the rate's ${rate.requests} requests a minute`);
    rate = { ...rate, burst };
  }
  const quota = flags.quota === false ? null : flags.quota !== undefined ? parseQuota(flags.quota) : base.quota;
  return { rate, quota };
}

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

/** "100 requests a minute (at most 10 in any second)". */
export function describeRate(rate: Rate): string {
  return `${plural(rate.requests, "request")} a ${rate.per}${rate.burst !== null ? ` (at most ${rate.burst.toLocaleString("en-US")} in any second)` : ""}`;
}

/** "10,000 requests a day (refilled at 00:00 UTC)". */
export function describeQuota(quota: Quota): string {
  return `${plural(quota.requests, "request")} a ${quota.per} (refilled at 00:00 UTC${quota.per === "month" ? " on the 1st" : ""})`;
}

/** A key's limits in two lines: its rate and its quota, "none" for either without one. */
export function describeLimits(limits: Limits): { rate: string; quota: string } {
  return { rate: limits.rate ? describeRate(limits.rate) : "none", quota: limits.quota ? describeQuota(limits.quota) : "none" };
}

export type LimitUse = {
  applies_to: "key" | "service_account";
  kind: "rate" | "burst" | "quota";
  limit: number;
  per: string;
  used: number;
  window_start: string;
  resets_at: string;
};

/** One row of `tt keys show`'s use table: what, how much of it is used, and when it refills. */
export function limitUseRow(use: LimitUse, nowMs: number): { limit: string; used: string; refills: string } {
  const what = use.kind === "burst" ? "burst" : use.kind;
  const whose = use.applies_to === "service_account" ? "service account's " : "";
  const left = Math.max(0, (Date.parse(use.resets_at) - nowMs) / 1000);
  const percent = Math.min(100, Math.floor((use.used / use.limit) * 100));
  return {
    limit: `${whose}${what}: ${use.limit.toLocaleString("en-US")} a ${use.per}`,
    used: `${use.used.toLocaleString("en-US")} (${percent} %)`,
    refills: `${use.resets_at.replace("T", " ").replace(/(:\d\d)(\.\d+)?(Z|\+00:00)$/, "$1 UTC")} (in ${formatWait(Math.ceil(left))})`,
  };
}
