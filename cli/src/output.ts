// Everything the CLI prints goes through here: tables and detail views for people,
// JSON for scripts, warnings and errors on stderr. Keys only ever leave masked.
import type { PageMeta, Scope } from "../../lib/contract/index.js";

/** The part of a key that is safe to show: `tt_` + its first 8 characters, the key_prefix lists show. */
export function maskKey(key: string): string {
  const shown = /^tt_[0-9A-Za-z]{8}/.exec(key);
  return shown ? `${shown[0]}…` : "…(not a tt_ key; hidden)";
}

// A full key anywhere in a message (an argument echoed back by a usage error, say) is
// cut to its prefix before it reaches the terminal.
const FULL_KEY = /tt_([0-9A-Za-z]{8})[0-9A-Za-z]{35,}/g;
export const redact = (text: string): string => text.replace(FULL_KEY, "tt_$1…");

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

export function warn(message: string): void {
  process.stderr.write(redact(`warning: ${message}\n`));
}

export function debugLog(message: string): void {
  process.stderr.write(redact(`[debug] ${message}\n`));
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** `2026-01-15 10:00` in the local time zone; `ifNull` for a missing date. */
/** A key's scopes for a table or a status line: "all" when it has every one there is. */
export function describeScopes(scopes: readonly string[], all: readonly string[] = ALL_SCOPES): string {
  if (scopes.length === all.length && all.every((s) => scopes.includes(s))) return "all";
  return scopes.join(",");
}

// The contract's scopes (its scopes module). Only its types reach the CLI, so the list is
// checked against them at compile time instead: a scope added or renamed there breaks this.
const EVERY_SCOPE: Record<Scope, true> = { "specs:read": true, "specs:write": true, "keys:read": true, "keys:write": true };
const ALL_SCOPES = Object.keys(EVERY_SCOPE);

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

export type Column<T> = { header: string; value: (row: T) => string; max?: number };

/** Aligned columns, two spaces apart, headers in capitals. Cells are cleaned of control characters. */
export function table<T>(columns: Column<T>[], rows: T[]): string {
  const cells = rows.map((row) => columns.map((c) => truncate(clean(c.value(row)), c.max ?? 60)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => [...(r[i] ?? "")].length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v + " ".repeat((widths[i] ?? 0) - [...v].length)))
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join("\n");
}

export type { PageMeta };

/** The line under a paginated table: `page 1 of 3 (total 42)`, and how to get the next one. */
export function pageFooter(meta: PageMeta, command: string): string {
  const pages = Math.max(1, Math.ceil(meta.total / meta.per_page));
  let text = `page ${meta.page} of ${pages} (total ${meta.total})`;
  if (meta.page < pages) text += ` — next: ${command} --page ${meta.page + 1}${meta.per_page !== 20 ? ` --per-page ${meta.per_page}` : ""}`;
  return text;
}
