// Edge values of a zod schema, derived from the schema itself: for every field, the
// smallest and largest numbers and date-times it accepts, its shortest and longest strings
// in each class of characters (letters, digits, punctuation, quotes, CJK, right-to-left,
// combining marks, astral emoji, whitespace inside…), every enum value, the fewest and most
// items of a list. Candidates come from the schema's own hints (zod's JSON Schema: lengths,
// bounds, formats) and are kept only when the schema accepts them, so every value returned
// is one a client may send. An object's edges vary one field at a time on top of its
// smallest valid value. Pure: no I/O (tests/support/contract-edges.ts sends them).
import { randomUUID } from "node:crypto";

import fc from "fast-check";
import { z } from "zod";

import { EARLIEST_DAY, LATEST_INSTANT } from "../../lib/contract/dates.ts";

export type Edge = { label: string; value: unknown };

// zod 4's definitions, as far as this walk reads them.
type Def = {
  type: string;
  format?: string;
  innerType?: Schema;
  in?: Schema;
  out?: Schema;
  element?: Schema;
  shape?: Record<string, Schema>;
  options?: Schema[];
  entries?: Record<string, string>;
  values?: unknown[];
};
type Schema = z.ZodType & { _zod: { def: Def } };
const defOf = (schema: z.ZodType) => (schema as Schema)._zod.def;

const accepts = (schema: z.ZodType) => (value: unknown) => schema.safeParse(value).success;

function hints(schema: z.ZodType): Record<string, unknown> {
  try {
    return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Units of text, one class of characters each; repeated to a length. */
export const TEXT_CLASSES: Record<string, string> = {
  "ascii letters": "abcXYZ",
  digits: "0123456789",
  punctuation: "-_.~!@#$%^&*()[]{}<>?/|+=,:;",
  "quotes and backslashes": `'"\`\\`,
  "SQL and LIKE wildcards": "%_'; --",
  "words with spaces": "lorem ipsum ",
  latin1: "éßñøÆ",
  cjk: "中文字",
  "right-to-left": "שלום مرحبا",
  "combining marks": "e\u0301a\u0308",
  "astral emoji": "😀🚀",
  "zwj emoji": "👩‍👩‍👧",
  "no-break space inside": "a\u00a0b",
  "direction marks": "a\u200eb\u200f",
  "tabs and newlines": "a\tb\nc\r\n",
  "json escapes": "\\u0000\\n\"",
};

/** `unit` repeated to `length` UTF-16 units, never splitting a surrogate pair. */
export function repeatTo(unit: string, length: number): string {
  let out = "";
  while (out.length < length) {
    for (const char of unit) {
      if (out.length + char.length > length) return out;
      out += char;
    }
  }
  return out;
}

/** The largest n in [lo, hi] with ok(n), assuming ok holds below some bound and not above; null if ok(lo) fails. */
function largest(lo: number, hi: number, ok: (n: number) => boolean): number | null {
  if (!ok(lo)) return null;
  while (lo < hi) {
    const mid = Math.floor((lo + hi + 1) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const MAX_SEARCHED_LENGTH = 1 << 20;

function stringEdges(schema: z.ZodType, accept: (value: unknown) => boolean): Edge[] {
  const def = defOf(schema);
  const h = hints(schema);
  const edges: Edge[] = [];
  const add = (label: string, value: unknown) => {
    if (accept(value) && !edges.some((e) => e.value === value)) edges.push({ label, value });
  };
  if (def.format === "datetime" || h.format === "date-time") {
    for (const [label, value] of dateTimeCandidates()) add(label, value);
    return edges;
  }
  if (def.format === "guid" || def.format === "uuid") {
    add("all zeros", "00000000-0000-0000-0000-000000000000");
    add("all f", "ffffffff-ffff-ffff-ffff-ffffffffffff");
    add("upper case", "FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF");
    add("random", randomUUID());
    return edges;
  }
  const pattern = typeof h.pattern === "string" ? h.pattern : "";
  const digits = /^\^\\d\{\d+,(\d+)\}\$$/.exec(pattern);
  if (digits) {
    // A whole number sent as a string: the smallest, the largest the schema takes, zero-padded.
    const width = Number(digits[1]);
    const top = largest(1, 10 ** width - 1, (n) => accept(String(n)));
    for (const n of [0, 1, top ?? 1]) add(`number ${n}`, String(n));
    add("zero-padded 1", "1".padStart(width, "0"));
    if (top !== null) add(`zero-padded ${top}`, String(top).padStart(width, "0"));
    return edges;
  }
  const maxLength = typeof h.maxLength === "number" ? h.maxLength : MAX_SEARCHED_LENGTH;
  for (const [name, unit] of Object.entries(TEXT_CLASSES)) {
    const shortest = [...unit].find((char) => accept(char));
    if (shortest !== undefined) add(`shortest ${name}`, shortest);
    const length = largest(1, maxLength, (n) => accept(repeatTo(unit, n)));
    if (length !== null) add(`longest ${name} (${length})`, repeatTo(unit, length));
  }
  return edges;
}

/** Date-times around the contract's range and its horizons, in each form: Z, ±14:00, nanoseconds. */
function dateTimeCandidates(): [string, string][] {
  const forms = (label: string, ms: number): [string, string][] => {
    const iso = new Date(ms).toISOString();
    const shifted = (hours: number) => {
      const local = new Date(ms + hours * 3_600_000).toISOString().slice(0, 23);
      return `${local}${hours < 0 ? "-" : "+"}${String(Math.abs(hours)).padStart(2, "0")}:00`;
    };
    return [
      [`${label} Z`, iso],
      [`${label} +14:00`, shifted(14)],
      [`${label} -14:00`, shifted(-14)],
      [`${label} nanoseconds`, `${iso.slice(0, 23)}999999Z`],
      [`${label} seconds only`, `${iso.slice(0, 19)}Z`],
    ];
  };
  const now = Date.now();
  const tenYears = new Date(now);
  tenYears.setUTCFullYear(tenYears.getUTCFullYear() + 10);
  // The widest the ISO 8601 pattern itself allows (year 0000, 9999 at -23:59, offsets of
  // ±23:59, any number of fractional digits): a schema that does not bound them sends them on.
  const extremes: [string, string][] = [
    ["year 0000", "0000-01-01T00:00:00Z"],
    ["year 0001", "0001-01-01T00:00:00Z"],
    ["just before 1970", "1969-12-31T23:59:59.999Z"],
    ["year 0000 at +23:59", "0000-01-01T00:00:00+23:59"],
    ["year 9999 Z", "9999-12-31T23:59:59Z"],
    ["year 9999 at -14:00", "9999-12-31T23:59:59-14:00"],
    ["year 9999 at -23:59", "9999-12-31T23:59:59.999999999-23:59"],
    ["an offset of +23:59", "2030-06-15T12:00:00+23:59"],
    ["an offset of -15:00", "2030-06-15T12:00:00-15:00"],
    ["thirty fractional digits", `2030-06-15T12:00:00.${"9".repeat(30)}Z`],
  ];
  return [
    ...extremes,
    ...forms("earliest", Date.parse(`${EARLIEST_DAY}T00:00:00Z`)),
    ["the first day at +14:00", `${EARLIEST_DAY}T00:00:00+14:00`],
    ["the last day at -14:00", "9999-12-31T23:59:59.999999999-14:00"],
    ...forms("latest", Date.parse(LATEST_INSTANT)),
    ...forms("a leap day", Date.parse("2028-02-29T12:00:00Z")),
    ...forms("a minute from now", now + 60_000),
    ...forms("ten years from now less a day", tenYears.getTime() - 86_400_000),
    ...forms("ten years from now", tenYears.getTime() - 60_000),
  ];
}

function numberEdges(schema: z.ZodType, accept: (value: unknown) => boolean): Edge[] {
  const h = hints(schema);
  const candidates = [h.minimum, h.maximum, h.exclusiveMinimum, h.exclusiveMaximum, 0, 1, -1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]
    .filter((n): n is number => typeof n === "number");
  return [...new Set(candidates)].filter(accept).map((n) => ({ label: `number ${n}`, value: n }));
}

/** The smallest value the schema accepts (undefined: leave the field out). */
export function smallest(schema: z.ZodType): unknown {
  const def = defOf(schema);
  if (def.type === "optional" || def.type === "default") return undefined;
  if (def.type === "object") {
    const value: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(def.shape!)) {
      const v = smallest(field);
      if (v !== undefined) value[key] = v;
    }
    return value;
  }
  const edges = edgeValues(schema, 0);
  const scalar = edges.find((e) => typeof e.value !== "object" || e.value === null);
  return (scalar ?? edges[0])?.value;
}

/** Every edge value of `schema` (each accepted by it), with a label saying which edge. */
export function edgeValues(schema: z.ZodType, depth = 2, accept: (value: unknown) => boolean = accepts(schema)): Edge[] {
  const def = defOf(schema);
  switch (def.type) {
    case "optional":
    case "default":
      return edgeValues(def.innerType!, depth, accept);
    case "nullable":
      return [...(accept(null) ? [{ label: "null", value: null }] : []), ...edgeValues(def.innerType!, depth, accept)];
    case "pipe":
      return edgeValues(def.in!, depth, accept);
    case "string":
      return stringEdges(schema, accept);
    case "number":
    case "int":
      return numberEdges(schema, accept);
    case "boolean":
      return [true, false].filter(accept).map((value) => ({ label: String(value), value }));
    case "enum":
      return Object.values(def.entries!).filter(accept).map((value) => ({ label: value, value }));
    case "literal":
      return def.values!.filter(accept).map((value) => ({ label: String(value), value }));
    case "union":
      return def.options!.flatMap((option) => edgeValues(option, depth, accept));
    case "array": {
      const h = hints(schema);
      const element = def.element!;
      const items = depth > 0 ? edgeValues(element, depth - 1) : [];
      const least = smallest(element);
      const minItems = typeof h.minItems === "number" ? h.minItems : 0;
      const maxItems = typeof h.maxItems === "number" ? h.maxItems : 100;
      const pad = (first: unknown, count: number) => [first, ...Array.from({ length: Math.max(0, count - 1) }, () => least)];
      const candidates: Edge[] = [{ label: "no items", value: [] }, { label: `${Math.max(minItems, 1)} smallest`, value: pad(least, Math.max(minItems, 1)) }];
      for (const item of items) candidates.push({ label: `[${item.label}]`, value: pad(item.value, Math.max(minItems, 1)) });
      candidates.push({ label: `${maxItems} smallest`, value: Array.from({ length: maxItems }, () => least) });
      const distinct = [...new Map(items.map((item) => [JSON.stringify(item.value), item.value])).values()];
      candidates.push({ label: `every distinct item (${distinct.length})`, value: distinct.slice(0, maxItems) });
      for (const item of items.filter((i) => /^longest/.test(i.label)).slice(0, 3)) {
        candidates.push({ label: `${maxItems} × ${item.label}`, value: Array.from({ length: maxItems }, () => item.value) });
      }
      return candidates.filter((c) => accept(c.value));
    }
    case "object": {
      const base = smallest(schema) as Record<string, unknown>;
      const out: Edge[] = accept(base) ? [{ label: "smallest", value: base }] : [];
      for (const [key, field] of Object.entries(def.shape!)) {
        for (const edge of edgeValues(field, depth)) {
          const value = { ...base, [key]: edge.value };
          if (accept(value)) out.push({ label: `${key}: ${edge.label}`, value });
        }
      }
      return out;
    }
    default:
      return [];
  }
}

/**
 * Random values of each free-text field of an object schema (a string with no format and no
 * digits-only pattern, at any depth of nested objects), from the whole of Unicode, kept
 * when the field's schema accepts them: `count` per field, reproducible from `seed`. Each
 * is returned as the whole object, the other fields at their smallest.
 */
export function randomTextValues(schema: z.ZodType, count: number, seed: number): Edge[] {
  const def = defOf(schema);
  if (def.type !== "object") return [];
  const base = smallest(schema) as Record<string, unknown>;
  const out: Edge[] = [];
  for (const [key, field] of Object.entries(def.shape!)) {
    let inner = field;
    while (["optional", "nullable", "default"].includes(defOf(inner).type)) inner = defOf(inner).innerType!;
    if (defOf(inner).type === "object") {
      for (const nested of randomTextValues(inner, count, seed)) out.push({ label: `${key}: ${nested.label}`, value: { ...base, [key]: nested.value } });
      continue;
    }
    const h = hints(inner);
    if (defOf(inner).type !== "string" || defOf(inner).format || h.pattern && /\\d/.test(String(h.pattern))) continue;
    const maxLength = Math.min(typeof h.maxLength === "number" ? h.maxLength : 200, 200);
    const ok = accepts(field);
    // Drawn unfiltered and then kept when accepted, at most `count`: a field whose pattern no
    // random text matches (a device code's alphabet and length) gets none, instead of a
    // filter that never finds one.
    const values = fc.sample(fc.string({ unit: "binary", minLength: 1, maxLength }), { numRuns: count * 20, seed }).filter(ok).slice(0, count);
    values.forEach((value, i) => out.push({ label: `${key}: random #${i}`, value: { ...base, [key]: value } }));
  }
  return out.filter((edge) => accepts(schema)(edge.value));
}
