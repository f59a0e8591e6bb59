import { z } from "zod";

// No C0 control characters or DEL: they break terminals and logs and can hide text.
// Multi-line fields keep tab, newline and carriage return. Written as patterns (not
// refinements) so the OpenAPI document tells clients the rule too.
const SINGLE_LINE = /^[^\u0000-\u001F\u007F]*$/;
const MULTI_LINE = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;

/** A string, trimmed, of 1..max characters (0..max with `allowEmpty`), without control characters. */
export function plainText({ max, singleLine = false, allowEmpty = false }: { max: number; singleLine?: boolean; allowEmpty?: boolean }) {
  return z
    .string()
    .trim()
    .min(allowEmpty ? 0 : 1, { message: "must not be empty" })
    .max(max, { message: `must be at most ${max} characters` })
    .regex(singleLine ? SINGLE_LINE : MULTI_LINE, {
      message: singleLine ? "must not contain control characters or line breaks" : "must not contain control characters",
    });
}
