// Every repository path a comment or a doc names must exist, so a reader who follows one
// lands on a file rather than on a guess. Pure: reads the tracked files, nothing else.
//
// What counts as a path: a token that starts with a top-level folder of the repository
// (`lib/`, `tests/`, …, `@/lib/` too) or is a top-level file name (`proxy.ts`, …), found in a
// comment of a source file or anywhere in a checked doc. It may end in `/`, be followed by
// `:line` or a markdown `#anchor`, and may leave out `.ts`/`.tsx`/`/index.ts` as an import does.
// Tokens with `*`, `<…>`, `{…}` or `…` are patterns: they pass when some tracked file matches.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..", "..");

/** Named paths that are not in the repository on purpose. */
const ALLOWED_MISSING: { prefix: string; why: string }[] = [
  { prefix: "cli/dist", why: "the CLI's build output (npm run build:cli), ignored by git" },
  { prefix: "sdk/dist", why: "the SDK's build output, ignored by git" },
  { prefix: "cli/bin/tt", why: "the CLI's built entry point, written by npm run build:cli" },
  // These never start a token today (git tracks nothing under them, so they are not top-level
  // folders here); listed so that a tracked file under one does not turn every mention into a failure.
  { prefix: ".stack", why: "the local stack's state (npm run stack:*), outside git" },
  { prefix: ".next", why: "Next.js's build output" },
  { prefix: "node_modules", why: "installed packages" },
  { prefix: "test-results", why: "test and bench reports written by the runs" },
];
// Not paths of ours and never read as paths, because something path-like comes right before
// the folder name: URLs (https://…/lib/…), package paths (next/dist/…, node_modules/…/lib/…),
// home-directory paths (~/.config/…).

const CODE = /\.(ts|tsx|mjs|cjs)$/;
const HASH_COMMENTS = /\.(py|sh)$/;
const SQL = /\.sql$/;
const DOCS = (file: string) => ["README.md", "sdk/README.md", "cli/README.md", "auth-server/README.md"].includes(file) || /^docs\/[^/]+\.md$/.test(file);

const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" })
  .split("\0")
  .filter((file) => file && existsSync(join(root, file)));
const trackedSet = new Set(tracked);
const topDirs = [...new Set(tracked.filter((file) => file.includes("/")).map((file) => file.slice(0, file.indexOf("/"))))];
const topFiles = tracked.filter((file) => !file.includes("/"));

type Comment = { text: string; offset: number };

function codeComments(file: string, text: string): Comment[] {
  const kind = file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind);
  const seen = new Map<number, Comment>();
  const add = (ranges: ts.CommentRange[] | undefined) => {
    for (const range of ranges ?? []) seen.set(range.pos, { text: text.slice(range.pos, range.end), offset: range.pos });
  };
  const visit = (node: ts.Node) => {
    add(ts.getLeadingCommentRanges(text, node.pos));
    add(ts.getTrailingCommentRanges(text, node.end));
    for (const child of node.getChildren(source)) visit(child);
  };
  visit(source);
  add(ts.getLeadingCommentRanges(text, 0));
  return [...seen.values()];
}

/** `--` (SQL) or `#` (Python, shell) to the end of the line, outside quotes; SQL block comments too. */
function lineComments(text: string, marker: "--" | "#"): Comment[] {
  const out: Comment[] = [];
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === "\n" && quote !== "'") quote = null;
      continue;
    }
    if (c === "'" || (marker === "#" && c === '"')) quote = c;
    else if (marker === "--" && text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out.push({ text: text.slice(i, stop), offset: i });
      i = stop - 1;
    } else if (text.startsWith(marker, i) && (marker === "--" || i === 0 || /\s/.test(text.charAt(i - 1)))) {
      const end = text.indexOf("\n", i);
      const stop = end < 0 ? text.length : end;
      out.push({ text: text.slice(i, stop), offset: i });
      i = stop;
    }
  }
  return out;
}

function escape(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

const startsWith = [...topDirs.map((dir) => `${escape(dir)}/`), ...topFiles.map((file) => `${escape(file)}(?![\\w.-])`)].join("|");
// Not inside a longer path, a URL or a package path: nothing path-like just before it.
const TOKEN = new RegExp(`(?<![\\w.~$@/\\\\-])(?:@/)?(?:${startsWith})(?:[\\w.\\-/*…+\\[\\]]|<[\\w.\\-]*>|\\{[^}\\s]*\\})*`, "g");

function globToRegExp(pattern: string) {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === "*" && pattern[i + 1] === "*") {
      out += ".*";
      i++;
    } else if (c === "*" || c === "…") out += "[^/]*";
    else if (c === "<") {
      const end = pattern.indexOf(">", i);
      out += "[^/]+";
      i = end;
    } else if (c === "{") {
      const end = pattern.indexOf("}", i);
      out += `(?:${pattern.slice(i + 1, end).split(",").map(escape).join("|")})`;
      i = end;
    } else out += escape(c);
  }
  return new RegExp(`^${out}(?:/.*)?$`);
}

function exists(path: string): boolean {
  if (/[*<{…]/.test(path)) {
    const re = globToRegExp(path.replace(/\/$/, ""));
    return tracked.some((file) => re.test(file));
  }
  const bare = path.replace(/\/$/, "");
  if (trackedSet.has(bare)) return true;
  for (const suffix of [".ts", ".tsx", ".mjs", "/index.ts", "/index.tsx"]) if (trackedSet.has(bare + suffix)) return true;
  // A folder counts when git tracks something inside it.
  return tracked.some((file) => file.startsWith(`${bare}/`));
}

function clean(token: string) {
  let path = token.replace(/^@\//, "");
  // Sentence punctuation and markdown around the token is not part of it.
  for (;;) {
    const next = path.replace(/[.,;:]+$/, "").replace(/\]$/, (m) => (path.includes("[") ? m : ""));
    if (next === path) break;
    path = next;
  }
  return path;
}

function pathsIn(text: string) {
  return [...text.matchAll(TOKEN)].map((match) => ({ path: clean(match[0]), index: match.index }));
}

function lineOf(text: string, offset: number) {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function scan() {
  const found: { where: string; path: string }[] = [];
  for (const file of tracked) {
    let comments: Comment[];
    if (!(CODE.test(file) || SQL.test(file) || HASH_COMMENTS.test(file) || DOCS(file))) continue;
    const text = readFileSync(join(root, file), "utf8");
    if (CODE.test(file)) comments = codeComments(file, text);
    else if (SQL.test(file)) comments = lineComments(text, "--");
    else if (HASH_COMMENTS.test(file)) comments = lineComments(text, "#");
    else comments = [{ text, offset: 0 }];
    for (const comment of comments) {
      for (const { path, index } of pathsIn(comment.text)) found.push({ where: `${file}:${lineOf(text, comment.offset + index)}`, path });
    }
  }
  return found;
}

describe("repository paths named in comments and docs", () => {
  const found = scan();

  it("reads a path with its suffixes and patterns, and leaves URLs and package paths alone", () => {
    const text =
      "see lib/db.ts:12, `@/lib/env` and [the API](docs/API.md#errors). Also tests/e2e/*.spec.ts and " +
      "supabase/migrations/<timestamp>_<name>.sql; not https://example.com/lib/x.ts, next/dist/server/base-server.js, " +
      "node_modules/x/lib/y.js, ~/.config/tt/credentials or .stack/lib/z.";
    expect(pathsIn(text).map(({ path }) => path)).toEqual([
      "lib/db.ts",
      "lib/env",
      "docs/API.md",
      "tests/e2e/*.spec.ts",
      "supabase/migrations/<timestamp>_<name>.sql",
    ]);
    expect(pathsIn(text).every(({ path }) => exists(path))).toBe(true);
    expect(exists("lib/no-such-file.ts")).toBe(false);
    expect(exists("tests/e2e/*.nothing.ts")).toBe(false);
  });

  it("finds the paths it is meant to check", () => {
    expect(found.length).toBeGreaterThan(100);
  });

  it("names only paths that exist", () => {
    const missing = found
      .filter(({ path }) => !ALLOWED_MISSING.some(({ prefix }) => path === prefix || path.startsWith(`${prefix}/`)))
      .filter(({ path }) => !exists(path))
      .map(({ where, path }) => `${where}: ${path}`);
    expect(missing, `${found.length} paths checked; missing:\n${missing.join("\n")}`).toEqual([]);
  });
});
