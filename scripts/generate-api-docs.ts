#!/usr/bin/env node
// Writes the reference part of docs/API.md — between `<!-- api-reference:start -->` and
// `<!-- api-reference:end -->` — from lib/contract: every operation (method, path,
// credentials, scope, parameters, query and body fields with their rules, the answer and its
// example, the error codes errorCodesOf derives, a curl command and an SDK call), and the
// shapes the answers have. The rest of the file is the hand-written guide, left as it is.
// tests/unit/api-docs-generated.test.ts fails when that part is stale. Run: `npm run generate:docs`
// (Node ≥ 24 runs it as it is, types stripped).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { z } from "zod";

import { compactJson, curlSample, sdkSample } from "../lib/api-reference/code-samples.ts";
import { ERROR_STATUS, errorCodesOf, NAMED_SCHEMAS, OAUTH_ERRORS, operations, type OperationDefinition } from "../lib/contract/index.ts";

export const API_MD = fileURLToPath(new URL("../docs/API.md", import.meta.url));
export const START = "<!-- api-reference:start -->";
export const END = "<!-- api-reference:end -->";

type Json = { [key: string]: unknown };
type Io = "input" | "output";
type Field = { name: string; type: string; required: boolean; rules: string; description: string; values: string };

const jsonSchema = (schema: z.ZodType, io: Io) => z.toJSONSchema(schema, { target: "draft-2020-12", io }) as Json;
const code = (text: string) => `\`${text}\``;
/** Table cells: no pipes, no line breaks. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

/** The schema's members, a nullable's null set apart. */
function members(schema: Json): { inner: Json[]; nullable: boolean } {
  const list = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (!list) return { inner: [schema], nullable: Array.isArray(schema.type) && schema.type.includes("null") };
  const inner = list.filter((m) => m.type !== "null");
  return { inner, nullable: inner.length < list.length };
}

/** A JSON Schema's type for people: `string`, `integer`, `string[]`, `object`, `uuid`, `date-time`… */
export function typeName(schema: Json): string {
  const { inner, nullable } = members(schema);
  const names = inner.map((m) => {
    if ("const" in m) return JSON.stringify(m.const);
    const type = Array.isArray(m.type) ? m.type.filter((t) => t !== "null").join(" or ") : String(m.type ?? "any");
    if (type === "array") return `${typeName((m.items as Json) ?? {})}[]`.replace(/^(.* or .*)\[\]$/, "($1)[]");
    if (type === "string" && typeof m.format === "string") return `string (${m.format})`;
    return type;
  });
  return [...new Set(names)].join(" or ") + (nullable ? " or null" : "");
}

const count = (n: number) => n.toLocaleString("en-US");
const range = (min: unknown, max: unknown, unit: string) =>
  typeof min === "number" && typeof max === "number"
    ? `${count(min)}–${count(max)} ${unit}`
    : typeof min === "number"
      ? `at least ${count(min)} ${unit}`
      : typeof max === "number"
        ? `at most ${count(max)} ${unit}`
        : "";

/** What a value must be, from the schema's keywords (patterns are left to the type and the guide). */
export function rulesOf(schema: Json): string {
  const { inner } = members(schema);
  const rules: string[] = [];
  for (const m of inner) {
    rules.push(range(m.minLength, m.maxLength, "characters"));
    rules.push(range(m.minimum, m.maximum, "").trim().replace(/^(\S+)–(\S+)$/, "$1 to $2"));
    rules.push(range(m.minItems, m.maxItems, "items"));
    if (m.uniqueItems) rules.push("distinct");
    if (Array.isArray(m.enum)) rules.push(`one of ${m.enum.map((v) => code(String(v))).join(", ")}`);
    const items = m.items as Json | undefined;
    if (items && Array.isArray(items.enum)) rules.push(`each one of ${items.enum.map((v) => code(String(v))).join(", ")}`);
    if (items && (items.minLength !== undefined || items.maxLength !== undefined)) rules.push(`each ${range(items.minLength, items.maxLength, "characters")}`);
  }
  if (schema.default !== undefined) rules.push(`default ${code(JSON.stringify(schema.default))}`);
  return rules.filter(Boolean).join("; ");
}

/** The values an enumeration allows, for the answers' shapes. */
function valuesOf(schema: Json): string {
  const list = members(schema).inner.flatMap((m) => (Array.isArray(m.enum) ? m.enum : Array.isArray((m.items as Json | undefined)?.enum) ? ((m.items as Json).enum as unknown[]) : []));
  return list.length ? `One of ${list.map((v) => code(String(v))).join(", ")}` : "";
}

/**
 * An object schema's fields, nested objects and arrays of objects flattened into dotted
 * names (`client.hostname`, `examples[].input`). A field with a default is not required of
 * a client, whatever the output side says.
 */
export function fieldsOf(schema: Json, prefix = ""): Field[] {
  const { inner } = members(schema);
  const object = inner.find((m) => m.type === "object" && m.properties);
  const array = inner.find((m) => m.type === "array" && (m.items as Json | undefined)?.properties);
  if (!object && array) return fieldsOf(array.items as Json, `${prefix}[].`.replace(/^\[\]\./, "[]."));
  if (!object) return [];
  const required = new Set((object.required as string[] | undefined) ?? []);
  const fields: Field[] = [];
  for (const [name, value] of Object.entries(object.properties as Record<string, Json>)) {
    const full = `${prefix}${name}`;
    fields.push({
      name: full,
      type: typeName(value),
      required: required.has(name) && value.default === undefined,
      rules: rulesOf(value),
      description: String(value.description ?? members(value).inner.find((m) => m.description)?.description ?? ""),
      values: valuesOf(value),
    });
    fields.push(...fieldsOf(value, `${full}${members(value).inner.some((m) => m.type === "array") ? "[]" : ""}.`));
  }
  return fields;
}

function fieldTable(fields: Field[], withRequired = true): string {
  const head = withRequired ? "| field | type | required | rules | what |\n| --- | --- | --- | --- | --- |" : "| field | type | what |\n| --- | --- | --- |";
  const rows = fields.map((f) =>
    withRequired
      ? `| ${code(f.name)} | ${cell(f.type)} | ${f.required ? "yes" : "no"} | ${cell(f.rules)} | ${cell(f.description)} |`
      : `| ${code(f.name)} | ${cell(f.type)} | ${cell([f.description, f.values].filter(Boolean).join(". "))} |`,
  );
  return [head, ...rows].join("\n");
}

const schemaNames = new Map<unknown, string>(Object.entries(NAMED_SCHEMAS).map(([name, schema]) => [schema, name]));
const anchor = (name: string) => name.toLowerCase();

function credentialsOf(operation: OperationDefinition): string {
  const c = operation.credentials;
  if (c.length === 0) return operation.verbatimBody ? "none (GitHub's signature)" : "none";
  if (c.includes("api_key") && c.includes("session")) return "an API key or the session";
  return c.includes("session") ? "**the session only** (an API key gets `403`)" : "an API key";
}

function operationSection(id: string, operation: OperationDefinition, shapes: Set<string>): string {
  const out: string[] = [];
  out.push(`<a id="${id}"></a>`, "", `#### ${operation.summary} — \`${operation.method} ${operation.path}\``, "");
  const scope = operation.credentials.includes("api_key") ? (operation.scope ? code(operation.scope) : "none needed") : "—";
  out.push(`${code(id)} · credentials: ${credentialsOf(operation)} · a key's scope: ${scope}${operation.mintsCredential ? " · mints a credential (the session is confirmed with Supabase Auth; `aal2` when the user has a second factor)" : ""}`, "");
  if (operation.description) out.push(operation.description, "");
  if (operation.params) out.push("Path parameters:", "", fieldTable(fieldsOf(jsonSchema(operation.params, "input"))), "");
  if (operation.query) out.push("Query:", "", fieldTable(fieldsOf(jsonSchema(operation.query, "output"))), "");
  if (operation.body) {
    const body = jsonSchema(operation.body, "input");
    const name = schemaNames.get(operation.body);
    out.push(`Body${name ? ` (${code(name)})` : ""}: ${operation.bodyDescription ?? ""}${body.type === "array" ? ` A JSON array, ${rulesOf(body)}, of:` : ""}`.trim(), "");
    out.push(fieldTable(fieldsOf(body)), "");
  }
  out.push("```sh", curlSample(operation), "```", "", "```js", sdkSample(id, operation), "```", "");
  const response = operation.response;
  if (response.envelope === "none") out.push(`Answer: \`${response.status}\`, ${response.description.replace(/^./, (c) => c.toLowerCase())}, as plain JSON (not in the \`{data}\` envelope).`, "");
  else {
    const name = schemaNames.get(response.schema);
    if (name) shapes.add(name);
    const shape = name ? `[${code(name)}](#${anchor(name)})` : "";
    const envelope = response.envelope === "page" ? `\`{data: [${name ?? "…"}, …], meta}\`` : `\`{data: ${name ?? "…"}}\``;
    out.push(`Answer: \`${response.status}\`, ${response.description.replace(/^./, (c) => c.toLowerCase())}: ${envelope}${shape ? ` (${shape})` : ""}.`, "");
    if (response.example !== undefined) {
      const body = response.envelope === "page" ? { data: response.example, meta: { page: 1, per_page: 20, total: 1 } } : { data: response.example };
      out.push("```json", compactJson(body), "```", "");
    }
  }
  const errors = errorCodesOf(operation).map((c) => `\`${ERROR_STATUS[c]} ${c}\``);
  // An OAuth token endpoint refuses in RFC 6749's shape, outside the envelope.
  const oauth = operation.oauth ? `\`400\` in RFC 6749's shape (\`{error, error_description}\`: ${OAUTH_ERRORS.map((c) => `\`${c}\``).join(", ")}); ` : "";
  out.push(`Errors: ${oauth}${errors.join(", ")} ([Error codes](#error-codes)).`, "");
  return out.join("\n");
}

/** The generated part, markers excluded. */
export function renderReference(): string {
  const entries = Object.entries(operations as Record<string, OperationDefinition>);
  const out: string[] = [
    "<!-- Generated by scripts/generate-api-docs.ts from lib/contract; do not edit by hand: change the contract and run `npm run generate:docs`. -->",
    "",
    "## Reference",
    "",
    "Every operation, from the contract. `{id}` is always a UUID (anything else is `400 validation_error` naming `id`).",
    "",
    "| operation | method and path | what | credentials | a key's scope | success |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const [id, op] of entries) {
    const credentials = op.credentials.length === 0 ? "none" : op.credentials.length === 2 ? "key or session" : op.credentials.includes("session") ? "**session only**" : "key";
    const scope = op.credentials.includes("api_key") ? (op.scope ? code(op.scope) : "none needed") : "—";
    out.push(`| [${code(id)}](#${id}) | \`${op.method} ${op.path}\` | ${cell(op.summary)} | ${credentials} | ${scope} | ${op.response.status} |`);
  }
  out.push("");
  const shapes = new Set<string>();
  const tags = [...new Set(entries.map(([, op]) => op.tag))];
  for (const tag of tags) {
    out.push(`### ${tag}`, "");
    for (const [id, op] of entries.filter(([, op]) => op.tag === tag)) out.push(operationSection(id, op, shapes));
  }
  out.push("### Shapes", "", "The answers' objects, field by field (what the server sends: every field is always there, `null` when unset).", "");
  for (const name of [...shapes].sort()) {
    const schema = NAMED_SCHEMAS[name as keyof typeof NAMED_SCHEMAS];
    out.push(`<a id="${anchor(name)}"></a>`, "", `#### ${name}`, "", fieldTable(fieldsOf(jsonSchema(schema, "output")), false), "");
  }
  return out.join("\n").replace(/\n+$/, "\n");
}

/** `text` with its generated part made current. */
export function render(text: string): string {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/API.md: the markers ${START} … ${END} are missing`);
  return `${text.slice(0, start + START.length)}\n${renderReference()}${text.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const old = readFileSync(API_MD, "utf8");
  const text = render(old);
  if (old === text) console.log(`${API_MD} is up to date`);
  else {
    writeFileSync(API_MD, text);
    console.log(`wrote ${API_MD}`);
  }
}
