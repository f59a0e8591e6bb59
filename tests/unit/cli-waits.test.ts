// What tt says about waiting (cli/src/waits.ts): the stderr line before a retry names what is
// waited for, and an error the server asked to wait for says when to try again.
import { describe, expect, it } from "vitest";

import { formatWait, retryLaterHint, retryNotice } from "../../cli/src/waits";

const NOW = Date.parse("2026-12-01T10:00:00Z");
const minute = { name: "minute", quota: 60, windowSeconds: 60, remaining: 0, resetSeconds: 12, partitionKey: null };
const day = { name: "day", quota: 10000, windowSeconds: 86400, remaining: 0, resetSeconds: 50400, partitionKey: null };

describe("formatWait", () => {
  it("reads as people do", () => {
    expect([0.5, 1, 12, 89, 90, 3599, 7500, 50400, 3 * 86400].map(formatWait)).toEqual(["0.5 s", "1 s", "12 s", "89 s", "2 min", "60 min", "2 h 5 min", "14 h", "3 days"]);
  });
});

describe("retryNotice", () => {
  it("names the limit a 429 ran out of, and the wait", () => {
    expect(retryNotice({ status: 429, code: "rate_limited", delayMs: 12_000, policy: minute })).toBe("Rate limited (60 requests a minute); retrying in 12 s…");
    expect(retryNotice({ status: 429, code: "rate_limited", delayMs: 1_000, policy: null })).toBe("Rate limited; retrying in 1 s…");
    expect(retryNotice({ status: 429, code: "quota_exceeded", delayMs: 5_000, policy: day })).toBe("Quota used up (10000 requests a day); retrying in 5 s…");
  });

  it("says what else it waits for: an unavailable server, a network failure", () => {
    expect(retryNotice({ status: 503, code: null, delayMs: 500, policy: null })).toBe("The server is unavailable (503); retrying in 0.5 s…");
    expect(retryNotice({ status: null, code: null, delayMs: 1_000, policy: null })).toBe("Could not reach the server; retrying in 1 s…");
  });
});

describe("retryLaterHint", () => {
  it("says when to try again, as a wait and a UTC time, and that a change is not repeated", () => {
    expect(retryLaterHint({ status: 429, code: "rate_limited", retryAfter: 12, policy: minute, method: "POST" }, NOW)).toBe(
      "The key's rate limit (60 requests a minute) is used up: try again in 12 s (at 2026-12-01 10:00:12 UTC). tt does not repeat a request that changes something. See the key's limits with: tt keys show <id>",
    );
    expect(retryLaterHint({ status: 429, code: "quota_exceeded", retryAfter: 50400, policy: day, method: "GET" }, NOW)).toBe(
      "The key's quota (10000 requests a day) is used up: try again in 14 h (at 2026-12-02 00:00:00 UTC). See the key's limits with: tt keys show <id>",
    );
    expect(retryLaterHint({ status: 503, code: "internal_error", retryAfter: 30, policy: null, method: "PATCH" }, NOW)).toBe(
      "The server asked to wait: try again in 30 s (at 2026-12-01 10:00:30 UTC). tt does not repeat a request that changes something.",
    );
    expect(retryLaterHint({ status: 429, code: "rate_limited", retryAfter: null, policy: null, method: "GET" }, NOW)).toBeNull();
  });

  it("a quota's refill at 00:00:00 though the answer came late in its second (Retry-After rounds up, the answer takes time)", () => {
    // The server answered at 10:00:00.9 with Retry-After 50400 (14 h less 0.9 s, rounded up);
    // tt reads it 1.4 s later.
    expect(retryLaterHint({ status: 429, code: "quota_exceeded", retryAfter: 50400, policy: day, method: "GET" }, NOW + 2_300)).toContain("(at 2026-12-02 00:00:00 UTC)");
    // A wait in seconds keeps its seconds.
    expect(retryLaterHint({ status: 429, code: "rate_limited", retryAfter: 12, policy: minute, method: "GET" }, NOW + 600)).toContain("(at 2026-12-01 10:00:12 UTC)");
  });
});
