import { describe, expect, it } from "vitest";

import { accessLabel, narrowingFor, scopesFor } from "@/lib/ui/api-key-scopes";
import { apiKeyStatus, expiresAtFor, expiresInDays, localDateInput } from "@/lib/ui/api-key-status";

// A fixed moment, so nothing here depends on when the test runs.
const NOW = Date.parse("2026-03-01T12:00:00.000Z");
const DAY = 86_400_000;

describe("a key's status as the dashboard shows it", () => {
  it("is revoked before expired, as the API answers 403 before 401", () => {
    expect(apiKeyStatus({ revoked_at: "2026-02-01T00:00:00.000Z", expires_at: "2026-02-02T00:00:00.000Z" }, NOW)).toBe("revoked");
  });

  it("is expired from the expiry instant on, and active until then", () => {
    expect(apiKeyStatus({ revoked_at: null, expires_at: new Date(NOW).toISOString() }, NOW)).toBe("expired");
    expect(apiKeyStatus({ revoked_at: null, expires_at: new Date(NOW + 1).toISOString() }, NOW)).toBe("active");
    expect(apiKeyStatus({ revoked_at: null, expires_at: null }, NOW)).toBe("active");
  });

  it("is rolled while a rolled key's grace window lasts, then expired", () => {
    const rolled = { revoked_at: null, replaced_by: "5d2e8f3a-6b1c-4d7e-9a0f-1b2c3d4e5f60" };
    expect(apiKeyStatus({ ...rolled, expires_at: new Date(NOW + 1).toISOString() }, NOW)).toBe("rolled");
    expect(apiKeyStatus({ ...rolled, expires_at: new Date(NOW).toISOString() }, NOW)).toBe("expired");
  });
});

describe("the \"expires in N days\" badge", () => {
  it("counts whole days up, within 7 days of an active key's expiry only", () => {
    const at = (ms: number) => ({ revoked_at: null, expires_at: new Date(NOW + ms).toISOString() });
    expect(expiresInDays(at(7 * DAY), NOW)).toBe(7);
    expect(expiresInDays(at(7 * DAY + 1), NOW)).toBeNull();
    expect(expiresInDays(at(6.5 * DAY), NOW)).toBe(7);
    expect(expiresInDays(at(DAY), NOW)).toBe(1);
    expect(expiresInDays(at(60_000), NOW)).toBe(1);
    expect(expiresInDays(at(0), NOW)).toBeNull(); // expired
    expect(expiresInDays({ revoked_at: null, expires_at: null }, NOW)).toBeNull();
    expect(expiresInDays({ ...at(DAY), revoked_at: new Date(NOW).toISOString() }, NOW)).toBeNull();
    expect(expiresInDays({ ...at(DAY), replaced_by: "5d2e8f3a-6b1c-4d7e-9a0f-1b2c3d4e5f60" }, NOW)).toBeNull();
  });
});

describe("the expiry the create dialog sends", () => {
  it("is null for never, and N whole days from now for a preset", () => {
    expect(expiresAtFor("never", "", NOW)).toBeNull();
    expect(expiresAtFor("7", "", NOW)).toBe(new Date(NOW + 7 * DAY).toISOString());
    expect(expiresAtFor("90", "", NOW)).toBe(new Date(NOW + 90 * DAY).toISOString());
  });

  it("is the last millisecond of the chosen local day for a custom date", () => {
    const sent = expiresAtFor("custom", "2026-03-15", NOW);
    const end = new Date(2026, 2, 15, 23, 59, 59, 999);
    expect(sent).toBe(end.toISOString());
  });

  it("is undefined for a custom date that is missing or malformed", () => {
    for (const bad of ["", "2026-3-15", "15/03/2026", "2026-03-15T00:00"]) expect(expiresAtFor("custom", bad, NOW), bad).toBeUndefined();
  });

  it("offers the date input today's local date as its minimum", () => {
    const d = new Date(NOW);
    const expected = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    expect(localDateInput(NOW)).toBe(expected);
  });
});

describe("a key's access in the dashboard", () => {
  it("the create dialog's three choices", () => {
    expect(scopesFor("full", [])).toEqual(["specs:read", "specs:write", "keys:read", "keys:write", "activity:read", "members:read", "members:write", "org:write"]);
    expect(scopesFor("read", ["keys:write"])).toEqual(["specs:read", "keys:read", "activity:read", "members:read"]);
    expect(scopesFor("custom", ["keys:write", "specs:read"])).toEqual(["specs:read", "keys:write"]);
    expect(scopesFor("custom", [])).toEqual([]);
  });

  it("keeps every choice within what the role and the policy allow", () => {
    const developer = ["specs:read", "specs:write", "keys:read", "keys:write", "members:read"] as const;
    expect(scopesFor("full", [], developer)).toEqual([...developer]);
    expect(scopesFor("read", [], developer)).toEqual(["specs:read", "keys:read", "members:read"]);
    expect(scopesFor("custom", ["org:write", "specs:write"], developer)).toEqual(["specs:write"]);
  });

  it("says Full access, Read only, or the scopes", () => {
    expect(accessLabel(["specs:read", "specs:write", "keys:read", "keys:write", "activity:read", "members:read", "members:write", "org:write"])).toBe(
      "Full access",
    );
    // A key made before the organization's scopes existed holds what it held: named in full.
    expect(accessLabel(["specs:read", "specs:write", "keys:read", "keys:write", "activity:read"])).toBe(
      "specs:read, specs:write, keys:read, keys:write, activity:read",
    );
    expect(accessLabel(["keys:read", "specs:read", "activity:read", "members:read"])).toBe("Read only");
    expect(accessLabel(["keys:read", "specs:read"])).toBe("keys:read, specs:read");
    expect(accessLabel(["specs:read", "specs:write"])).toBe("specs:read, specs:write");
  });

  it("suggests narrowing a key that used fewer scopes than it holds, and only then", () => {
    const key = { scopes: ["specs:read", "specs:write", "keys:read"] as const, revoked_at: null };
    expect(narrowingFor({ ...key, scopes: [...key.scopes], scopes_used: ["specs:read"] })).toEqual(["specs:read"]);
    expect(narrowingFor({ ...key, scopes: [...key.scopes], scopes_used: [] })).toBeNull();
    expect(narrowingFor({ ...key, scopes: [...key.scopes], scopes_used: [...key.scopes] })).toBeNull();
    expect(narrowingFor({ ...key, scopes: [...key.scopes], scopes_used: ["specs:read"], revoked_at: "2026-01-01T00:00:00Z" })).toBeNull();
  });
});
