// Row-level security by membership, checked in the real database as a Data API caller
// (role `authenticated` with a user's JWT claims): for every role and for a non-member, what
// each table of an organization shows and what may be written, with the organization's
// two-factor policy off and on, and across organizations. The expectations come from the
// contract's ROLE_SCOPES, so the policies and the contract cannot drift apart. Also the
// database's copies of the contract (public.role_scopes, public.api_key_scopes_valid), the
// last-owner trigger (alone and racing), account deletion and the personal workspace made
// with every account (supabase/migrations/20261207000100_organizations.sql).
import { randomBytes, randomUUID } from "node:crypto";

import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ROLE_SCOPES, ROLES, SCOPES, type Role, type Scope } from "@/lib/contract";

import { asUser, attempt, type Aal } from "../support/data-api";
import { adminClient, DATABASE_URL, newUser } from "../support/stack";

const sql = postgres(DATABASE_URL, { max: 3, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

const EXAMPLES = JSON.stringify([{ input: "a", output: "b" }]);
const suffix = () => randomUUID().slice(0, 8);
const prefix = () => `tt_${randomBytes(6).toString("base64").replace(/[^0-9A-Za-z]/g, "x").slice(0, 8)}`;

const TABLES = [
  "organizations",
  "organization_members",
  "organization_invitations",
  "service_accounts",
  "api_keys",
  "behavior_specs",
  "audit_events",
  "api_key_usage",
] as const;
type Table = (typeof TABLES)[number];
/** The column a row is named by, and the one that says whose it is. */
const ID: Record<Table, string> = {
  organizations: "id",
  organization_members: "user_id",
  organization_invitations: "id",
  service_accounts: "id",
  api_keys: "id",
  behavior_specs: "id",
  audit_events: "id",
  api_key_usage: "key_id",
};
const ORG = (table: Table) => (table === "organizations" ? "id" : "organization_id");

type Fixture = {
  id: string;
  members: Map<string, Role>;
  spec: string;
  /** Each member's key, by user id. */
  memberKeys: Map<string, string>;
  serviceAccount: string;
  serviceAccountKey: string;
  invitation: string;
  event: string;
};

async function newOrganization(label: string, members: [string, Role][]): Promise<Fixture> {
  const [org] = await sql<{ id: string }[]>`insert into organizations (slug, name) values (${`${label}-${suffix()}`}, ${label}) returning id`;
  const id = org!.id;
  for (const [user, role] of members) await sql`insert into organization_members (organization_id, user_id, role) values (${id}, ${user}, ${role})`;
  const creator = members[0]![0];
  const [spec] = await sql`insert into behavior_specs (organization_id, user_id, name, examples) values (${id}, ${creator}, 'spec', ${sql.json(JSON.parse(EXAMPLES))}) returning id`;
  const memberKeys = new Map<string, string>();
  for (const [user] of members) {
    const [key] = await sql`insert into api_keys (organization_id, user_id, name, key_prefix, key_hash, scopes)
      values (${id}, ${user}, 'member key', ${prefix()}, ${randomBytes(32)}, array['specs:read']) returning id`;
    memberKeys.set(user, key!.id as string);
  }
  const [sa] = await sql`insert into service_accounts (organization_id, name, role, created_by) values (${id}, 'CI', 'developer', ${creator}) returning id`;
  const [saKey] = await sql`insert into api_keys (organization_id, service_account_id, name, key_prefix, key_hash, scopes)
    values (${id}, ${sa!.id}, 'ci key', ${prefix()}, ${randomBytes(32)}, array['specs:read', 'specs:write']) returning id`;
  const [invitation] = await sql`insert into organization_invitations (organization_id, email, role, invited_by, token_hash, created_at, expires_at)
    values (${id}, ${`invitee-${suffix()}@test.tunedtensor.local`}, 'viewer', ${creator}, ${randomBytes(32)}, '2026-12-01T10:00:00Z', '2026-12-08T10:00:00Z') returning id`;
  const [event] = await sql`insert into audit_events (organization_id, user_id, type, actor_type) values (${id}, ${creator}, 'member.joined', 'session') returning id`;
  await sql`insert into api_key_usage (key_id, organization_id, hour, success, last_seen_at) values (${saKey!.id}, ${id}, '2026-12-01T10:00:00Z', 3, '2026-12-01T10:20:00Z')`;
  return {
    id,
    members: new Map(members),
    spec: spec!.id as string,
    memberKeys,
    serviceAccount: sa!.id as string,
    serviceAccountKey: saKey!.id as string,
    invitation: invitation!.id as string,
    event: event!.id as string,
  };
}

type Seen = Record<Table, string[]>;
const sorted = (ids: Iterable<string>) => [...ids].sort();

/** What `userId` sees of `org`'s rows, table by table. */
async function seen(userId: string, aal: Aal, org: string, before?: (tx: postgres.TransactionSql) => Promise<unknown>): Promise<Seen> {
  return asUser(
    sql,
    userId,
    aal,
    async (tx) => {
      const out = {} as Seen;
      for (const table of TABLES) {
        const rows = await tx.unsafe<{ id: string }[]>(`select ${ID[table]}::text as id from public.${table} where ${ORG(table)} = $1`, [org]);
        out[table] = sorted(rows.map((r) => r.id));
      }
      return out;
    },
    before,
  );
}

/**
 * What a caller with `role` in the organization (null: not a member) should see, from the
 * contract's ROLE_SCOPES; `twoFactorMet`: the organization does not require it, or the
 * session is at aal2. A member who has not met the policy still sees that the organization
 * exists (its row, so a client can say why the rest is hidden), nothing in it.
 */
function expected(org: Fixture, role: Role | null, userId: string, twoFactorMet: boolean): Seen {
  const can = (scope: Scope) => role !== null && twoFactorMet && ROLE_SCOPES[role].includes(scope);
  const ownKey = org.memberKeys.get(userId);
  return {
    organizations: role !== null ? [org.id] : [],
    organization_members: can("members:read") ? sorted(org.members.keys()) : [],
    organization_invitations: can("members:write") ? [org.invitation] : [],
    service_accounts: can("members:read") ? [org.serviceAccount] : [],
    api_keys: can("members:write")
      ? sorted([...org.memberKeys.values(), org.serviceAccountKey])
      : can("keys:read") && ownKey
        ? [ownKey]
        : [],
    behavior_specs: can("specs:read") ? [org.spec] : [],
    audit_events: can("activity:read") ? [org.event] : [],
    api_key_usage: can("activity:read") ? [org.serviceAccountKey] : [],
  };
}

const requireTwoFactor = (org: string) => (tx: postgres.TransactionSql) => tx`update organizations set require_two_factor = true where id = ${org}`;

type Who = Role | "outsider";
const WHO: Who[] = [...ROLES, "outsider"];
const users = {} as Record<Who, string>;
let teamA: Fixture;
let teamB: Fixture;

beforeAll(async () => {
  const made = await Promise.all(WHO.map((who) => newUser(`rls-${who}`)));
  WHO.forEach((who, i) => (users[who] = made[i]!.user.id));
  teamA = await newOrganization("rls-a", ROLES.map((role) => [users[role], role]));
  // The outsider's own team, with its own rows of every kind.
  teamB = await newOrganization("rls-b", [[users.outsider, "owner"]]);
});
afterAll(async () => {
  await sql`delete from organizations where id in ${sql([teamA?.id, teamB?.id].filter((id): id is string => !!id))}`;
});

describe("the database's copy of the contract", () => {
  it("public.role_scopes is ROLE_SCOPES, role by role, and an unknown role has none", async () => {
    for (const role of ROLES) {
      const [row] = await sql`select public.role_scopes(${role}) as scopes`;
      expect(row?.scopes, role).toEqual([...ROLE_SCOPES[role]]);
    }
    const [unknown] = await sql`select public.role_scopes('superuser') as scopes, public.role_scopes(null) as none`;
    expect(unknown).toEqual({ scopes: [], none: [] });
  });

  it("gives anon none of the organizations' functions, and authenticated only what the policies call", async () => {
    const rows = await sql`
      select p.proname as name, has_function_privilege('anon', p.oid, 'execute') as anon, has_function_privilege('authenticated', p.oid, 'execute') as authenticated
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public' and p.proname in ('role_scopes', 'organization_role', 'organization_allows', 'organization_keeps_an_owner', 'create_personal_workspace')
      order by 1`;
    expect(rows).toEqual([
      { name: "create_personal_workspace", anon: false, authenticated: false },
      { name: "organization_allows", anon: false, authenticated: true },
      { name: "organization_keeps_an_owner", anon: false, authenticated: false },
      { name: "organization_role", anon: false, authenticated: true },
      { name: "role_scopes", anon: false, authenticated: true },
    ]);
  });

  it("public.api_key_scopes_valid accepts exactly SCOPES, and a new organization lets members' keys hold all of them", async () => {
    const valid = async (scopes: string[]) => (await sql`select public.api_key_scopes_valid(${scopes}::text[]) as ok`)[0]?.ok as boolean;
    for (const scope of SCOPES) expect(await valid([scope]), scope).toBe(true);
    expect(await valid([...SCOPES])).toBe(true);
    for (const bad of ["members:admin", "org:read", "owner", "specs:*", "Specs:read"]) expect(await valid([bad]), bad).toBe(false);
    // The function's own list, read back: the same scopes, no more.
    const [def] = await sql<{ src: string }[]>`select prosrc as src from pg_proc where oid = 'public.api_key_scopes_valid(text[])'::regprocedure`;
    const listed = [...(def!.src.match(/array\[([^\]]*)\]/)?.[1] ?? "").matchAll(/'([^']+)'/g)].map((m) => m[1]);
    expect(new Set(listed)).toEqual(new Set(SCOPES));
    const [org] = await sql`insert into organizations (slug, name) values (${`defaults-${suffix()}`}, 'defaults') returning id, member_key_scopes`;
    await sql`delete from organizations where id = ${org!.id}`;
    expect(org?.member_key_scopes).toEqual([...SCOPES]);
  });
});

describe("what each role sees (generated from ROLE_SCOPES)", () => {
  for (const who of WHO) {
    const roleOf = (): Role | null => (who === "outsider" ? null : who);
    it(`${who}: sees what its role allows; with two factors required, nothing but the organization at aal1 and the same at aal2`, async () => {
      const id = users[who];
      expect(await seen(id, "aal1", teamA.id)).toEqual(expected(teamA, roleOf(), id, true));
      expect(await seen(id, "aal1", teamA.id, requireTwoFactor(teamA.id))).toEqual(expected(teamA, roleOf(), id, false));
      expect(await seen(id, "aal2", teamA.id, requireTwoFactor(teamA.id))).toEqual(expected(teamA, roleOf(), id, true));
    });
  }

  it("the expectations are not vacuous: some role sees each table, and some role does not", () => {
    for (const table of TABLES) {
      const counts = ROLES.map((role) => expected(teamA, role, users[role], true)[table].length);
      expect(Math.max(...counts, 0), table).toBeGreaterThan(0);
    }
    // Roles differ: the viewer reads specs, not the trail; only managers see every key.
    expect(expected(teamA, "viewer", users.viewer, true).audit_events).toEqual([]);
    expect(expected(teamA, "developer", users.developer, true).api_keys).toEqual([teamA.memberKeys.get(users.developer)]);
  });

  it("a member of one organization sees nothing of another, in any role, at aal2", async () => {
    const none = expected(teamB, null, "", true);
    for (const role of ROLES) expect(await seen(users[role], "aal2", teamB.id), role).toEqual(none);
    // And the other way: B's owner sees B, not A.
    expect(await seen(users.outsider, "aal2", teamB.id)).toEqual(expected(teamB, "owner", users.outsider, true));
    expect(await seen(users.outsider, "aal2", teamA.id)).toEqual(expected(teamA, null, users.outsider, true));
  });

  it("never shows an invitation's token hash or a key's hash, even to an owner", async () => {
    for (const [table, column] of [
      ["organization_invitations", "token_hash"],
      ["api_keys", "key_hash"],
    ]) {
      const result = await attempt(sql, users.owner, "aal2", `select ${column} from public.${table} where organization_id = $1`, [teamA.id]);
      expect(result, table).toMatchObject({ ok: false, code: "42501", message: expect.stringMatching(/permission denied/) });
    }
  });

  it("a member who left sees nothing, though their key's row still names them", async () => {
    const id = users.developer;
    const leave = (tx: postgres.TransactionSql) => tx`delete from organization_members where organization_id = ${teamA.id} and user_id = ${id}`;
    expect(await seen(id, "aal2", teamA.id, leave)).toEqual(expected(teamA, null, id, true));
  });
});

describe("what each role may write", () => {
  const insertSpec = `insert into public.behavior_specs (organization_id, user_id, name, examples) values ($1, $2, 'new', '${EXAMPLES}'::jsonb)`;

  for (const who of WHO) {
    it(`${who}: creates, changes and deletes specs only with specs:write (and two factors when required)`, async () => {
      const id = users[who];
      const role = who === "outsider" ? null : who;
      const mayWrite = role !== null && ROLE_SCOPES[role].includes("specs:write");
      for (const [aal, policy, met] of [
        ["aal1", false, true],
        ["aal1", true, false],
        ["aal2", true, true],
      ] as const) {
        const where = `${who} at ${aal}, two factors ${policy ? "required" : "not required"}`;
        const run = (query: string, params: string[]) =>
          policy
            ? asUser(sql, id, aal, (tx) => tx.unsafe(query, params), requireTwoFactor(teamA.id)).then(
                (rows) => ({ ok: true as const, count: rows.count }),
                (e: { code: string; message: string }) => ({ ok: false as const, code: e.code, message: e.message }),
              )
            : attempt(sql, id, aal, query, params);
        const allowed = mayWrite && met;
        const inserted = await run(insertSpec, [teamA.id, id]);
        if (allowed) expect(inserted, where).toEqual({ ok: true, count: 1 });
        else expect(inserted, where).toMatchObject({ ok: false, message: expect.stringMatching(/row-level security/) });
        expect(await run(`update public.behavior_specs set name = 'changed' where id = $1`, [teamA.spec]), where).toEqual({ ok: true, count: allowed ? 1 : 0 });
        expect(await run(`delete from public.behavior_specs where id = $1`, [teamA.spec]), where).toEqual({ ok: true, count: allowed ? 1 : 0 });
      }
    });
  }

  it("nobody makes a spec in another's name, or in an organization they are not in, or moves one", async () => {
    for (const role of ROLES) {
      const forged = await attempt(sql, users[role], "aal2", insertSpec, [teamA.id, users.outsider]);
      expect(forged, role).toMatchObject({ ok: false, message: expect.stringMatching(/row-level security/) });
      const elsewhere = await attempt(sql, users[role], "aal2", insertSpec, [teamB.id, users[role]]);
      expect(elsewhere, role).toMatchObject({ ok: false, message: expect.stringMatching(/row-level security/) });
      const moved = await attempt(sql, users[role], "aal2", `update public.behavior_specs set organization_id = $1 where id = $2`, [teamB.id, teamA.spec]);
      expect(moved, role).toMatchObject({ ok: false, message: expect.stringMatching(/permission denied/) });
      // Nor changes another organization's spec (the row is not there for them).
      const theirs = await attempt(sql, users[role], "aal2", `update public.behavior_specs set name = 'stolen' where id = $1`, [teamB.spec]);
      expect(theirs, role).toEqual({ ok: true, count: 0 });
    }
  });

  // Keys, members, invitations, service accounts, the organization and its trail change only
  // through the app (which checks the role, the policy and the last owner, and audits).
  const DIRECT: Record<Exclude<Table, "behavior_specs">, string[]> = {
    organizations: [
      `insert into public.organizations (slug, name) values ('forged-${suffix()}', 'forged')`,
      `update public.organizations set require_two_factor = false where id = $1`,
      `delete from public.organizations where id = $1`,
    ],
    organization_members: [
      `insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'owner')`,
      `update public.organization_members set role = 'owner' where organization_id = $1 and user_id = $2`,
      `delete from public.organization_members where organization_id = $1`,
    ],
    organization_invitations: [
      `insert into public.organization_invitations (organization_id, email, role, token_hash, expires_at) values ($1, 'x@example.com', 'owner', '\\x00', now())`,
      `update public.organization_invitations set revoked_at = now() where organization_id = $1`,
      `delete from public.organization_invitations where organization_id = $1`,
    ],
    service_accounts: [
      `insert into public.service_accounts (organization_id, name, role) values ($1, 'forged', 'admin')`,
      `update public.service_accounts set role = 'admin' where organization_id = $1`,
      `delete from public.service_accounts where organization_id = $1`,
    ],
    api_keys: [
      `insert into public.api_keys (organization_id, user_id, name, key_prefix, key_hash, scopes) values ($1, $2, 'k', 'tt_forged00', '\\x00', '{specs:read}')`,
      `update public.api_keys set revoked_at = now() where organization_id = $1`,
      `update public.api_keys set organization_id = $1 where user_id = $2`,
      `delete from public.api_keys where organization_id = $1`,
    ],
    audit_events: [
      `insert into public.audit_events (organization_id, user_id, type, actor_type) values ($1, $2, 'member.joined', 'session')`,
      `update public.audit_events set type = 'member.left' where organization_id = $1`,
      `delete from public.audit_events where organization_id = $1`,
    ],
    api_key_usage: [
      `insert into public.api_key_usage (key_id, organization_id, hour, last_seen_at) select id, $1, '2026-12-01T00:00:00Z', now() from public.api_keys where user_id = $2`,
      `update public.api_key_usage set success = 0 where organization_id = $1`,
      `delete from public.api_key_usage where organization_id = $1`,
    ],
  };
  it("nobody, in any role, writes keys, members, invitations, service accounts, the organization or its trail directly", async () => {
    for (const who of WHO) {
      for (const [table, statements] of Object.entries(DIRECT)) {
        for (const statement of statements) {
          const params = statement.includes("$2") ? [teamA.id, users[who]] : statement.includes("$1") ? [teamA.id] : [];
          const result = await attempt(sql, users[who], "aal2", statement, params);
          expect(result, `${who}: ${table}: ${statement}`).toMatchObject({ ok: false, code: "42501", message: expect.stringMatching(/permission denied/) });
        }
      }
    }
  });
});

describe("at least one owner", () => {
  const owners = async (org: string) =>
    (await sql<{ user_id: string }[]>`select user_id from organization_members where organization_id = ${org} and role = 'owner'`).map((r) => r.user_id);

  it("refuses demoting or removing an organization's only owner; allows it once there is another", async () => {
    const org = await newOrganization("one-owner", [
      [users.owner, "owner"],
      [users.admin, "admin"],
    ]);
    try {
      await expect(sql`update organization_members set role = 'admin' where organization_id = ${org.id} and user_id = ${users.owner}`).rejects.toThrow(
        /keeps at least one owner/,
      );
      await expect(sql`delete from organization_members where organization_id = ${org.id} and user_id = ${users.owner}`).rejects.toThrow(/keeps at least one owner/);
      // Demoting every owner at once is refused as well.
      await expect(sql`update organization_members set role = 'viewer' where organization_id = ${org.id}`).rejects.toThrow(/keeps at least one owner/);
      expect(await owners(org.id)).toEqual([users.owner]);
      await sql`update organization_members set role = 'owner' where organization_id = ${org.id} and user_id = ${users.admin}`;
      await sql`update organization_members set role = 'developer' where organization_id = ${org.id} and user_id = ${users.owner}`;
      expect(await owners(org.id)).toEqual([users.admin]);
    } finally {
      await sql`delete from organizations where id = ${org.id}`;
    }
  });

  it("two owners demoting each other at once, in two transactions: one wins, one owner remains", async () => {
    const org = await newOrganization("race", [
      [users.owner, "owner"],
      [users.admin, "owner"],
    ]);
    const first = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
    const second = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
    try {
      const [{ pid }] = (await second`select pg_backend_pid() as pid`) as unknown as [{ pid: number }];
      let secondResult: Promise<unknown> = Promise.resolve();
      await first.begin(async (tx) => {
        await tx`update organization_members set role = 'admin' where organization_id = ${org.id} and user_id = ${users.owner}`;
        // The second demotion starts while the first is uncommitted; it must wait for it.
        secondResult = second`update organization_members set role = 'admin' where organization_id = ${org.id} and user_id = ${users.admin}`.execute();
        const settled = secondResult.then(
          () => "settled",
          () => "settled",
        );
        for (;;) {
          const [row] = await sql`select cardinality(pg_blocking_pids(${pid}::int)) > 0 as blocked`;
          if (row?.blocked) break;
          if ((await Promise.race([settled, new Promise((r) => setTimeout(r, 20, "pending"))])) === "settled") break;
        }
      });
      await expect(secondResult).rejects.toThrow(/keeps at least one owner/);
      expect(await owners(org.id)).toEqual([users.admin]);
    } finally {
      await Promise.all([first.end({ timeout: 5 }), second.end({ timeout: 5 })]);
      await sql`delete from organizations where id = ${org.id}`;
    }
  });

  it("refuses moving an organization's only owner into another organization, whatever the statement changes", async () => {
    const org = await newOrganization("moved-owner", [[users.owner, "owner"]]);
    try {
      await expect(sql`update organization_members set organization_id = ${teamB.id} where organization_id = ${org.id}`).rejects.toThrow(/keeps at least one owner/);
      await expect(sql`update organization_members set organization_id = ${teamB.id}, role = 'owner' where organization_id = ${org.id}`).rejects.toThrow(
        /keeps at least one owner/,
      );
      expect(await owners(org.id)).toEqual([users.owner]);
      // Handing the ownership to another person in the same organization keeps an owner.
      await sql`update organization_members set user_id = ${users.admin} where organization_id = ${org.id}`;
      expect(await owners(org.id)).toEqual([users.admin]);
    } finally {
      await sql`delete from organizations where id = ${org.id}`;
    }
  });

  it("deleting an organization takes its members (owners too), service accounts, keys and trail", async () => {
    const org = await newOrganization("doomed", [
      [users.owner, "owner"],
      [users.viewer, "viewer"],
    ]);
    await sql`delete from organizations where id = ${org.id}`;
    const [left] = await sql`select
      (select count(*) from organization_members where organization_id = ${org.id})::int as members,
      (select count(*) from service_accounts where organization_id = ${org.id})::int as service_accounts,
      (select count(*) from api_keys where organization_id = ${org.id})::int as keys,
      (select count(*) from audit_events where organization_id = ${org.id})::int as events,
      (select count(*) from api_key_usage where organization_id = ${org.id})::int as usage,
      (select count(*) from behavior_specs where organization_id = ${org.id})::int as specs`;
    expect(left).toEqual({ members: 0, service_accounts: 0, keys: 0, events: 0, usage: 0, specs: 0 });
  });
});

describe("service accounts' keys", () => {
  it("a service account's key is in its service account's organization, never another's", async () => {
    const insert = (org: string) =>
      sql`insert into api_keys (organization_id, service_account_id, name, key_prefix, key_hash, scopes)
        values (${org}, ${teamA.serviceAccount}, 'smuggled', ${prefix()}, ${randomBytes(32)}, array['specs:read']) returning id`;
    await expect(insert(teamB.id)).rejects.toThrow(/foreign key/);
    const [row] = await insert(teamA.id);
    await sql`delete from api_keys where id = ${row!.id}`;
    // Nor moved there afterwards.
    await expect(sql`update api_keys set organization_id = ${teamB.id} where id = ${teamA.serviceAccountKey}`).rejects.toThrow(/foreign key/);
  });
});

describe("accounts and personal workspaces", () => {
  it("a new account comes with its personal workspace: one organization, its only member, its owner", async () => {
    const { user } = await newUser("personal");
    const orgs = await sql`select o.id, o.slug, o.name, o.personal_for, m.user_id, m.role
      from organizations o join organization_members m on m.organization_id = o.id where o.personal_for = ${user.id}`;
    expect(orgs).toEqual([{ id: expect.any(String), slug: `p-${user.id.replaceAll("-", "")}`, name: "Personal", personal_for: user.id, user_id: user.id, role: "owner" }]);
    const [members] = await sql`select count(*)::int as n from organization_members where organization_id = ${orgs[0]!.id}`;
    expect(members?.n).toBe(1);
    // And the account sees it through the Data API, with everything an owner sees.
    const [org] = await sql`select * from organizations where id = ${orgs[0]!.id}`;
    const mine = await seen(user.id, "aal1", orgs[0]!.id);
    expect(mine.organizations).toEqual([org!.id]);
    expect(mine.organization_members).toEqual([user.id]);
  });

  it("deleting an account works when it is a team's last owner; its personal workspace goes, the team's specs and trail stay", async () => {
    const { user } = await newUser("leaving-owner");
    const [personal] = await sql`select id from organizations where personal_for = ${user.id}`;
    await sql`insert into audit_events (organization_id, user_id, type, actor_type) values (${personal!.id}, ${user.id}, 'auth.signed_in', 'session')`;
    const team = await newOrganization("orphaned", [
      [user.id, "owner"],
      [users.viewer, "viewer"],
    ]);
    const [teamEvent] = await sql`insert into audit_events (organization_id, user_id, type, actor_type, actor_key_id, actor_key_prefix, key_id, details)
      values (${team.id}, ${user.id}, 'key.revoked', 'api_key', ${team.memberKeys.get(user.id)!}, 'tt_abcdefgh', ${team.serviceAccountKey}, '{"why": "left"}') returning *`;
    try {
      const { error } = await adminClient().auth.admin.deleteUser(user.id);
      expect(error).toBeNull();
      const [after] = await sql`select
        (select count(*) from organizations where id = ${personal!.id} or personal_for = ${user.id})::int as personal,
        (select count(*) from audit_events where organization_id = ${personal!.id})::int as personal_events,
        (select count(*) from organization_members where user_id = ${user.id})::int as memberships,
        (select count(*) from organizations where id = ${team.id})::int as team,
        (select user_id from behavior_specs where id = ${team.spec}) as spec_author,
        (select count(*) from api_keys where id = ${team.serviceAccountKey})::int as service_account_key`;
      expect(after).toEqual({ personal: 0, personal_events: 0, memberships: 0, team: 1, spec_author: null, service_account_key: 1 });
      // The team's trail keeps what they did, no longer naming them; nothing else changed.
      const [kept] = await sql`select * from audit_events where id = ${teamEvent!.id}`;
      expect(kept).toEqual({ ...teamEvent, user_id: null });
      // And only an account's deletion may do that.
      const [viewerEvent] = await sql`insert into audit_events (organization_id, user_id, type, actor_type) values (${team.id}, ${users.viewer}, 'member.joined', 'session') returning id`;
      await expect(sql`update audit_events set user_id = null where id = ${viewerEvent!.id}`).rejects.toThrow(/append-only/);
      await expect(sql`update audit_events set user_id = null, type = 'member.left' where id = ${teamEvent!.id}`).rejects.toThrow(/append-only/);
    } finally {
      await sql`delete from organizations where id = ${team.id}`;
    }
  });
});
