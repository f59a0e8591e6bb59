import { describe, expect, it } from "vitest";

import { apiKeyStatus, expiresAtFor, localDateInput } from "@/lib/ui/api-key-status";

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
