import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { organizationSlug } from "@/lib/contract";
import { slugCandidate, slugFromName } from "@/lib/organizations/slug";

describe("slugFromName", () => {
  it("makes a URL-safe slug of a name", () => {
    expect(slugFromName("Acme Inc.")).toBe("acme-inc");
    expect(slugFromName("  Über  Straße 42 ")).toBe("uber-stra-e-42");
    expect(slugFromName("日本")).toBe("org");
    expect(slugFromName("---")).toBe("org");
    expect(slugFromName(`p-${"a".repeat(32)}`)).toBe(`org-p-${"a".repeat(32)}`);
    expect(slugFromName("x".repeat(60))).toBe("x".repeat(40));
    expect(slugFromName(`${"a".repeat(39)} b`)).toBe("a".repeat(39));
  });

  it("always gives a slug the contract accepts, and so does every candidate after it", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), fc.integer({ min: 1, max: 10_000 }), (name, n) => {
        const base = slugFromName(name);
        expect(organizationSlug.safeParse(base).success).toBe(true);
        expect(organizationSlug.safeParse(slugCandidate(base, n)).success).toBe(true);
      }),
    );
  });

  it("numbers the candidates, cutting the base to fit", () => {
    expect(slugCandidate("acme", 1)).toBe("acme");
    expect(slugCandidate("acme", 2)).toBe("acme-2");
    expect(slugCandidate("a".repeat(40), 12)).toBe(`${"a".repeat(37)}-12`);
  });
});
