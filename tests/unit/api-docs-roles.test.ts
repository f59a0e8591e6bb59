// docs/API.md's roles table (hand-written in the guide) says what ROLE_SCOPES says: a role
// given or taken a scope in the contract fails here until the table is changed with it.
import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { ROLE_SCOPES, ROLES, SCOPES } from "@/lib/contract";

import { API_MD } from "../../scripts/generate-api-docs.ts";

describe("docs/API.md's roles table", () => {
  it("is ROLE_SCOPES, scope by scope", () => {
    const text = readFileSync(API_MD, "utf8");
    const header = `| scope | ${ROLES.join(" | ")} |`;
    const start = text.indexOf(header);
    expect(start, "the table's header names the roles in the contract's order").toBeGreaterThan(0);
    const rows = text.slice(start).split("\n").slice(2, 2 + SCOPES.length);
    const table = rows.map((row) => row.split("|").slice(1, -1).map((cell) => cell.trim()));
    expect(table.map(([scope]) => scope)).toEqual(SCOPES.map((scope) => `\`${scope}\``));
    for (const [scope, ...marks] of table) {
      const expected = ROLES.map((role) => (ROLE_SCOPES[role].includes(scope!.replaceAll("`", "") as never) ? "✓" : ""));
      expect(marks, scope).toEqual(expected);
    }
  });
});
