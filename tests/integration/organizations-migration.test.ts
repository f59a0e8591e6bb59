// The organizations migration (supabase/migrations/20261207000100_organizations.sql) run on a
// copy of the data as it is before it: every user gets exactly one personal workspace, as its
// only owner; every key, spec, audit event and usage row moves into its owner's workspace and
// is otherwise unchanged; the tables the migration does not touch keep every row; the audit
// trail is append-only again afterwards; an account made after it gets its workspace too.
//
// The copy is a scratch database on the stack's Postgres (directly, not through a pooler),
// dropped at the end. Its `auth` schema comes from auth-server/src/schema.sql, the schema the
// GoTrue-compatible server of the local stack creates: the same auth.users (and the
// auth.uid()/auth.jwt() the policies call) as GoTrue's, in one idempotent file that needs no
// superuser, so no auth server has to run against the scratch database. `create database …
// template postgres` would copy the real schema but needs the shared database to have no
// other connections, and a `pg_dump` of it would tie the test to the dev database's state
// and to a pg_dump binary of the server's version.
import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import * as stackConfig from "../../scripts/stack/config.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DIR = `${ROOT}supabase/migrations`;
const MIGRATION = "20261207000100_organizations.sql";
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith(".sql"))
  .sort();

const NAME = `tt_migration_${randomUUID().slice(0, 8)}`;
const admin = postgres(stackConfig.DATABASE_URL, { max: 1, onnotice: () => {} });
const url = new URL(stackConfig.DATABASE_URL);
url.pathname = `/${NAME}`;
let db: postgres.Sql;

/** The tables whose rows move (they gain organization_id), and those the migration leaves alone. */
const MOVED = ["public.api_keys", "public.behavior_specs", "public.audit_events", "public.api_key_usage"] as const;
const UNTOUCHED = ["internal.cli_device_codes", "internal.key_expiry_notices", "internal.second_factor_attempts", "internal.auth_failures"] as const;
/** Every row of `table` as JSON, minus the columns the migration adds, in a stable order. */
const rows = async (table: string) =>
  (await db.unsafe<{ row: Record<string, unknown> }[]>(`select to_jsonb(t) - 'organization_id' - 'service_account_id' as row from ${table} t order by 1::text`)).map(
    (r) => r.row,
  );

const USERS = { alice: randomUUID(), bob: randomUUID(), carol: randomUUID(), dave: randomUUID() };
const before = new Map<string, Record<string, unknown>[]>();

async function seed() {
  for (const [name, id] of Object.entries(USERS)) {
    await db`insert into auth.users (id, email, created_at) values (${id}, ${`${name}@test.tunedtensor.local`}, '2026-11-01T09:00:00Z')`;
  }
  const { alice, bob, dave } = USERS;
  let n = 0;
  const key = async (user: string, fields: Record<string, unknown>) => {
    n++;
    const [row] = await db`insert into public.api_keys ${db({
      user_id: user,
      name: `key ${n}`,
      key_prefix: `tt_key0000${n}`.slice(0, 11),
      key_hash: randomBytes(32),
      created_at: "2026-11-02T10:00:00Z",
      ...fields,
    } as never)} returning id`;
    return row!.id as string;
  };
  const full = await key(alice, {
    scopes: ["specs:read", "specs:write", "keys:read", "keys:write", "activity:read"],
    last_used_at: "2026-11-20T08:00:00Z",
    scope_last_used: db.json({ "specs:read": "2026-11-20T08:00:00.000Z" }),
  });
  const expiring = await key(alice, { scopes: ["specs:read"], expires_at: "2026-12-31T00:00:00Z" });
  await key(alice, { scopes: ["specs:write"], revoked_at: "2026-11-10T00:00:00Z", revoked_reason: "leaked", exposed_url: "https://github.com/x/y/blob/main/.env" });
  const old = await key(alice, { scopes: ["keys:read"], revoked_at: "2026-11-12T00:00:00Z" });
  const rolled = await key(alice, { scopes: ["keys:read"], replaces: old, created_at: "2026-11-12T00:00:00Z" });
  await db`update public.api_keys set replaced_by = ${rolled} where id = ${old}`;
  const readOnly = await key(bob, { scopes: ["specs:read", "keys:read", "activity:read"], expires_at: "2027-01-01T00:00:00Z" });
  await key(dave, { scopes: ["specs:read"], revoked_at: "2026-11-03T00:00:00Z" });

  const spec = (user: string, name: string, extra: Record<string, unknown> = {}) =>
    db`insert into public.behavior_specs ${db({
      user_id: user,
      name,
      examples: db.json([{ input: "hi", output: "hello" }]),
      created_at: "2026-11-05T10:00:00Z",
      updated_at: "2026-11-06T10:00:00Z",
      ...extra,
    } as never)}`;
  await spec(alice, "support tone", { description: "polite", guidelines: ["be brief"], constraints: ["no links"], base_model: "Qwen/Qwen3.5-2B" });
  await spec(alice, "second");
  await spec(bob, "bob's");

  const event = (user: string, fields: Record<string, unknown>) =>
    db`insert into public.audit_events ${db({ user_id: user, occurred_at: "2026-11-07T10:00:00Z", actor_type: "session", ...fields } as never)}`;
  await event(alice, { type: "key.created", key_id: full, key_prefix: "tt_key00001", ip: "203.0.113.9", user_agent: "curl/8" });
  await event(alice, { type: "key.revoked", actor_type: "api_key", actor_key_id: full, actor_key_prefix: "tt_key00001", key_id: old, details: db.json({ reason: "rolled" }) });
  await event(alice, { type: "cli_login.approved", actor_type: "cli_login", details: db.json({ hostname: "laptop" }) });
  await event(alice, { type: "key.expiry_mail_sent", actor_type: "system", key_id: expiring, key_prefix: "tt_key00002" });
  await event(bob, { type: "auth.signed_in", ip: "198.51.100.1" });

  const usage = (keyId: string, user: string, hour: string) =>
    db`insert into public.api_key_usage (key_id, user_id, hour, success, client_error, refused, last_seen_at, last_ip)
      values (${keyId}, ${user}, ${hour}, 5, 1, 2, ${hour}, '203.0.113.9')`;
  await usage(full, alice, "2026-11-20T08:00:00Z");
  await usage(full, alice, "2026-11-20T09:00:00Z");
  await usage(readOnly, bob, "2026-11-21T12:00:00Z");

  const device = (status: string, user: string | null, code: string) =>
    db`insert into internal.cli_device_codes (device_code_hash, user_code, scopes, client_hostname, client_os, client_version, created_at, expires_at, poll_interval, status, user_id)
      values (${randomBytes(32)}, ${code}, '{specs:read,keys:read}', 'laptop', 'linux', '1.0.0', '2026-11-08T10:00:00Z', '2026-11-08T10:15:00Z', 5, ${status}, ${user})`;
  await device("pending", null, "BCDFGHJK");
  await device("approved", alice, "LMNPQRST");
  await device("denied", bob, "VWXZBCDF");
  await db`insert into internal.key_expiry_notices (key_id, notice, expires_at, sent_at) values (${expiring}, '7d', '2026-12-31T00:00:00Z', '2026-12-24T00:00:00Z')`;
  await db`insert into internal.second_factor_attempts (user_id, failures, window_start) values (${alice}, 2, '2026-11-09T00:00:00Z')`;
  await db`insert into internal.auth_failures (client, window_start, failures) values ('203.0.113.9', '2026-11-09T00:00:00Z', 3)`;
}

beforeAll(async () => {
  const at = FILES.indexOf(MIGRATION);
  expect(at).toBeGreaterThan(0);
  await admin.unsafe(`create database ${NAME}`);
  db = postgres(url.toString(), { max: 1, onnotice: () => {} });
  await db.unsafe(readFileSync(`${ROOT}auth-server/src/schema.sql`, "utf8"));
  for (const file of FILES.slice(0, at)) await db.unsafe(readFileSync(`${DIR}/${file}`, "utf8"));
  await seed();
  for (const table of [...MOVED, ...UNTOUCHED]) before.set(table, await rows(table));
  await db.unsafe(readFileSync(`${DIR}/${MIGRATION}`, "utf8"));
});
afterAll(async () => {
  await db?.end({ timeout: 5 });
  await admin.unsafe(`drop database if exists ${NAME} with (force)`);
  await admin.end({ timeout: 5 });
});

describe(`the migration ${MIGRATION}, on a copy of the data before it`, () => {
  it("gives every user exactly one personal workspace, with them as its only member and owner", async () => {
    const workspaces = await db`
      select u.id as user_id, o.slug, o.name, o.require_two_factor,
             (select json_agg(json_build_object('user_id', m.user_id, 'role', m.role)) from public.organization_members m where m.organization_id = o.id) as members
      from auth.users u join public.organizations o on o.personal_for = u.id order by u.id`;
    expect(workspaces).toEqual(
      Object.values(USERS)
        .sort()
        .map((id) => ({ user_id: id, slug: `p-${id.replaceAll("-", "")}`, name: "Personal", require_two_factor: false, members: [{ user_id: id, role: "owner" }] })),
    );
    const [counts] = await db`select (select count(*) from public.organizations)::int as organizations, (select count(*) from public.organization_members)::int as members`;
    expect(counts).toEqual({ organizations: 4, members: 4 });
  });

  for (const table of MOVED) {
    it(`moves every row of ${table} into its owner's personal workspace, otherwise unchanged`, async () => {
      expect(before.get(table)!.length).toBeGreaterThan(0);
      expect(await rows(table)).toEqual(before.get(table));
      // Usage follows its key, which follows its user: the same workspace either way.
      const misplaced = await db.unsafe(`
        select t.* from ${table} t left join public.organizations o on o.id = t.organization_id
        where o.personal_for is distinct from t.user_id`);
      expect(misplaced).toEqual([]);
    });
  }

  it("makes every existing key a member's key, none a service account's", async () => {
    const [row] = await db`select count(*)::int as n from public.api_keys where service_account_id is not null or user_id is null`;
    expect(row?.n).toBe(0);
  });

  it("leaves the tables it does not touch as they were", async () => {
    for (const table of UNTOUCHED) {
      expect(before.get(table)!.length, table).toBeGreaterThan(0);
      expect(await rows(table), table).toEqual(before.get(table));
    }
  });

  it("leaves the audit trail append-only, and specs' updated_at kept up to date, as before", async () => {
    const triggers = await db`select tgname, tgenabled from pg_trigger where tgname in ('audit_events_append_only', 'behavior_specs_set_updated_at') order by 1`;
    expect(triggers).toEqual([
      { tgname: "audit_events_append_only", tgenabled: "O" },
      { tgname: "behavior_specs_set_updated_at", tgenabled: "O" },
    ]);
    const [changed] = await db`update public.behavior_specs set name = 'renamed' where name = 'second' returning updated_at > '2026-11-06T10:00:00Z' as later`;
    expect(changed?.later).toBe(true);
    await expect(db`update public.audit_events set type = 'key.renamed'`).rejects.toThrow(/append-only/);
    await expect(db`delete from public.audit_events where user_id = ${USERS.alice}`).rejects.toThrow(/append-only/);
  });

  it("gives an account made after it its personal workspace", async () => {
    const id = randomUUID();
    await db`insert into auth.users (id, email) values (${id}, 'later@test.tunedtensor.local')`;
    const members = await db`select o.slug, m.user_id, m.role from public.organizations o join public.organization_members m on m.organization_id = o.id where o.personal_for = ${id}`;
    expect(members).toEqual([{ slug: `p-${id.replaceAll("-", "")}`, user_id: id, role: "owner" }]);
  });

  // Last: it changes the database the other tests read.
  it("the migrations after it apply on the moved data and change none of it", async () => {
    const tables = [...MOVED, ...UNTOUCHED, "public.organizations", "public.organization_members"];
    const snapshot = new Map<string, Record<string, unknown>[]>();
    for (const table of tables) snapshot.set(table, await rows(table));
    for (const file of FILES.slice(FILES.indexOf(MIGRATION) + 1)) await db.unsafe(readFileSync(`${DIR}/${file}`, "utf8"));
    // Columns added since (a key's limits, its trust policy) are new data, not a change: each row
    // is compared on the columns it had.
    for (const table of tables) {
      const before = snapshot.get(table)!;
      const columns = Object.keys(before[0] ?? {});
      const after = (await rows(table)).map((row) => Object.fromEntries(columns.map((column) => [column, row[column]])));
      expect(after, table).toEqual(before);
    }
  });
});
