import { describe, expect, it } from "vitest";

import { safeNextPath } from "@/lib/safe-next-path";

describe("where a user goes after logging in (?next=)", () => {
  it("keeps a same-site path with its query and fragment", () => {
    expect(safeNextPath("/specs/123?tab=json#examples")).toBe("/specs/123?tab=json#examples");
    expect(safeNextPath("/settings/api-keys")).toBe("/settings/api-keys");
  });

  it("sends anything that could leave the site to the fallback", () => {
    for (const hostile of [
      "https://evil.example/",
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/a/..//evil.example",
      "javascript:alert(1)",
      "specs",
      "",
    ]) {
      expect(safeNextPath(hostile, "/home"), JSON.stringify(hostile)).toBe("/home");
    }
  });

  it("takes only a single string: missing or repeated parameters fall back", () => {
    expect(safeNextPath(undefined)).toBe("/");
    expect(safeNextPath(null, "/specs")).toBe("/specs");
    expect(safeNextPath(["/specs", "//evil.example"], "/x")).toBe("/x");
  });
});
