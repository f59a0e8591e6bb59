// The SDK's generated file (sdk/src/generated/contract.ts) is what sdk/scripts/generate.ts
// makes of lib/contract today: regenerated here and compared, so a contract changed without
// `npm run generate -w sdk` fails. And the main entry stays runnable anywhere fetch is: no
// zod, no Node built-in anywhere in what it imports.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { operations, type OperationDefinition, SCOPES, ERROR_STATUS, AUDIT_EVENT_TYPES, KEY_EXPIRES_HEADER, REQUEST_ID_HEADER } from "@/lib/contract";

import { OUTPUT, render, typeOf } from "../../sdk/scripts/generate.ts";
import * as sdk from "../../sdk/src/index.ts";

const SDK_SRC = fileURLToPath(new URL("../../sdk/src/", import.meta.url));

describe("the generated contract of the SDK", () => {
  it("is up to date with lib/contract (run npm run generate -w sdk when this fails)", () => {
    expect(readFileSync(OUTPUT, "utf8")).toBe(render());
  });

  it("lists every operation with the contract's method, path, credentials and scope", () => {
    const contract = operations as Record<string, OperationDefinition>;
    expect(Object.keys(sdk.OPERATIONS).sort()).toEqual(Object.keys(contract).sort());
    for (const [id, op] of Object.entries(sdk.OPERATIONS)) {
      const source = contract[id]!;
      expect({ method: op.method, path: op.path, credentials: op.credentials, scope: op.scope, envelope: op.envelope }, id).toEqual({
        method: source.method,
        path: source.path,
        credentials: source.credentials,
        scope: source.scope,
        envelope: source.response.envelope,
      });
      expect(op.idempotent, id).toBe(["GET", "HEAD", "PUT", "DELETE"].includes(source.method));
    }
  });

  it("carries the contract's values", () => {
    expect(sdk.SCOPES).toEqual(SCOPES);
    expect(sdk.ERROR_STATUS).toEqual(ERROR_STATUS);
    expect(sdk.AUDIT_EVENT_TYPES).toEqual(AUDIT_EVENT_TYPES);
    expect([sdk.KEY_EXPIRES_HEADER, sdk.REQUEST_ID_HEADER]).toEqual([KEY_EXPIRES_HEADER, REQUEST_ID_HEADER]);
  });

  it("turns JSON Schema into TypeScript types", () => {
    expect(typeOf({ type: ["string", "null"] })).toBe("string | null");
    expect(typeOf({ type: "array", items: { anyOf: [{ type: "string" }, { type: "integer" }] } })).toBe("(string | number)[]");
    expect(typeOf({ type: "object", properties: { "a-b": { type: "boolean", description: "x */ y" }, c: {} }, required: ["a-b"] })).toBe(
      '{\n  /** x *\\/ y */\n  "a-b": boolean;\n  c?: unknown;\n}',
    );
    expect(typeOf({ type: "object", additionalProperties: {} })).toBe("Record<string, unknown>");
    expect(typeOf({ type: "string", allOf: [{ pattern: "x" }] })).toBe("string");
    expect(typeOf({ type: "string", enum: ["a", "b"] })).toBe('"a" | "b"');
    expect(() => typeOf({ $ref: "#/$defs/x" })).toThrow(/\$ref/);
  });
});

/** Every module `entry` imports, transitively (relative imports followed, packages and built-ins listed). */
function importsOf(entry: string, seen = new Set<string>(), external = new Set<string>()): { files: Set<string>; external: Set<string> } {
  if (seen.has(entry)) return { files: seen, external };
  seen.add(entry);
  const text = readFileSync(entry, "utf8");
  for (const [, specifier] of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gm)) {
    if (specifier!.startsWith(".")) importsOf(resolve(dirname(entry), specifier!), seen, external);
    else external.add(specifier!);
  }
  return { files: seen, external };
}

describe("the SDK's main entry", () => {
  it("imports no package and no Node built-in (fetch only), zod least of all", () => {
    const { files, external } = importsOf(join(SDK_SRC, "index.ts"));
    expect([...external]).toEqual([]);
    expect([...files].some((f) => f.endsWith("node.ts"))).toBe(false);
    expect([...files].some((f) => f.includes("lib/contract"))).toBe(false);
    // Nor Node's globals: edge runtimes and browsers have neither.
    for (const file of files) expect(readFileSync(file, "utf8"), file).not.toMatch(/\bprocess\.|\bBuffer\b|\brequire\(/);
  });

  it("keeps Node to its own entry", () => {
    const { external } = importsOf(join(SDK_SRC, "node.ts"));
    expect([...external].every((name) => name.startsWith("node:"))).toBe(true);
  });
});
