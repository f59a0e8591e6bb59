// The dashboard's usage-limit helpers (lib/ui/usage-limits.ts): limits and use in words, and
// the form's text read into the API's shape with errors a person can act on.
import { describe, expect, it } from "vitest";

import { draftOf, limitsOfDraft, limitsText, sameLimits, limitUseRows } from "@/lib/ui/usage-limits";

const draft = (patch: Partial<ReturnType<typeof draftOf>> = {}) => ({ ...draftOf(null), ...patch });

describe("limitsText", () => {
  it("says a rate (with its burst) and a quota, or that there are none", () => {
    expect(limitsText({ rate: { requests: 600, per: "minute", burst: 20 }, quota: { requests: 100000, per: "month" } })).toBe(
      "600 a minute, at most 20 in any second · 100,000 a month",
    );
    expect(limitsText({ rate: { requests: 5, per: "second", burst: null }, quota: null })).toBe("5 a second");
    expect(limitsText({ rate: null, quota: null })).toBe("No limits");
    expect(limitsText(null)).toBe("No limits");
  });
});

describe("limitUseRows", () => {
  it("labels each counter, whose it is, the percent used (at most 100) and the refill", () => {
    const rows = limitUseRows([
      { applies_to: "key", kind: "burst", limit: 10, per: "minute", used: 3, window_start: "2026-12-07T21:00:00Z", resets_at: "2026-12-07T21:00:01Z" },
      { applies_to: "service_account", kind: "quota", limit: 1000, per: "day", used: 1200, window_start: "2026-12-07T00:00:00Z", resets_at: "2026-12-08T00:00:00Z" },
    ]);
    expect(rows).toEqual([
      { key: "key-burst", label: "Burst (10 a second)", used: 3, limit: 10, percent: 30, resetsAt: "2026-12-07T21:00:01Z" },
      { key: "service_account-quota", label: "Service account quota (1,000 a day)", used: 1200, limit: 1000, percent: 100, resetsAt: "2026-12-08T00:00:00Z" },
    ]);
  });
});

describe("the form", () => {
  it("round-trips limits through the fields; empty fields are no limit", () => {
    const limits = { rate: { requests: 100, per: "minute" as const, burst: 10 }, quota: { requests: 10000, per: "day" as const } };
    expect(limitsOfDraft(draftOf(limits))).toEqual({ ok: true, limits });
    expect(limitsOfDraft(draft())).toEqual({ ok: true, limits: { rate: null, quota: null } });
    expect(limitsOfDraft(draft({ rateRequests: " 1,000 ", quotaRequests: "5_000", quotaPer: "month" }))).toEqual({
      ok: true,
      limits: { rate: { requests: 1000, per: "minute", burst: null }, quota: { requests: 5000, per: "month" } },
    });
    // A per-second rate has no burst, whatever the burst field still holds.
    expect(limitsOfDraft(draft({ rateRequests: "5", ratePer: "second", burst: "9" }))).toEqual({ ok: true, limits: { rate: { requests: 5, per: "second", burst: null }, quota: null } });
  });

  it("says what to fix: not a whole number, out of range, a burst without a rate or above it", () => {
    expect(limitsOfDraft(draft({ rateRequests: "1.5" }))).toMatchObject({ ok: false, errors: { rate: expect.stringContaining("whole number") } });
    expect(limitsOfDraft(draft({ rateRequests: "0" }))).toMatchObject({ ok: false, errors: { rate: expect.any(String) } });
    expect(limitsOfDraft(draft({ quotaRequests: "1000000001" }))).toMatchObject({ ok: false, errors: { quota: expect.stringContaining("1,000,000,000") } });
    expect(limitsOfDraft(draft({ burst: "3" }))).toEqual({ ok: false, errors: { burst: "A burst needs a rate per minute." } });
    expect(limitsOfDraft(draft({ rateRequests: "10", burst: "11" }))).toEqual({ ok: false, errors: { burst: "The burst must be at most the rate (10 a minute)." } });
  });

  it("sameLimits compares what the limits admit", () => {
    expect(sameLimits(null, { rate: null, quota: null })).toBe(true);
    expect(sameLimits({ rate: null, quota: { requests: 1, per: "day" } }, { rate: null, quota: { requests: 1, per: "month" } })).toBe(false);
  });
});
