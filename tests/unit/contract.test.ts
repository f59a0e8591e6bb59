// The contract's own logic: missing fields told apart from wrong ones by the input and the
// issue's code (never zod's wording), each operation's error codes, the methods of a path,
// and the spec form's reading of `details` by field and count, not by message.
import { describe, expect, it } from "vitest";
import { z } from "zod";

import { scopesUsed } from "@/lib/api-keys/service";
import {
  calendarDay,
  canonicalScopes,
  createBehaviorSpecInput,
  errorCodesOf,
  insufficientScopeChallenge,
  isoDateTime,
  issueDetails,
  methodsAt,
  operations,
  type OperationDefinition,
  READ_ONLY_SCOPES,
  SCOPE_DESCRIPTIONS,
  SCOPES,
  scopeList,
} from "@/lib/contract";
import { mapDetails } from "@/lib/ui/spec-form";

describe("issueDetails", () => {
  const details = (input: unknown) => {
    const result = createBehaviorSpecInput.safeParse(input);
    if (result.success) throw new Error("expected a refusal");
    return issueDetails(result.error, input);
  };

  it("says a field the input lacks is required", () => {
    expect(details({ examples: [{ input: "a", output: "b" }] })).toEqual([{ path: "name", message: "is required" }]);
    expect(details({ name: "x", examples: [{ input: "a" }] })).toEqual([{ path: "examples.0.output", message: "is required" }]);
  });

  it("keeps the schema's message for a field that is there but wrong, null and wrong types included", () => {
    const [wrongType] = details({ name: 5, examples: [{ input: "a", output: "b" }] });
    expect(wrongType!.path).toBe("name");
    expect(wrongType!.message).not.toBe("is required");
    const [nulled] = details({ name: null, examples: [{ input: "a", output: "b" }] });
    expect(nulled!.message).not.toBe("is required");
  });

  it("names unknown fields one by one", () => {
    expect(details({ name: "x", examples: [{ input: "a", output: "b" }], nme: 1 })).toEqual([{ path: "nme", message: "Unknown field" }]);
  });
});

describe("the operations", () => {
  it("derive their error codes from what they take", () => {
    expect(errorCodesOf(operations.getHealth)).toEqual(["internal_error"]);
    expect(errorCodesOf(operations.getMe)).toEqual(["unauthorized", "forbidden", "rate_limited", "internal_error"]);
    expect(errorCodesOf(operations.updateBehaviorSpec)).toEqual([
      "validation_error",
      "unauthorized",
      "forbidden",
      "not_found",
      "payload_too_large",
      "unsupported_media_type",
      "rate_limited",
      "internal_error",
    ]);
  });

  it("give each path its methods, in order, for 405's Allow", () => {
    expect(methodsAt("/api/v1/behavior-specs/{id}")).toEqual(["GET", "PATCH", "DELETE"]);
    expect(methodsAt("/api/v1/api-keys")).toEqual(["GET", "POST"]);
    expect(methodsAt("/api/v1/api-keys/{id}")).toEqual(["PATCH", "DELETE"]);
    expect(() => methodsAt("/api/v1/nope")).toThrow(/No operation/);
  });

  it("keep keys from creating (or rolling) keys, with a session confirmed by Supabase Auth", () => {
    const minting = ["createApiKey", "rollApiKey", "createServiceAccountKey"];
    for (const id of minting) expect(operations[id as keyof typeof operations], id).toMatchObject({ credentials: ["session"], mintsCredential: true });
    for (const [id, operation] of Object.entries(operations)) {
      if (!minting.includes(id)) expect(operation, id).not.toHaveProperty("mintsCredential");
    }
  });
});

describe("the operations' examples", () => {
  it("show a request every operation that takes input accepts, and an answer its output schema gives", () => {
    for (const [id, operation] of Object.entries(operations as Record<string, OperationDefinition>)) {
      const example = operation.requestExample;
      const takes = { params: operation.params, query: operation.query, body: operation.body };
      for (const [part, schema] of Object.entries(takes)) {
        const value = example?.[part as keyof typeof takes];
        if (!schema) {
          expect(value, `${id}: an example ${part} for an operation that takes none`).toBeUndefined();
          continue;
        }
        expect(value, `${id}: no example ${part}`).toBeDefined();
        const parsed = schema.safeParse(value);
        expect(parsed.success, `${id}: its example ${part} is refused: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      }
      const response = operation.response;
      if (response.envelope === "none" || response.example === undefined) continue;
      const items = response.envelope === "page" ? (response.example as unknown[]) : [response.example];
      for (const item of items) expect(response.schema.safeParse(item).success, `${id}: its answer's example`).toBe(true);
    }
  });
});

describe("the spec form's reading of details", () => {
  it("asks for an example when too few were sent, whatever the message says", () => {
    const { fields } = mapDetails([{ path: "examples", message: "anything at all" }], []);
    expect(fields.examples).toMatch(/^Add at least one example/);
  });

  it("keeps the message for another problem of the examples list", () => {
    const { fields } = mapDetails([{ path: "examples", message: "must have at most 500 items" }], ["e0"]);
    expect(fields.examples).toBe("Examples must have at most 500 items.");
  });
});

describe("the scopes", () => {
  it("are the four of the issue, activity:read and the organization's, each with one line for people, and every operation names one or none", () => {
    expect(SCOPES).toEqual(["specs:read", "specs:write", "keys:read", "keys:write", "activity:read", "members:read", "members:write", "org:write"]);
    for (const scope of SCOPES) expect(SCOPE_DESCRIPTIONS[scope].length).toBeGreaterThan(5);
    expect(READ_ONLY_SCOPES).toEqual(["specs:read", "keys:read", "activity:read", "members:read"]);
    for (const [id, operation] of Object.entries(operations)) {
      expect(Object.hasOwn(operation, "scope"), id).toBe(true);
      // A public operation needs no scope (a session-only one may: its role's, in its organization).
      if (operation.credentials.length === 0) expect(operation.scope, id).toBeNull();
    }
  });

  it("take a non-empty list of known, distinct scopes, stored in the contract's order", () => {
    expect(scopeList.safeParse(["keys:read", "specs:read"]).success).toBe(true);
    for (const bad of [[], ["admin"], ["specs:read", "specs:read"], "specs:read", [...SCOPES, "specs:read"]]) {
      expect(scopeList.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(canonicalScopes(["keys:write", "specs:read", "keys:write"])).toEqual(["specs:read", "keys:write"]);
    expect(insufficientScopeChallenge("specs:write")).toBe('Bearer error="insufficient_scope", scope="specs:write"');
  });

  it("scopes_used: the scopes used in the last 30 days, in the contract's order", () => {
    const now = Date.parse("2026-11-30T00:00:00Z");
    const day = 86_400_000;
    expect(
      scopesUsed({ "keys:read": new Date(now - day).toISOString(), "specs:read": new Date(now - 29 * day).toISOString(), "specs:write": new Date(now - 31 * day).toISOString() }, now),
    ).toEqual(["specs:read", "keys:read"]);
    expect(scopesUsed({}, now)).toEqual([]);
    expect(scopesUsed(null, now)).toEqual([]);
  });
});

describe("date-times (lib/contract/dates.ts)", () => {
  const schema = isoDateTime();
  it("accept real days from 1970-01-01 to 9999-12-31 with offsets up to ±14:00 and at most nanoseconds", () => {
    for (const ok of ["1970-01-01T00:00:00Z", "1970-01-01T00:00:00+14:00", "9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59-14:00", "2028-02-29T12:00:00.123456789+05:30"]) {
      expect(schema.safeParse(ok).success, ok).toBe(true);
    }
  });
  it("refuse what Postgres refuses, each with one message", () => {
    for (const bad of ["0000-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "2026-02-30T00:00:00Z", "2026-01-01T00:00:00+15:00", "2026-01-01T00:00:00+23:59", "2026-01-01T00:00:00+14:01", `2026-01-01T00:00:00.${"1".repeat(10)}Z`, "yesterday"]) {
      const result = schema.safeParse(bad);
      expect(result.success, bad).toBe(false);
      expect(result.error!.issues, bad).toHaveLength(1);
    }
  });
  it("are described to clients as they are checked (the document's patterns)", () => {
    const json = JSON.stringify(z.toJSONSchema(schema));
    expect(json).toContain("date-time");
    expect(json).toContain("19[7-9]");
    expect(json).toContain("14:00");
  });
  it("calendarDay takes real days only", () => {
    expect(calendarDay("2024-02-29")).toBe("2024-02-29");
    for (const bad of ["2026-02-29", "2026-02-30", "0000-01-01", "0099-01-01", "10000-01-01", "2026-1-01", undefined]) expect(calendarDay(bad), String(bad)).toBeNull();
  });
});
