// The CLI's pure output rules: which columns a table keeps at a width, how a note wraps,
// when colour is allowed. (tests/cli checks the same in real terminals, end to end.)
import { describe, expect, it } from "vitest";

import { colourFor, fitColumns, outputWidth, toJson, wrap } from "../../cli/src/output";

const tty = (columns: number) => ({ isTTY: true, columns }) as unknown as NodeJS.WriteStream;
const pipe = { isTTY: false } as unknown as NodeJS.WriteStream;

describe("fitColumns", () => {
  const columns = [{ header: "ID" }, { header: "NAME", min: 6 }, { header: "WHEN", drop: 2 }, { header: "WHERE", drop: 1 }, { header: "STATUS" }];
  const natural = [36, 20, 16, 10, 6]; // + 4 gaps of 2 = 96

  it("keeps everything when it fits, or when there is no width (a pipe)", () => {
    expect(fitColumns(columns, natural, 96)).toEqual({ shown: [0, 1, 2, 3, 4], widths: natural });
    expect(fitColumns(columns, natural, undefined).shown).toEqual([0, 1, 2, 3, 4]);
  });

  it("cuts a column with a min only as far as needed", () => {
    expect(fitColumns(columns, natural, 90)).toEqual({ shown: [0, 1, 2, 3, 4], widths: [36, 14, 16, 10, 6] });
  });

  it("then leaves out the highest drop first, never a column without one", () => {
    expect(fitColumns(columns, natural, 80).shown).toEqual([0, 1, 3, 4]); // NAME at 6 (82 wide), then WHEN out
    expect(fitColumns(columns, natural, 60).shown).toEqual([0, 1, 4]);
    // Narrower than what must stay: printed as it is (the terminal wraps it).
    expect(fitColumns(columns, natural, 20)).toEqual({ shown: [0, 1, 4], widths: [36, 6, 16, 10, 6] });
  });

  it("never cuts a column below its header", () => {
    expect(fitColumns([{ header: "DESCRIPTION", min: 3 }], [40], 5).widths).toEqual([11]);
  });
});

describe("wrap", () => {
  it("breaks at spaces within the width; a longer word stays whole", () => {
    expect(wrap("(A, B left out to fit 20 columns)", 20)).toEqual(["(A, B left out to", "fit 20 columns)"]);
    expect(wrap("supercalifragilistic word", 10)).toEqual(["supercalifragilistic", "word"]);
    expect(wrap("no width, one line", undefined)).toEqual(["no width, one line"]);
  });
});

describe("outputWidth and colourFor", () => {
  it("a terminal's width; $COLUMNS for a pipe; none otherwise", () => {
    expect(outputWidth(tty(120), {})).toBe(120);
    expect(outputWidth(pipe, { COLUMNS: "90" })).toBe(90);
    expect(outputWidth(pipe, { COLUMNS: "wide" })).toBeUndefined();
    expect(outputWidth(pipe, {})).toBeUndefined();
  });

  it("colour on a terminal only, and not with NO_COLOR (non-empty) or TERM=dumb", () => {
    expect(colourFor(tty(80), {})).toBe(true);
    expect(colourFor(pipe, {})).toBe(false);
    expect(colourFor(tty(80), { NO_COLOR: "1" })).toBe(false);
    expect(colourFor(tty(80), { NO_COLOR: "" })).toBe(true);
    expect(colourFor(tty(80), { TERM: "dumb" })).toBe(false);
  });
});

describe("toJson", () => {
  it("escapes every C0 and C1 control and DEL, and parses back to the same value", () => {
    const value = { ua: `a${Array.from({ length: 0xa0 }, (_, c) => String.fromCharCode(c)).join("")}z`, n: 1 };
    const text = toJson(value);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain("\\u009b");
    expect(JSON.parse(text)).toEqual(value);
  });
});
