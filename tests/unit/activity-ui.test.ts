// The dashboard's pure activity helpers: the chart's numbers, the log's filter, the words for events.
import { describe, expect, it } from "vitest";

import { windowStart } from "@/lib/api-keys/key-usage";
import type { AuditEvent } from "@/lib/contract";
import { actorText, detailsText } from "@/lib/ui/audit-event-text";
import { securityLogFilter } from "@/lib/ui/security-log-filter";
import { dayBars } from "@/lib/ui/usage-chart";

const b = (start: string, success: number, client_error = 0, server_error = 0, refused = 0, limited = 0) => ({ start, success, client_error, server_error, refused, limited });

describe("the usage window", () => {
  const now = Date.parse("2026-11-30T15:20:00Z");
  it("ends with the bucket holding now and spans `days` of them", () => {
    expect(new Date(windowStart(now, 30, "day")).toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(new Date(windowStart(now, 1, "day")).toISOString()).toBe("2026-11-30T00:00:00.000Z");
    expect(new Date(windowStart(now, 1, "hour")).toISOString()).toBe("2026-11-29T16:00:00.000Z");
  });
});

describe("the chart's bars", () => {
  it("stack successes under every failure (4xx, 5xx, refused) and the limits' 429s, and scale to the busiest day", () => {
    const { bars, max } = dayBars({ buckets: [b("2026-11-29T00:00:00.000Z", 3, 1, 1, 1, 8), b("2026-11-30T00:00:00.000Z", 10)] });
    expect(bars.map(({ day, label, success, failed, limited }) => ({ day, label, success, failed, limited }))).toEqual([
      { day: "2026-11-29", label: "Nov 29", success: 3, failed: 3, limited: 8 },
      { day: "2026-11-30", label: "Nov 30", success: 10, failed: 0, limited: 0 },
    ]);
    expect(max).toBe(14);
    expect(dayBars({ buckets: [b("2026-11-30T00:00:00.000Z", 0)] }).max).toBe(1);
  });
});

describe("the security log's filter", () => {
  const id = "0b7c9f8e-2d3a-4e5b-8c6d-7e8f9a0b1c2d";
  it("turns days into the API's since (inclusive) and until (exclusive, the day after)", () => {
    const f = securityLogFilter({ key: id, from: "2026-11-01", to: "2026-11-30" });
    expect(f).toMatchObject({ keyId: id, since: "2026-11-01T00:00:00Z", until: "2026-12-01T00:00:00.000Z", active: true, invalid: null });
    expect(f.basePath("/settings/security-log")).toBe(`/settings/security-log?key=${id}&from=2026-11-01&to=2026-11-30`);
  });
  it("drops malformed values with a message instead of failing", () => {
    const f = securityLogFilter({ key: "nope", from: "2026-02-31x", to: "" });
    expect(f).toMatchObject({ keyId: undefined, since: undefined, until: undefined, active: false });
    expect(f.invalid).toBe("Ignored the key and the From day: not a valid value.");
    expect(securityLogFilter({}).basePath("/x")).toBe("/x");
  });

  it("takes only real calendar days from 1970-01-01 to 9999-12-31 (no 30 February read as 2 March, no year 0)", () => {
    for (const day of ["2026-02-30", "2026-02-29", "2025-04-31", "0000-01-01", "1969-12-31", "2026-13-01", "2026-00-10"]) {
      const f = securityLogFilter({ from: day, to: day });
      expect(f, day).toMatchObject({ from: undefined, to: undefined, since: undefined, until: undefined });
      expect(f.invalid, day).toBe("Ignored the From day and the To day: not a valid value.");
    }
    expect(securityLogFilter({ from: "2028-02-29", to: "2028-02-29" })).toMatchObject({ since: "2028-02-29T00:00:00Z", until: "2028-03-01T00:00:00.000Z" });
    expect(securityLogFilter({ from: "1970-01-01" }).since).toBe("1970-01-01T00:00:00Z");
    // The last day there is ends at the last instant the API takes (a year 10000 reads back as "+010000-…").
    expect(securityLogFilter({ to: "9999-12-31" }).until).toBe("9999-12-31T23:59:59.999Z");
  });
});

describe("the words for an event", () => {
  const event = (e: Partial<AuditEvent>): AuditEvent => ({
    id: "x", type: "key.revoked", occurred_at: "", actor: { type: "session", key: null }, ip: null, user_agent: null, key: null, details: {}, ...e,
  });
  it("names the actor and what changed", () => {
    expect(actorText(event({}))).toBe("You (signed in)");
    expect(actorText(event({ actor: { type: "api_key", key: { id: "k", key_prefix: "tt_AbCdEfGh" } } }))).toBe("Key tt_AbCdEfGh…");
    expect(actorText(event({ actor: { type: "system", key: null } }))).toBe("Tuned Tensor");
    expect(detailsText(event({ details: { by: "leak_report" } }))).toBe("after a leak report");
    expect(detailsText(event({ type: "key.renamed", details: { from: "a", to: "b" } }))).toBe("“a” → “b”");
    expect(detailsText(event({ type: "key.narrowed", details: { from: ["specs:read", "keys:read"], to: ["specs:read"] } }))).toBe("specs:read, keys:read → specs:read");
    expect(detailsText(event({ type: "auth.signed_in", details: { method: "link:recovery" } }))).toBe("from a password reset link");
    expect(detailsText(event({ type: "auth.signed_out", details: { scope: "others" } }))).toBe("every other session");
    expect(detailsText(event({ type: "mfa.removed", details: { factor_type: "totp" } }))).toBe("authenticator app");
  });

  it("says how limits changed and how much of a quota a crossing used", () => {
    const limits = { rate: { requests: 60, per: "minute", burst: null }, quota: null };
    expect(detailsText(event({ type: "key.limits_changed", details: { from: null, to: limits } }))).toBe("organization default → 60 a minute");
    expect(detailsText(event({ type: "service_account.limits_changed", details: { name: "CI", from: limits, to: null } }))).toBe("“CI”: 60 a minute → No limits");
    const crossing = { subject: "key", threshold: 80, limit: 10000, per: "day", window_start: "2026-12-07T00:00:00.000Z", resets_at: "2026-12-08T00:00:00.000Z" };
    expect(detailsText(event({ type: "quota.warning", details: crossing }))).toBe("80 % of 10,000 a day; refills 2026-12-08");
    expect(detailsText(event({ type: "quota.exhausted", details: { ...crossing, subject: "service_account", threshold: 100 } }))).toBe(
      "all of 10,000 a day (the service account's quota); refills 2026-12-08",
    );
  });

  it("shows a key made by the device flow as created through tt auth login, and its approval and denial", () => {
    const created = event({ type: "key.created", actor: { type: "cli_login", key: null }, details: { name: "tt CLI on box", scopes: ["specs:read"], via: "device_flow" } });
    expect(actorText(created)).toBe("tt auth login");
    expect(detailsText(created)).toBe("“tt CLI on box”, specs:read, through tt auth login (approved in a browser)");
    const details = { hostname: "box", os: "linux x64", version: "0.1.0", scopes: ["specs:read", "keys:read"], session_id: "s" };
    expect(actorText(event({ type: "cli_login.approved", details }))).toBe("You (signed in)");
    expect(detailsText(event({ type: "cli_login.approved", details }))).toBe("box (linux x64, tt 0.1.0), specs:read, keys:read");
    expect(detailsText(event({ type: "cli_login.denied", details }))).toBe("box (linux x64, tt 0.1.0), specs:read, keys:read");
  });
});
