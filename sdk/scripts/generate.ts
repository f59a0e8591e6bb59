#!/usr/bin/env node
// Writes sdk/src/generated/contract.ts from lib/contract: the table of operations (method,
// path, credentials, scope, idempotence, envelope, status), the contract's constants the
// SDK needs (scopes, error codes, header names…), and every shape as a plain TypeScript
// type, converted from the zod schemas through their JSON Schema (z.toJSONSchema: the same
// walk the OpenAPI document makes). The SDK ships that file and nothing of zod; the types
// are checked against the contract's own z.input/z.output at compile time
// (sdk/check/contract-types.ts), and tests/unit/sdk-generated.test.ts fails when the file is
// stale. Run: `npm run generate -w sdk` (Node ≥ 24 runs it as it is, types stripped).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { z } from "zod";

import * as contract from "../../lib/contract/index.ts";
import type { OperationDefinition } from "../../lib/contract/index.ts";

export const OUTPUT = fileURLToPath(new URL("../src/generated/contract.ts", import.meta.url));

type Json = { [key: string]: unknown };
type Io = "input" | "output";

/** The contract's plain values a client needs, by name (each must be JSON-representable). */
const CONSTANTS = [
  "SCOPES",
  "SCOPE_DESCRIPTIONS",
  "READ_ONLY_SCOPES",
  "ERROR_STATUS",
  "AUTH_CHALLENGE",
  "SECOND_FACTOR_CHALLENGE",
  "REQUEST_ID_HEADER",
  "KEY_EXPIRES_HEADER",
  "RETRY_AFTER_HEADER",
  "AUDIT_EVENT_TYPES",
  "AUDIT_EVENT_LABELS",
  "REVOKED_BY",
  "SUPPORTED_BASE_MODELS",
  "DEFAULT_BASE_MODEL",
  "BEHAVIOR_SPEC_LIMITS",
  "MAX_ROLL_GRACE_SECONDS",
  "DEFAULT_ROLL_GRACE_SECONDS",
  "CLI_AUTHORIZE_PATH",
  "DEVICE_CODE_TTL_S",
  "POLL_INTERVAL_S",
  "DEVICE_KEY_TTL_DAYS",
  "MAX_REVOKE_CREDENTIALS",
  "ROLES",
  "ROLE_SCOPES",
  "ROLE_DESCRIPTIONS",
  "SERVICE_ACCOUNT_ROLES",
  "ORGANIZATION_HEADER",
  "INVITATION_TTL_DAYS",
] as const satisfies readonly (keyof typeof contract)[];

/** Types named after a constant's elements or keys. */
const CONSTANT_TYPES: Record<string, string> = {
  Scope: "(typeof SCOPES)[number]",
  ErrorCode: "keyof typeof ERROR_STATUS",
  AuditEventType: "(typeof AUDIT_EVENT_TYPES)[number]",
  RevokedBy: "(typeof REVOKED_BY)[number]",
  BaseModel: "(typeof SUPPORTED_BASE_MODELS)[number]",
  Role: "(typeof ROLES)[number]",
};

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE"]);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

const pascal = (id: string) => id[0]!.toUpperCase() + id.slice(1);
const doc = (text: unknown, indent: string) =>
  typeof text === "string" && text ? `${indent}/** ${text.replace(/\*\//g, "*\\/").replace(/\n/g, ` `)} */\n` : "";
const wrap = (type: string) => (/[|&]/.test(type) ? `(${type})` : type);

/** A JSON Schema (the subset z.toJSONSchema produces for the contract) as a TypeScript type. */
export function typeOf(schema: unknown, indent = ""): string {
  if (schema === undefined || schema === true) return "unknown";
  if (schema === false) return "never";
  const s = schema as Json;
  if (typeof s.$ref === "string") throw new Error(`sdk generate: a $ref (${s.$ref}) is not supported; inline the schema`);
  if ("const" in s) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((value) => JSON.stringify(value)).join(" | ");
  const members = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (members) return [...new Set(members.map((m) => typeOf(m, indent)))].join(" | ");
  const own = s.type === undefined ? [] : (Array.isArray(s.type) ? s.type : [s.type]).map((t) => typeOfType(String(t), s, indent));
  const all = ((s.allOf ?? []) as unknown[]).map((m) => typeOf(m, indent)).filter((t) => t !== "unknown");
  const parts = [own.length ? own.join(" | ") : "", ...all].filter(Boolean);
  if (parts.length === 0) return "unknown";
  return parts.length === 1 ? parts[0]! : parts.map(wrap).join(" & ");
}

function typeOfType(type: string, s: Json, indent: string): string {
  switch (type) {
    case "string":
      return "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array":
      return `${wrap(typeOf(s.items, indent))}[]`;
    case "object":
      return objectType(s, indent);
    default:
      throw new Error(`sdk generate: JSON Schema type ${type} is not supported`);
  }
}

function objectType(s: Json, indent: string): string {
  const properties = (s.properties ?? {}) as Record<string, Json>;
  const names = Object.keys(properties);
  if (names.length === 0) {
    const extra = s.additionalProperties;
    return `Record<string, ${extra === undefined || extra === true || extra === false ? "unknown" : typeOf(extra, indent)}>`;
  }
  const required = new Set((s.required ?? []) as string[]);
  const inner = `${indent}  `;
  const lines = names.map((name) => {
    const key = IDENTIFIER.test(name) ? name : JSON.stringify(name);
    return `${doc(properties[name]!.description, inner)}${inner}${key}${required.has(name) ? "" : "?"}: ${typeOf(properties[name], inner)};`;
  });
  return `{\n${lines.join("\n")}\n${indent}}`;
}

const jsonSchema = (schema: z.ZodType, io: Io) => z.toJSONSchema(schema, { target: "draft-2020-12", io }) as Json;

/** Renders the whole file. Pure: the unit test compares it with what is on disk. */
export function render(): string {
  const operations = contract.operations as Record<string, OperationDefinition>;
  // Shared schemas keep one name: the contract's NAMED_SCHEMAS, and the two shared inputs.
  const names = new Map<unknown, string>([
    [contract.idParam, "IdParams"],
    [contract.paginationQuery, "PaginationQuery"],
    ...Object.entries(contract.NAMED_SCHEMAS).map(([name, schema]) => [schema, name] as [unknown, string]),
  ]);
  const shapes = new Map<string, string>(); // name → declaration
  const shape = (schema: z.ZodType, io: Io, fallback: string): string => {
    const name = names.get(schema) ?? fallback;
    const json = jsonSchema(schema, io);
    const body = `${doc(json.description, "")}export type ${name} = ${typeOf(json)};\n`;
    const existing = shapes.get(name);
    if (existing !== undefined && existing !== body) throw new Error(`sdk generate: two different shapes are named ${name}`);
    shapes.set(name, body);
    return name;
  };

  const table: string[] = [];
  const types: string[] = [];
  for (const [id, op] of Object.entries(operations)) {
    const Name = pascal(id);
    const params = op.params ? shape(op.params, "input", `${Name}Params`) : "never";
    const query = op.query ? shape(op.query, "input", `${Name}Query`) : "never";
    const body = op.verbatimBody ? "string" : op.body ? shape(op.body, "input", `${Name}Body`) : "never";
    const response = op.response;
    const data =
      response.envelope === "none"
        ? (() => {
            const json = response.jsonSchema;
            const declaration = `${doc(json.description, "")}export type ${Name}Data = ${typeOf(json)};\n`;
            shapes.set(`${Name}Data`, declaration);
            return `${Name}Data`;
          })()
        : shape(response.schema, "output", `${Name}Data`);
    const entry = {
      method: op.method,
      path: op.path,
      credentials: op.credentials,
      scope: op.scope,
      idempotent: IDEMPOTENT.has(op.method),
      body: op.verbatimBody ? "verbatim" : op.body ? "json" : null,
      query: Boolean(op.query),
      envelope: response.envelope,
      status: response.status,
    };
    const fields = Object.entries(entry).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
    table.push(`${doc(op.summary, "  ")}  ${id}: { ${fields.join(", ")} },`);
    types.push(`  ${id}: { params: ${params}; query: ${query}; body: ${body}; data: ${data}; envelope: ${JSON.stringify(response.envelope)} };`);
  }

  const values = CONSTANTS.map((name) => `export const ${name} = ${JSON.stringify(contract[name], null, 2)} as const;\n`);
  const constantTypes = Object.entries(CONSTANT_TYPES).map(([name, type]) => `export type ${name} = ${type};\n`);

  return [
    "// Generated by sdk/scripts/generate.ts from lib/contract: do not edit by hand.",
    "// Regenerate with `npm run generate -w sdk`; tests/unit/sdk-generated.test.ts fails when",
    "// this file no longer matches the contract. No zod: plain values and types only.",
    "",
    ...values.map((v) => v),
    ...constantTypes,
    "/** Every operation of /api/v1, by its OpenAPI operationId: what a client needs to call it. */",
    "export const OPERATIONS = {",
    ...table,
    "} as const;",
    "",
    "export type OperationId = keyof typeof OPERATIONS;",
    "",
    "/** Each operation's path parameters, query and body (as a client sends them) and its `data` (one item, for a page). */",
    "export type OperationTypes = {",
    ...types,
    "};",
    "",
    ...[...shapes.values()],
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = render();
  let old = "";
  try {
    old = readFileSync(OUTPUT, "utf8");
  } catch {
    // first run
  }
  if (old === text) console.log(`${OUTPUT} is up to date`);
  else {
    writeFileSync(OUTPUT, text);
    console.log(`wrote ${OUTPUT}`);
  }
}
