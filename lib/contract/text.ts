import { z } from "zod";

import "./jitless.ts";

// Every rule below is checked on the text as sent, before any trimming, and written as a
// pattern or length where it can be, so that the OpenAPI document (which can only describe
// what a client sends) states exactly what is accepted. Checked after trimming instead,
// `"\n"` was refused though the document allowed it, and 255 characters plus a space were
// accepted though it refused them (found by `npm run fuzz`).

// What String.prototype.trim() removes: ECMAScript's WhiteSpace and LineTerminator
// characters, spelled out rather than written \s, whose meaning differs between regex
// engines (Python's and Rust's do not count U+FEFF, for one), so that the patterns mean
// the same to every tool that reads the document.
const TRIMMABLE = String.raw`\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff`;
// Refused anywhere in the text:
// - C0 and C1 control characters and DEL: they break terminals and logs and can hide text
//   (C1's CSI, U+009B, drives a terminal like ESC [; Postgres cannot store NUL at all).
//   Multi-line fields keep tab, newline and carriage return.
// - Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they
//   reorder how the text around them is displayed, so what a reader sees is not what is
//   stored ("Trojan Source", CVE-2021-42574).
// - In single-line fields (names) also the invisible direction marks U+200E, U+200F and
//   U+061C: a name needs no formatting, and a mark makes two names that look the same differ.
//   Multi-line text keeps them: right-to-left prose uses them legitimately.
const C0 = String.raw`\u0000-\u001F`;
const C0_KEEPING_LINES = String.raw`\u0000-\u0008\u000B\u000C\u000E-\u001F`;
const DEL_C1 = String.raw`\u007F-\u009F`;
const BIDI_CONTROLS = String.raw`\u202A-\u202E\u2066-\u2069`;
const BIDI_MARKS = String.raw`\u061C\u200E\u200F`;
const CONTROL = { singleLine: `${C0}${DEL_C1}${BIDI_CONTROLS}${BIDI_MARKS}`, multiLine: `${C0_KEEPING_LINES}${DEL_C1}${BIDI_CONTROLS}` };
// Characters that draw nothing (Unicode's Default_Ignorable_Code_Point, the part of it in the
// Basic Multilingual Plane, which every regex engine can write): zero-width space, joiners, word
// joiner, BOM, soft hyphen, fillers, variation selectors. A name must have a character that is
// neither this nor whitespace, or it would show as nothing at all.
const INVISIBLE = String.raw`\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFF8`;
/**
 * No control characters, or, for text that is trimmed, none but in the whitespace that
 * trimming removes. The part that trimming keeps starts and ends with a character that is
 * not whitespace, and only it is followed by trailing whitespace, so there is one way to
 * match any text: matching is linear, even on a 1 MiB body of spaces and a control
 * character (a pattern with two optional runs of whitespace took quadratic time on that).
 */
function noControl(controls: string, trimmed: boolean) {
  if (!trimmed) return new RegExp(`^[^${controls}]*$`);
  const kept = `[^${controls}${TRIMMABLE}]`;
  return new RegExp(`^[${TRIMMABLE}]*(?:${kept}(?:[^${controls}]*${kept})?[${TRIMMABLE}]*)?$`);
}
// At least one character that trimming keeps: not empty, and not whitespace alone.
const NOT_BLANK = new RegExp(`[^${TRIMMABLE}]`);
// At least one character that shows: not whitespace or invisible characters alone.
const VISIBLE = new RegExp(`[^${TRIMMABLE}${INVISIBLE}]`);
// JSON's "\ud800" escape yields a lone surrogate, which is not valid Unicode: jsonb
// rejects it (a 500 if it got that far) and text columns silently turn it into U+FFFD.
// With the `u` flag a lone surrogate is a code point of category Cs and a valid pair is
// one astral code point, so this says "no unpaired surrogates". A refinement, not a
// pattern: the document describes strings of Unicode text, which a lone surrogate is not,
// and a surrogate pattern is one that tools outside JavaScript cannot use (Rust's regex
// engine, under validators such as jsonschema-rs, cannot write surrogates; Python's cannot
// write \p{…}), so Schemathesis could not generate values for the fields that carried it.
const WELL_FORMED = /^\P{Cs}*$/u;

type TextOptions = {
  max: number;
  singleLine?: boolean;
  /** Whitespace-only strings count as empty. */
  allowEmpty?: boolean;
  /** Trim surrounding whitespace (default). Off for text whose indentation matters, such as training examples. */
  trim?: boolean;
};

/**
 * A string of 1..max characters as sent (0..max with `allowEmpty`), valid Unicode, without
 * control characters (trimmed text may have them in the whitespace around it, which goes),
 * and not whitespace alone; trimmed unless `trim: false`.
 */
export function plainText({ max, singleLine = false, allowEmpty = false, trim = true }: TextOptions) {
  const checked = z
    .string()
    .min(allowEmpty ? 0 : 1, { message: "must not be empty", abort: true })
    .max(max, { message: `must be at most ${max} characters` })
    .regex(noControl(singleLine ? CONTROL.singleLine : CONTROL.multiLine, trim), {
      message: singleLine
        ? "must not contain control characters, line breaks or bidirectional formatting characters"
        : "must not contain control characters or bidirectional overrides",
    })
    .refine((value) => WELL_FORMED.test(value), { message: "must be valid Unicode (no unpaired surrogates)" });
  // Whitespace alone is empty once trimmed, and blank where the text is kept as sent.
  // Blank text is not also reported as invisible: one problem, one message.
  const nonBlank = allowEmpty ? checked : checked.regex(NOT_BLANK, { message: trim ? "must not be empty" : "must not be blank", abort: true });
  const shown = singleLine && !allowEmpty ? nonBlank.regex(VISIBLE, { message: "must contain a visible character" }) : nonBlank;
  return trim ? shown.trim() : shown;
}
