// Usage limits on the command line (cli/src/limits.ts): the flags read into the API's shapes,
// what does not fit together refused as a usage error, and limits and use in words.
import { describe, expect, it } from "vitest";

import { applyLimitFlags, describeLimits, parseQuota, parseRate, limitUseRow, type Limits } from "../../cli/src/limits";

const none: Limits = { rate: null, quota: null };
const set: Limits = { rate: { requests: 100, per: "minute", burst: 10 }, quota: { requests: 10000, per: "day" } };

describe("parseRate / parseQuota", () => {
  it("read N/period, with short periods and digit separators", () => {
    expect(parseRate("100/minute")).toEqual({ requests: 100, per: "minute" });
    expect(parseRate(" 5/s ")).toEqual({ requests: 5, per: "second" });
    expect(parseRate("1_000/min")).toEqual({ requests: 1000, per: "minute" });
    expect(parseQuota("10,000/day")).toEqual({ requests: 10000, per: "day" });
    expect(parseQuota("500/month")).toEqual({ requests: 500, per: "month" });
  });

  it("refuse other periods, zero, too many, and junk", () => {
    for (const bad of ["100/hour", "100", "0/minute", "1000001/second", "ten/minute", "5/minute/x", "-1/s"]) expect(() => parseRate(bad), bad).toThrow(/--rate/);
    for (const bad of ["100/week", "1000000001/day", "/day"]) expect(() => parseQuota(bad), bad).toThrow(/--quota/);
  });
});

describe("applyLimitFlags", () => {
  it("each flag replaces its part of the limits in force; --no-rate and --no-quota remove them", () => {
    expect(applyLimitFlags(none, { rate: "60/minute", burst: "5" })).toEqual({ rate: { requests: 60, per: "minute", burst: 5 }, quota: null });
    expect(applyLimitFlags(set, { quota: "500/day" })).toEqual({ ...set, quota: { requests: 500, per: "day" } });
    // A new rate drops the old burst unless one is given again.
    expect(applyLimitFlags(set, { rate: "50/minute" }).rate).toEqual({ requests: 50, per: "minute", burst: null });
    expect(applyLimitFlags(set, { burst: "20" }).rate).toEqual({ requests: 100, per: "minute", burst: 20 });
    expect(applyLimitFlags(set, { rate: false, quota: false })).toEqual(none);
  });

  it("a burst needs a per-minute rate no smaller than it", () => {
    expect(() => applyLimitFlags(none, { burst: "5" })).toThrow("--burst needs a rate per minute");
    expect(() => applyLimitFlags(none, { rate: "5/second", burst: "5" })).toThrow("only for a rate per minute");
    expect(() => applyLimitFlags(none, { rate: "10/minute", burst: "11" })).toThrow("must be at most the rate's 10");
    expect(() => applyLimitFlags(set, { rate: false, burst: "1" })).toThrow("not with --no-rate");
  });
});

describe("in words", () => {
  it("describes limits and one window's use", () => {
    expect(describeLimits(set)).toEqual({ rate: "100 requests a minute (at most 10 in any second)", quota: "10,000 requests a day (refilled at 00:00 UTC)" });
    expect(describeLimits({ rate: null, quota: { requests: 1, per: "month" } })).toEqual({ rate: "none", quota: "1 request a month (refilled at 00:00 UTC on the 1st)" });
    const at = Date.parse("2026-12-07T21:00:00Z");
    expect(limitUseRow({ applies_to: "key", kind: "quota", limit: 10000, per: "day", used: 8123, window_start: "2026-12-07T00:00:00.000Z", resets_at: "2026-12-08T00:00:00.000Z" }, at)).toEqual({
      limit: "quota: 10,000 a day",
      used: "8,123 (81 %)",
      refills: "2026-12-08 00:00:00 UTC (in 3 h)",
    });
    expect(limitUseRow({ applies_to: "service_account", kind: "rate", limit: 60, per: "minute", used: 60, window_start: "2026-12-07T20:59:00Z", resets_at: "2026-12-07T21:00:12Z" }, at)).toMatchObject({
      limit: "service account's rate: 60 a minute",
      used: "60 (100 %)",
      refills: "2026-12-07 21:00:12 UTC (in 12 s)",
    });
  });
});
