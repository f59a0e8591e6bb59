// The text rules every field of the API applies (lib/contract/text.ts): control characters,
// bidirectional formatting, and names that show nothing.
import { describe, expect, it } from "vitest";

import { plainText } from "../../lib/contract/text";

const name = plainText({ max: 100, singleLine: true });
const prose = plainText({ max: 1000 });
const kept = plainText({ max: 1000, trim: false });
const ok = (schema: typeof name, text: string) => schema.safeParse(text).success;

describe("plainText", () => {
  it("refuses C0 and C1 control characters and DEL everywhere; multi-line text keeps tab and line breaks", () => {
    for (const c of ["\u0000", "\u001b", "\u007f", "\u0080", "\u0085", "\u009b", "\u009f"]) {
      expect(ok(name, `a${c}b`), JSON.stringify(c)).toBe(false);
      expect(ok(prose, `a${c}b`), JSON.stringify(c)).toBe(false);
      expect(ok(kept, `a${c}b`), JSON.stringify(c)).toBe(false);
    }
    expect(ok(prose, "a\tb\r\nc")).toBe(true);
    expect(ok(name, "a\tb")).toBe(false);
    expect(ok(name, "\u00a0a\u00a0")).toBe(true); // U+00A0 is whitespace, not C1: trimmed
  });

  it("refuses bidirectional embeddings, overrides and isolates everywhere, and direction marks in names", () => {
    for (const c of ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]) {
      expect(ok(name, `a${c}b`), c.codePointAt(0)!.toString(16)).toBe(false);
      expect(ok(prose, `a${c}b`), c.codePointAt(0)!.toString(16)).toBe(false);
      expect(ok(kept, `a${c}b`), c.codePointAt(0)!.toString(16)).toBe(false);
    }
    for (const c of ["\u200e", "\u200f", "\u061c"]) {
      expect(ok(name, `a${c}b`)).toBe(false);
      expect(ok(prose, `\u05e9\u05dc\u05d5\u05dd${c} 2026`)).toBe(true);
    }
  });

  it("refuses names made only of invisible characters, but keeps them inside a visible name", () => {
    for (const text of ["\u200b", "\u200b\u200c\u200d", "\u2060", "\ufeff\u200b", "\u00ad", "\u3164", "\ufe0f", " \u200b "]) {
      expect(ok(name, text), JSON.stringify(text)).toBe(false);
    }
    expect(ok(name, "👩\u200d💻 laptop")).toBe(true);
    expect(ok(name, "❤\ufe0f")).toBe(true);
    expect(name.parse("  prod  ")).toBe("prod");
    // Multi-line text is not a name: a zero-width space alone is its business.
    expect(ok(prose, "\u200b")).toBe(true);
  });

  it("names the problem", () => {
    const issues = name.safeParse("x\u202ey").error!.issues.map((i) => i.message);
    expect(issues).toEqual(["must not contain control characters, line breaks or bidirectional formatting characters"]);
    expect(name.safeParse("\u200b").error!.issues.map((i) => i.message)).toEqual(["must contain a visible character"]);
    expect(name.safeParse("   ").error!.issues.map((i) => i.message)).toEqual(["must not be empty"]);
  });
});
