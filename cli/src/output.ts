// Everything the CLI prints goes through here: tables and detail views for people,
// JSON for scripts, warnings and errors on stderr. Keys only ever leave masked.
import { KEY_PREFIX, maskKey as maskedKey, redactKeys, SCOPES, type PageMeta } from "../../sdk/src/index.js";

/** The part of a key that is safe to show: its prefix, the key_prefix lists show. */
export function maskKey(key: string): string {
  return maskedKey(key) ?? `…(not a ${KEY_PREFIX} key; hidden)`;
}

// A full key anywhere in a message (an argument echoed back by a usage error, say) is
// cut to its prefix before it reaches the terminal.
export const redact = redactKeys;

// C0 and C1 control characters (ESC, CSI…) would let text from the server drive the
// terminal; tables and messages show them escaped instead.
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;
const escapeControl = (c: string) => {
  if (c === "\n") return "\\n";
  if (c === "\t") return "\\t";
  if (c === "\r") return "\\r";
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
};
/** One line of text from the server, safe for a terminal. */
export const clean = (text: string): string => text.replace(CONTROL, escapeControl);
/** Multi-line text: keeps line breaks and tabs, escapes the rest. */
export const cleanBlock = (text: string): string => text.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, escapeControl);

export function out(text = ""): void {
  process.stdout.write(`${text}\n`);
}

/**
 * Colour only for a person at a terminal: never when the stream is not a TTY (a pipe, a
 * file, a test), never with NO_COLOR set to anything but "" (no-color.org), never on a
 * TERM=dumb terminal. Scripts and logs get plain text whatever the environment says.
 */
export function colourFor(stream: NodeJS.WriteStream, env: Record<string, string | undefined> = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

const SGR = { bold: "1", red: "31", yellow: "33", boldRed: "1;31" } as const;
/** `text` in a colour when `stream` takes colour, else as it is. */
export const paint = (stream: NodeJS.WriteStream, style: keyof typeof SGR, text: string): string =>
  colourFor(stream) ? `\u001b[${SGR[style]}m${text}\u001b[0m` : text;

/** "error: …" as printed on stderr, its label red on a terminal. */
export const errorLine = (message: string): string => `${paint(process.stderr, "boldRed", "error:")} ${message}`;

export function warn(message: string): void {
  process.stderr.write(redact(`${paint(process.stderr, "yellow", "warning:")} ${message}\n`));
}

/** A line for the person at the terminal, on stderr (never stdout: scripts read that). */
export function note(message: string): void {
  process.stderr.write(redact(`${message}\n`));
}

export function debugLog(message: string): void {
  process.stderr.write(redact(`[debug] ${message}\n`));
}

/**
 * JSON for scripts, safe for a terminal too: JSON.stringify escapes C0 controls but leaves
 * DEL and the C1 controls (U+0080–U+009F, the 8-bit CSI among them) raw; they are written
 * as \u escapes here, which every JSON parser reads back as the same string.
 */
export const toJson = (value: unknown): string =>
  JSON.stringify(value, null, 2).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

export function printJson(value: unknown): void {
  process.stdout.write(`${toJson(value)}\n`);
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** `2026-01-15 10:00` in the local time zone; `ifNull` for a missing date. */
/** A key's scopes for a table or a status line: "all" when it has every one there is. */
export function describeScopes(scopes: readonly string[], all: readonly string[] = ALL_SCOPES): string {
  if (scopes.length === all.length && all.every((s) => scopes.includes(s))) return "all";
  return scopes.join(",");
}

// The contract's scopes, as the SDK carries them.
export const ALL_SCOPES: readonly string[] = SCOPES;

export function formatDate(iso: string | null | undefined, ifNull = "-"): string {
  if (!iso) return ifNull;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return clean(iso);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** Cuts a cell to `max` characters, ending in `…` when it was longer. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

export type Column<T> = {
  header: string;
  value: (row: T) => string;
  /** Longest cell, in characters; longer ones end in `…` (default 60). */
  max?: number;
  /** To fit the terminal, the column may be cut down to this width (not below its header's). */
  min?: number;
  /** To fit the terminal, the column may be left out: the highest number goes first. */
  drop?: number;
};

/**
 * The width tables must fit: the terminal's when stdout is one, else $COLUMNS when set
 * (what a script asks for), else none: piped output is never cut.
 */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout, env: Record<string, string | undefined> = process.env): number | undefined {
  if (stream.isTTY && stream.columns > 0) return stream.columns;
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : undefined;
}

const GAP = 2;

/**
 * Which columns to show, and how wide, to fit `width`: first the columns with a `min` are
 * cut (the one with the most room first), then those with a `drop` are left out (highest
 * first). What still does not fit is printed as it is, and the terminal wraps it.
 */
export function fitColumns(columns: Pick<Column<unknown>, "header" | "min" | "drop">[], natural: number[], width: number | undefined): { shown: number[]; widths: number[] } {
  const widths = [...natural];
  let shown = columns.map((_, i) => i);
  if (width === undefined) return { shown, widths };
  const total = () => shown.reduce((sum, i) => sum + (widths[i] ?? 0), 0) + GAP * (shown.length - 1);
  const floor = (i: number) => Math.max(columns[i]?.min ?? Infinity, columns[i]?.header.length ?? 0);
  while (total() > width) {
    const cuttable = shown.filter((i) => (widths[i] ?? 0) > floor(i)).sort((a, b) => (widths[b] ?? 0) - floor(b) - ((widths[a] ?? 0) - floor(a)));
    const first = cuttable[0];
    if (first !== undefined) {
      widths[first] = Math.max(floor(first), (widths[first] ?? 0) - (total() - width));
      continue;
    }
    const droppable = shown.filter((i) => columns[i]?.drop !== undefined).sort((a, b) => (columns[b]?.drop ?? 0) - (columns[a]?.drop ?? 0));
    if (droppable[0] === undefined) break;
    shown = shown.filter((i) => i !== droppable[0]);
  }
  return { shown, widths };
}

/**
 * Aligned columns, two spaces apart, headers in capitals (bold on a terminal), fitted to
 * the output's width (outputWidth), with a line naming the columns left out. Cells are
 * cleaned of control characters.
 */
export function table<T>(columns: Column<T>[], rows: T[], width = outputWidth()): string {
  const cells = rows.map((row) => columns.map((c) => truncate(clean(c.value(row)), c.max ?? 60)));
  const natural = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => [...(r[i] ?? "")].length)));
  const { shown, widths } = fitColumns(columns, natural, width);
  const line = (values: string[], style?: (text: string) => string) =>
    shown
      .map((i, n) => {
        const v = truncate(values[i] ?? "", widths[i] ?? 0);
        const padded = n === shown.length - 1 ? v : v + " ".repeat(Math.max(0, (widths[i] ?? 0) - [...v].length));
        return style ? style(padded) : padded;
      })
      .join(" ".repeat(GAP))
      .trimEnd();
  const lines = [line(columns.map((c) => c.header), (h) => paint(process.stdout, "bold", h)), ...cells.map((r) => line(r))];
  const hidden = columns.filter((_, i) => !shown.includes(i)).map((c) => c.header);
  if (hidden.length) lines.push(...wrap(`(${hidden.join(", ")} left out to fit ${width} columns; --json has every field)`, width));
  return lines.join("\n");
}

/** Lines of at most `width` characters, broken at spaces (a longer word stays whole). */
export function wrap(text: string, width: number | undefined): string[] {
  if (width === undefined) return [text];
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && [...line].length + 1 + [...word].length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line];
}

export type { PageMeta };

/** The line under a paginated table: `page 1 of 3 (total 42)`, and how to get the next one. */
export function pageFooter(meta: PageMeta, command: string): string {
  const pages = Math.max(1, Math.ceil(meta.total / meta.per_page));
  let text = `page ${meta.page} of ${pages} (total ${meta.total})`;
  if (meta.page < pages) text += ` — next: ${command} --page ${meta.page + 1}${meta.per_page !== 20 ? ` --per-page ${meta.per_page}` : ""}`;
  return text;
}
