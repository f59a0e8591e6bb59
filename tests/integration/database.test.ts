// The schema's promises, checked in the real database: Row Level Security on every
// table in `public`, nothing for `anon`, owners see only their own rows, and the
// CHECK constraints refuse what the API would refuse.
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
    await sql`insert into behavior_specs (user_id, name, examples) values
      (${a.user.id}, 'a spec', ${sql.json(example)}), (${b.user.id}, 'b spec', ${sql.json(example)})`;
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
    const insert = (fields: Record<string, unknown>) =>
      sql`insert into behavior_specs ${sql({ user_id: user.id, name: "ok", examples: sql.json(example), ...fields } as never)}`;
    await expect(insert({ examples: sql.json([]) })).rejects.toThrow(/check constraint/);
    await expect(insert({ examples: sql.json([{ input: "x" }]) })).rejects.toThrow(/check constraint/);
    await expect(insert({ name: "" })).rejects.toThrow(/check constraint/);
    await expect(insert({ base_model: "gpt-5" })).rejects.toThrow(/check constraint/);
    await expect(insert({ guidelines: Array.from({ length: 51 }, () => "g") })).rejects.toThrow(/check constraint/);
    const [row] = await insert({}).then(() => sql`select base_model from behavior_specs where user_id = ${user.id}`);
    expect(row?.base_model).toBe("meta-llama/Llama-3.2-3B-Instruct");
  });

  it("deletes a user's rows when the user is deleted", async () => {
    const { user } = await newUser("cascade");
    await sql`insert into behavior_specs (user_id, name, examples) values (${user.id}, 'x', ${sql.json(example)})`;
    await sql`delete from auth.users where id = ${user.id}`;
    const [row] = await sql`select count(*)::int as count from behavior_specs where user_id = ${user.id}`;
    expect(row?.count).toBe(0);
  });
});
