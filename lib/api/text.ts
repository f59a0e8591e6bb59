import { z } from "zod";

// No C0 control characters or DEL: they break terminals and logs and can hide text
// (and Postgres cannot store NUL at all). Multi-line fields keep tab, newline and
// carriage return. Written as patterns, not refinements, so the OpenAPI document
// tells clients the rule too.
const SINGLE_LINE = /^[^\u0000-\u001F\u007F]*$/;
const MULTI_LINE = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;
// JSON's "\ud800" escape yields a lone surrogate, which is not valid Unicode: jsonb
// rejects it (a 500 if it got that far) and text columns silently turn it into U+FFFD.
const WELL_FORMED = /^(?:[^\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;

type TextOptions = {
  max: number;
  singleLine?: boolean;
  /** Whitespace-only strings count as empty. */
  allowEmpty?: boolean;
  /** Trim surrounding whitespace (default). Off for text whose indentation matters, such as training examples. */
  trim?: boolean;
};

/** A string of 1..max characters (0..max with `allowEmpty`), valid Unicode, without control characters. */
export function plainText({ max, singleLine = false, allowEmpty = false, trim = true }: TextOptions) {
  const base = trim ? z.string().trim() : z.string();
  const sized = base.min(allowEmpty ? 0 : 1, { message: "must not be empty", abort: true });
  // Untrimmed text keeps its whitespace, but whitespace alone is still empty.
  return (trim || allowEmpty ? sized : sized.regex(/\S/, { message: "must not be blank" }))
    .max(max, { message: `must be at most ${max} characters` })
    .regex(singleLine ? SINGLE_LINE : MULTI_LINE, {
      message: singleLine ? "must not contain control characters or line breaks" : "must not contain control characters",
    })
    .regex(WELL_FORMED, { message: "must be valid Unicode (no unpaired surrogates)" });
}
