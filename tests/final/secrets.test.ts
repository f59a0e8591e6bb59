// Run last, after every other suite (the `final` vitest project in scripts/test.ts): all
// those suites created, used, listed and revoked hundreds of API keys. None of them may
// have reached a log, a report or the database. A finding is reported by place, with the
// key masked — this test must not print what it looks for.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";

import { LOG_DIR, ROOT } from "../../scripts/stack/config.ts";
import { DATABASE_URL } from "../support/stack";

const FULL_KEY = /tt_[0-9A-Za-z]{49}(?![0-9A-Za-z])/g;
const TEXT = /\.(log|json|xml|txt|md|html|jsonl)$/;

function* files(dir: string): Generator<string> {
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) yield* files(path);
    else if (TEXT.test(name) && stat.size < 50 * 1024 * 1024) yield path;
  }
}

const masked = (text: string) => [...new Set(text.match(FULL_KEY) ?? [])].map((k) => `${k.slice(0, 11)}…`);

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

describe("secrets stay secret", () => {
  it("no full API key in the server, stack or test logs and reports", () => {
    const scanned: string[] = [];
    const found: string[] = [];
    for (const dir of [LOG_DIR as string, join(ROOT as string, "test-results")]) {
      for (const file of files(dir)) {
        scanned.push(file);
        const keys = masked(readFileSync(file, "utf8"));
        if (keys.length) found.push(`${file}: ${keys.join(", ")}`);
      }
    }
    console.log(`[secrets] scanned ${scanned.length} log and report files`);
    expect(scanned.some((f) => f.endsWith("next-test.log"))).toBe(true);
    expect(found).toEqual([]);
  });

  it("no full API key anywhere in the database", async () => {
    const tables = await sql<{ schema: string; name: string }[]>`
      select table_schema as schema, table_name as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema in ('public', 'auth', 'internal', 'supabase_migrations')`;
    expect(tables.map((t) => t.name)).toContain("api_keys");
    const found: string[] = [];
    let rows = 0;
    for (const { schema, name } of tables) {
      const [r] = await sql<{ total: number; hits: number }[]>`
        select count(*)::int as total, count(*) filter (where t::text ~ 'tt_[0-9A-Za-z]{49}')::int as hits
        from ${sql(schema)}.${sql(name)} as t`;
      rows += r?.total ?? 0;
      if (r?.hits) found.push(`${schema}.${name}: ${r.hits} rows`);
    }
    console.log(`[secrets] scanned ${rows} rows in ${tables.length} tables`);
    const [keys] = await sql<{ n: number }[]>`select count(*)::int as n from api_keys`;
    expect(keys?.n).toBeGreaterThan(0);
    expect(found).toEqual([]);
  });
});
