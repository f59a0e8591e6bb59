// The revocation endpoint's per-client limit (lib/leaks/report-limiter.ts), with the clock
// injected: its counts are a bounded cache, so a flood of new addresses cannot hand a busy
// client a fresh allowance.
import { describe, expect, it, vi } from "vitest";

import { CACHE_CAPS } from "@/lib/cache-caps";

vi.mock("@/lib/env", () => ({ env: { AUTH_FAILURE_LIMIT: 30 } }));

const { assertReportAllowed } = await import("@/lib/leaks/report-limiter");

const MINUTE = 60_000;
const refused = (client: string, now: number) => {
  try {
    assertReportAllowed(client, now);
    return false;
  } catch (e) {
    return (e as { code?: string }).code === "rate_limited";
  }
};

describe("the report limiter", () => {
  it("allows 30 reports per client per minute, then refuses with the seconds left, and starts again the next minute", () => {
    const start = 1_000 * MINUTE;
    for (let i = 0; i < 30; i++) assertReportAllowed("a", start + i);
    expect(() => assertReportAllowed("a", start + 30_000)).toThrow(/try again in 30 s/);
    expect(refused("b", start + 30_000)).toBe(false);
    expect(refused("a", start + MINUTE)).toBe(false);
  });

  it("keeps refusing a client that keeps asking while a flood of new addresses passes the cap", () => {
    const start = 2_000 * MINUTE;
    for (let i = 0; i < 30; i++) assertReportAllowed("busy", start);
    expect(refused("busy", start)).toBe(true);
    for (let i = 0; i < 2 * CACHE_CAPS.reportClients; i++) {
      assertReportAllowed(`flood-${i}`, start);
      if (i % 1_000 === 0) expect(refused("busy", start), `after ${i} new addresses`).toBe(true);
    }
    expect(refused("busy", start)).toBe(true);
  });
});
