// The schema's promises, checked in the real database: Row Level Security on every
// table in `public`, nothing for `anon`, owners see only their own rows, and the
// CHECK constraints refuse what the API would refuse.
import { randomBytes } from "node:crypto";

import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { DATABASE_URL, newUser } from "../support/stack";

const sql = postgres(DATABASE_URL, { max: 2, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

const example = [{ input: "hi", output: "hello" }];

/** Runs `fn` as a Data API caller would be: role `authenticated` with these JWT claims. */
async function asUser<T>(userId: string, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  let result: T;
  await sql
    .begin(async (tx) => {
      await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: userId, role: "authenticated" })}, true)`;
      await tx`set local role authenticated`;
      result = await fn(tx);
      throw new Rollback();
    })
    .catch((e) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return result!;
}
class Rollback extends Error {}

/** The user's personal workspace, made with the account (tests/integration/organizations-rls.test.ts tests the rest). */
const workspace = async (userId: string): Promise<string> => {
  const [org] = await sql<{ id: string }[]>`select id from organizations where personal_for = ${userId}`;
  return org!.id;
};

describe("database schema", () => {
  it("has the expected tables, each with Row Level Security enabled", async () => {
    const tables = await sql<{ name: string; rls: boolean }[]>`
      select c.relname as name, c.relrowsecurity as rls
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')
      order by 1`;
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["api_keys", "behavior_specs"]));
    expect(tables.filter((t) => !t.rls)).toEqual([]);
  });

  it("has no policy that grants anon (or PUBLIC) anything", async () => {
    const policies = await sql`
      select tablename, policyname, roles from pg_policies
      where schemaname = 'public' and (roles && array['anon', 'public']::name[])`;
    expect(policies).toEqual([]);
    const anonGrants = await sql`
      select table_name, privilege_type from information_schema.role_table_grants
      where table_schema = 'public' and grantee = 'anon'`;
    expect(anonGrants).toEqual([]);
  });

  it("shows an authenticated user only their own specs and keys, and never a key hash", async () => {
    const [a, b] = await Promise.all([newUser("rls-a"), newUser("rls-b")]);
    await sql`insert into behavior_specs (organization_id, user_id, name, examples) values
      (${await workspace(a.user.id)}, ${a.user.id}, 'a spec', ${sql.json(example)}), (${await workspace(b.user.id)}, ${b.user.id}, 'b spec', ${sql.json(example)})`;
    const seen = await asUser(a.user.id, (tx) => tx`select name, user_id from behavior_specs`);
    expect(seen.map((r) => r.name)).toEqual(["a spec"]);

    const updated = await asUser(a.user.id, (tx) => tx`update behavior_specs set name = 'stolen' where user_id = ${b.user.id}`);
    expect(updated.count).toBe(0);

    await expect(asUser(a.user.id, (tx) => tx`select key_hash from api_keys`)).rejects.toThrow(/permission denied/);
  });

  it("gives anon no access to user data", async () => {
    await expect(
      sql.begin(async (tx) => {
        await tx`set local role anon`;
        return tx`select count(*) from behavior_specs`;
      }),
    ).rejects.toThrow(/permission denied/);
  });

  it("refuses rows that break the behaviour-spec limits", async () => {
    const { user } = await newUser("checks");
    const organization_id = await workspace(user.id);
    const insert = (fields: Record<string, unknown>) =>
      sql`insert into behavior_specs ${sql({ organization_id, user_id: user.id, name: "ok", examples: sql.json(example), ...fields } as never)}`;
    await expect(insert({ examples: sql.json([]) })).rejects.toThrow(/check constraint/);
    await expect(insert({ examples: sql.json([{ input: "x" }]) })).rejects.toThrow(/check constraint/);
    await expect(insert({ name: "" })).rejects.toThrow(/check constraint/);
    await expect(insert({ base_model: "gpt-5" })).rejects.toThrow(/check constraint/);
    await expect(insert({ guidelines: Array.from({ length: 51 }, () => "g") })).rejects.toThrow(/check constraint/);
    const [row] = await insert({}).then(() => sql`select base_model from behavior_specs where user_id = ${user.id}`);
    expect(row?.base_model).toBe("meta-llama/Llama-3.2-3B-Instruct");
  });

  it("refuses over-long and badly formed text in every text column, as the API does", async () => {
    const { user } = await newUser("text-checks");
    const organization_id = await workspace(user.id);
    const insert = (fields: Record<string, unknown>) =>
      sql`insert into behavior_specs ${sql({ organization_id, user_id: user.id, name: "ok", examples: sql.json(example), ...fields } as never)}`;
    const refused = [
      { description: "d".repeat(10_001) },
      { description: "" },
      { system_prompt: "s".repeat(50_001) },
      { guidelines: ["g".repeat(2_001)] },
      { constraints: ["ok", ""] },
      { examples: sql.json([{ input: "i".repeat(20_001), output: "o" }]) },
      { examples: sql.json([{ input: "i", output: "" }]) },
      // Control characters (C0, C1), bidirectional overrides, invisible-only names.
      { description: "bell\u0007" },
      { system_prompt: "csi\u009b2J" },
      { guidelines: ["looks \u202Edesrever"] },
      { constraints: ["\u2066isolate\u2069"] },
      { examples: sql.json([{ input: "i", output: "o\u0085" }]) },
      { name: "tab\tname" },
      { name: "name\u202E" },
      { name: "name\u200F" },
      { name: "\u200B\u200D\u2060" },
      { name: " \uFEFF " },
    ];
    for (const fields of refused) await expect(insert(fields), JSON.stringify(fields).slice(0, 80)).rejects.toThrow(/check constraint/);
    // What the API accepts, the database accepts: the longest texts, tabs and line breaks,
    // direction marks in prose, joiners inside a name.
    await insert({
      name: "👩\u200D💻 spec",
      description: "\u05E9\u05DC\u05D5\u05DD\u200F\n".padEnd(10_000, "d"),
      system_prompt: "s".repeat(50_000),
      guidelines: ["g".repeat(2_000), "tab\tand\r\nlines"],
      examples: sql.json([{ input: "i".repeat(20_000), output: "o" }]),
    });
    await expect(sql`insert into api_keys (organization_id, user_id, name, key_prefix, key_hash, scopes)
      values (${organization_id}, ${user.id}, ${"key\u202E"}, 'tt_abcdefgh', ${Buffer.alloc(32)}, array['specs:read'])`).rejects.toThrow(/check constraint/);
  });

  it("grants authenticated exactly what the policies need, and anon nothing, on every table in public and internal", async () => {
    const grants = await sql<{ grantee: string; table: string; privileges: string }[]>`
      select grantee, table_schema || '.' || table_name as table, string_agg(privilege_type, ',' order by privilege_type) as privileges
      from information_schema.table_privileges
      where table_schema in ('public', 'internal') and grantee in ('anon', 'authenticated', 'PUBLIC')
      group by 1, 2 order by 1, 2`;
    expect(grants).toEqual([
      // Activity: owners read their own audit events and usage (RLS), nothing more.
      { grantee: "authenticated", table: "public.api_key_usage", privileges: "SELECT" },
      { grantee: "authenticated", table: "public.audit_events", privileges: "SELECT" },
      { grantee: "authenticated", table: "public.behavior_specs", privileges: "DELETE,SELECT" },
      // Organizations: members read by role (RLS, tests/integration/organizations-rls.test.ts);
      // every change goes through the app. Invitations: chosen columns (never the token's hash).
      { grantee: "authenticated", table: "public.organization_members", privileges: "SELECT" },
      { grantee: "authenticated", table: "public.organizations", privileges: "SELECT" },
      { grantee: "authenticated", table: "public.service_accounts", privileges: "SELECT" },
    ]);
    const columns = await sql<{ table: string; privilege: string; columns: string }[]>`
      select table_schema || '.' || table_name as table, privilege_type as privilege, string_agg(column_name, ',' order by column_name) as columns
      from information_schema.column_privileges
      where table_schema in ('public', 'internal') and grantee in ('anon', 'authenticated', 'PUBLIC')
        and privilege_type in ('INSERT', 'UPDATE', 'REFERENCES')
      group by 1, 2 order by 1, 2`;
    expect(columns).toEqual([
      { table: "public.behavior_specs", privilege: "INSERT", columns: "base_model,constraints,description,examples,guidelines,name,organization_id,system_prompt,user_id" },
      { table: "public.behavior_specs", privilege: "UPDATE", columns: "base_model,constraints,description,examples,guidelines,name,system_prompt" },
    ]);
  });

  it("refuses TRUNCATE, TRIGGER and REFERENCES to an authenticated user, and still allows what the policies allow", async () => {
    const { user } = await newUser("grants");
    const other = await newUser("grants-other");
    const [mineOrg, theirOrg] = [await workspace(user.id), await workspace(other.user.id)];
    await sql`insert into behavior_specs (organization_id, user_id, name, examples) values (${theirOrg}, ${other.user.id}, 'theirs', ${sql.json(example)})`;
    await expect(asUser(user.id, (tx) => tx`truncate public.behavior_specs`)).rejects.toThrow(/permission denied/);
    await expect(asUser(user.id, (tx) => tx`truncate public.api_keys`)).rejects.toThrow(/permission denied/);
    await expect(
      asUser(user.id, (tx) => tx`create trigger t before insert on public.behavior_specs for each row execute function public.set_updated_at()`),
    ).rejects.toThrow(/permission denied/);
    // REFERENCES: given a schema to create tables in, a foreign key to the specs is still refused.
    await expect(
      sql.begin(async (tx) => {
        await tx`create schema tt_references_probe`;
        await tx`grant usage, create on schema tt_references_probe to authenticated`;
        await tx`set local role authenticated`;
        await tx`create table tt_references_probe.r (spec uuid references public.behavior_specs (id))`;
      }),
    ).rejects.toThrow(/permission denied for table behavior_specs/);
    const [privileges] = await sql`
      select bool_or(has_table_privilege(r, t, p)) as any
      from unnest(array['anon', 'authenticated']) r, unnest(array['public.behavior_specs', 'public.api_keys', 'internal.auth_failures', 'internal.key_expiry_notices']) t,
           unnest(array['TRUNCATE', 'TRIGGER', 'REFERENCES']) p`;
    expect(privileges?.any).toBe(false);
    await expect(asUser(user.id, (tx) => tx`select count(*) from internal.auth_failures`)).rejects.toThrow(/permission denied/);
    await expect(asUser(user.id, (tx) => tx`select count(*) from internal.key_expiry_notices`)).rejects.toThrow(/permission denied/);
    await expect(asUser(user.id, (tx) => tx`update behavior_specs set created_at = now()`)).rejects.toThrow(/permission denied/);

    const result = await asUser(user.id, async (tx) => {
      const [mine] = await tx`insert into behavior_specs (organization_id, user_id, name, examples) values (${mineOrg}, ${user.id}, 'mine', ${sql.json(example)}) returning id`;
      await expect(
        tx`insert into behavior_specs (organization_id, user_id, name, examples) values (${theirOrg}, ${other.user.id}, 'forged', ${sql.json(example)})`.execute(),
      ).rejects.toThrow(/row-level security/);
      return mine;
    });
    expect(result?.id).toBeDefined();
    // Each statement in its own transaction (a refused one aborts the rest).
    const [mine] = await sql`insert into behavior_specs (organization_id, user_id, name, examples) values (${mineOrg}, ${user.id}, 'mine', ${sql.json(example)}) returning id`;
    const seen = await asUser(user.id, (tx) => tx`select name from behavior_specs`);
    expect(seen.map((r) => r.name)).toEqual(["mine"]);
    const updated = await asUser(user.id, (tx) => tx`update behavior_specs set name = 'renamed', guidelines = '{be kind}' where id = ${mine!.id} returning updated_at`);
    expect(updated.count).toBe(1);
    const deleted = await asUser(user.id, (tx) => tx`delete from behavior_specs`);
    expect(deleted.count).toBe(1);
    const keys = await asUser(user.id, (tx) => tx`select id, name, key_prefix, scopes, scope_last_used from api_keys`);
    expect(keys).toEqual([]);
    // Owners may read their keys' scopes (and what they used them for), never write them.
    await sql`insert into api_keys (organization_id, user_id, name, key_prefix, key_hash, scopes) values (${mineOrg}, ${user.id}, 'k', 'tt_abcdefgh', ${randomBytes(32)}, array['specs:read'])`;
    const own = await asUser(user.id, (tx) => tx`select name, scopes, scope_last_used from api_keys`);
    expect(own).toEqual([{ name: "k", scopes: ["specs:read"], scope_last_used: {} }]);
    await expect(asUser(user.id, (tx) => tx`update api_keys set scopes = array['specs:read']`)).rejects.toThrow(/permission denied/);
  });

  it("gives anon and authenticated nothing on tables created later in public", async () => {
    await sql
      .begin(async (tx) => {
        await tx`create table public.tt_default_privileges_probe (id int)`;
        const [row] = await tx`
          select has_table_privilege('anon', 'public.tt_default_privileges_probe', 'select, insert, update, delete, truncate, references, trigger') as anon,
                 has_table_privilege('authenticated', 'public.tt_default_privileges_probe', 'select, insert, update, delete, truncate, references, trigger') as authenticated`;
        expect(row).toEqual({ anon: false, authenticated: false });
        throw new Rollback();
      })
      .catch((e) => {
        if (!(e instanceof Rollback)) throw e;
      });
  });

  it("deletes a user's rows when the user is deleted", async () => {
    const { user } = await newUser("cascade");
    // Their personal workspace goes with them, and what is in it.
    const [spec] = await sql`insert into behavior_specs (organization_id, user_id, name, examples) values (${await workspace(user.id)}, ${user.id}, 'x', ${sql.json(example)}) returning id`;
    await sql`delete from auth.users where id = ${user.id}`;
    const [row] = await sql`select count(*)::int as count from behavior_specs where id = ${spec!.id}`;
    expect(row?.count).toBe(0);
  });
});
