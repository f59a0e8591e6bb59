// Every audit event commits in the same transaction as the change it records — proved from
// the database, not from the order of calls: each audited operation is made through the API,
// then the rows it changed and the event it wrote are read with Postgres' `xmin` (the id of
// the transaction that wrote each row version). An event written in a transaction of its
// own has another xmin. Each key event type the contract lists must have its operation here.
import { createHash } from "node:crypto";

import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { AUDIT_EVENT_TYPES, type AuditEventType } from "@/lib/contract";

import { ENV_DEFAULTS } from "../../lib/local-defaults.ts";
import { api } from "../support/http";
import { linksIn, waitForMail } from "../support/mailpit";
import { createApiKey, sessionCookie } from "../support/session";
import { APP_URL, DATABASE_URL, newUser } from "../support/stack";

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

let user: Awaited<ReturnType<typeof newUser>>;
let cookie: string;
beforeAll(async () => {
  user = await newUser("audit-xmin");
  cookie = sessionCookie(user.session);
});
const asSession = () => ({ cookie, origin: APP_URL });

/** A row a change wrote: its table and how to find it (`where`: a column, or an expression of its columns). */
type Changed = {
  table:
    | "public.api_keys"
    | "internal.cli_device_codes"
    | "internal.key_expiry_notices"
    | "public.organization_invitations"
    | "public.organization_members"
    | "public.service_accounts";
  where: string;
  value: unknown;
};
/** The events are found by the key they are about, or (`detail`) by a field of their details. */
type Scenario = { events: AuditEventType[]; keyId: string; changed: Changed[] } | { events: AuditEventType[]; detail: [string, string]; changed: Changed[] };

const xminOf = async ({ table, where, value }: Changed) => {
  const rows = await sql.unsafe<{ x: string }[]>(`select xmin::text as x from ${table} where ${where} = $1`, [value as string]);
  expect(rows, `${table} where ${where}`).toHaveLength(1);
  return rows[0]!.x;
};
const eventXmins = async (scenario: Scenario, type: AuditEventType) =>
  (
    await sql<{ x: string }[]>`
      select xmin::text as x from public.audit_events
      where ${"keyId" in scenario ? sql`key_id = ${scenario.keyId}` : sql`details->>${scenario.detail[0]} = ${scenario.detail[1]}`} and type = ${type}
      order by occurred_at desc`
  ).map((r) => r.x);
const keyRow = (id: string): Changed => ({ table: "public.api_keys", where: "id", value: id });

// An organization of the user's (made in SQL: its API is tested elsewhere), for the
// invitation and service-account events.
let organization: { id: string; slug: string } | undefined;
async function usersOrganization() {
  if (!organization) {
    const slug = `xmin-${createHash("sha256").update(user.user.id).digest("hex").slice(0, 8)}`;
    const [org] = await sql<{ id: string }[]>`insert into public.organizations (slug, name) values (${slug}, 'Audit xmin') returning id`;
    await sql`insert into public.organization_members (organization_id, user_id, role) values (${org!.id}, ${user.user.id}, 'owner')`;
    organization = { id: org!.id, slug };
  }
  return organization;
}
const inOrganization = async () => ({ ...asSession(), headers: { "tt-organization": (await usersOrganization()).slug } });
const invitationRow = (id: string): Changed => ({ table: "public.organization_invitations", where: "id", value: id });
async function invited(email: string): Promise<string> {
  const res = await api("/api/v1/organization/invitations", { method: "POST", ...(await inOrganization()), json: { email, role: "viewer" } });
  expect(res.status, res.text).toBe(201);
  return res.body.data.id as string;
}
async function serviceAccount(): Promise<string> {
  const res = await api("/api/v1/organization/service-accounts", { method: "POST", ...(await inOrganization()), json: { name: `xmin ${Date.now()}` } });
  expect(res.status, res.text).toBe(201);
  return res.body.data.id as string;
}

/** Each audited change, made as a client makes it; what it should have recorded, and the rows it wrote. */
const SCENARIOS: Record<string, () => Promise<Scenario>> = {
  "creating a key": async () => {
    const { id } = await createApiKey(user.session, "created");
    return { events: ["key.created"], keyId: id, changed: [keyRow(id)] };
  },
  "renaming a key": async () => {
    const { id } = await createApiKey(user.session, "before");
    expect((await api(`/api/v1/api-keys/${id}`, { method: "PATCH", ...asSession(), json: { name: "after" } })).status).toBe(200);
    return { events: ["key.renamed"], keyId: id, changed: [keyRow(id)] };
  },
  "narrowing a key": async () => {
    const { id } = await createApiKey(user.session, "wide");
    expect((await api(`/api/v1/api-keys/${id}`, { method: "PATCH", ...asSession(), json: { scopes: ["specs:read"] } })).status).toBe(200);
    return { events: ["key.narrowed"], keyId: id, changed: [keyRow(id)] };
  },
  "renaming and narrowing at once (two events, one transaction)": async () => {
    const { id } = await createApiKey(user.session, "both");
    expect((await api(`/api/v1/api-keys/${id}`, { method: "PATCH", ...asSession(), json: { name: "both after", scopes: ["keys:read"] } })).status).toBe(200);
    return { events: ["key.renamed", "key.narrowed"], keyId: id, changed: [keyRow(id)] };
  },
  "revoking a key with the session": async () => {
    const { id } = await createApiKey(user.session, "revoked by session");
    expect((await api(`/api/v1/api-keys/${id}`, { method: "DELETE", ...asSession() })).status).toBe(200);
    return { events: ["key.revoked"], keyId: id, changed: [keyRow(id)] };
  },
  "revoking a key with another key": async () => {
    const { id } = await createApiKey(user.session, "revoked by key");
    const actor = await createApiKey(user.session, "revoker", undefined, ["keys:write"]);
    expect((await api(`/api/v1/api-keys/${id}`, { method: "DELETE", key: actor.key })).status).toBe(200);
    return { events: ["key.revoked"], keyId: id, changed: [keyRow(id)] };
  },
  "rolling a key (the old row, the new row, one event)": async () => {
    const { id } = await createApiKey(user.session, "rolled");
    const res = await api(`/api/v1/api-keys/${id}/roll`, { method: "POST", ...asSession(), json: { grace_seconds: 60 } });
    expect(res.status).toBe(201);
    return { events: ["key.rolled"], keyId: id, changed: [keyRow(id), keyRow(res.body.data.id)] };
  },
  "revoking a key handed in as exposed": async () => {
    const { id, key } = await createApiKey(user.session, "exposed");
    expect((await api("/api/v1/credentials/revoke", { method: "POST", json: { credentials: [key] } })).status).toBe(202);
    return { events: ["key.revoked"], keyId: id, changed: [keyRow(id)] };
  },
  "a key minted by the device flow (the key, the spent request, one event)": async () => {
    const flow = await api("/api/v1/cli/device-codes", { method: "POST", json: { client: { hostname: "xmin", os: "linux x64", version: "0.0.0" } } });
    expect(flow.status).toBe(201);
    const { device_code, user_code } = flow.body.data as { device_code: string; user_code: string };
    // Approved as the page's Server Action does (tested end to end in tests/cli/device-login.test.ts).
    await sql`update internal.cli_device_codes set status = 'approved', user_id = ${user.user.id}, decided_at = now()
              where user_code = ${user_code.replace("-", "")} and status = 'pending'`;
    const token = await api("/api/v1/cli/token", { method: "POST", json: { device_code } });
    expect(token.status, token.text).toBe(201);
    const [row] = await sql<{ id: string }[]>`select id from public.api_keys where key_hash = ${createHash("sha256").update(token.body.data.key as string).digest()}`;
    const hash = createHash("sha256").update(device_code).digest();
    return {
      events: ["key.created"],
      keyId: row!.id,
      changed: [keyRow(row!.id), { table: "internal.cli_device_codes", where: "device_code_hash", value: hash }],
    };
  },
  "an expiry mail (the notice's record, one event)": async () => {
    const { id } = await createApiKey(user.session, "expiring", new Date(Date.now() + 12 * 3_600_000).toISOString());
    const secret = process.env.CRON_SECRET ?? ENV_DEFAULTS.CRON_SECRET;
    expect((await api("/api/cron/key-expiry", { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);
    return { events: ["key.expiry_mail_sent"], keyId: id, changed: [{ table: "internal.key_expiry_notices", where: "key_id", value: id }] };
  },
  "an invitation (the invitation, one event)": async () => {
    const id = await invited(`xmin-${Date.now()}@test.tunedtensor.local`);
    return { events: ["member.invited"], detail: ["invitation_id", id], changed: [invitationRow(id)] };
  },
  "revoking an invitation": async () => {
    const id = await invited(`xmin-revoked-${Date.now()}@test.tunedtensor.local`);
    expect((await api(`/api/v1/organization/invitations/${id}`, { method: "DELETE", ...(await inOrganization()) })).status).toBe(200);
    return { events: ["member.invitation_revoked"], detail: ["invitation_id", id], changed: [invitationRow(id)] };
  },
  "accepting an invitation (the membership, the invitation, one event)": async () => {
    const invitee = await newUser("audit-xmin-invitee");
    const id = await invited(invitee.email);
    const link = linksIn(await waitForMail(invitee.email, { subject: /invited to join/ })).find((href) => href.includes("/invitations/accept"))!;
    const token = new URL(link).searchParams.get("token");
    const res = await api("/api/v1/invitations/accept", { method: "POST", cookie: sessionCookie(invitee.session), origin: APP_URL, json: { token } });
    expect(res.status, res.text).toBe(200);
    const membership = { table: "public.organization_members", where: "organization_id::text || ' ' || user_id::text", value: `${organization!.id} ${invitee.user.id}` } as const;
    return { events: ["member.joined"], detail: ["invitation_id", id], changed: [invitationRow(id), membership] };
  },
  "creating a service account": async () => {
    const id = await serviceAccount();
    return { events: ["service_account.created"], detail: ["service_account_id", id], changed: [{ table: "public.service_accounts", where: "id", value: id }] };
  },
  "limiting a key": async () => {
    const { id } = await createApiKey(user.session, "limited");
    const limits = { rate: { requests: 100, per: "minute", burst: null }, quota: null };
    const res = await api(`/api/v1/api-keys/${id}`, { method: "PATCH", ...asSession(), json: { limits } });
    expect(res.status, res.text).toBe(200);
    return { events: ["key.limits_changed"], keyId: id, changed: [keyRow(id)] };
  },
  "limiting a service account": async () => {
    const id = await serviceAccount();
    const limits = { rate: null, quota: { requests: 1000, per: "day" } };
    const res = await api(`/api/v1/organization/service-accounts/${id}`, { method: "PATCH", ...(await inOrganization()), json: { limits } });
    expect(res.status, res.text).toBe(200);
    return { events: ["service_account.limits_changed"], detail: ["service_account_id", id], changed: [{ table: "public.service_accounts", where: "id", value: id }] };
  },
  "deleting a service account (the account, its key revoked, two events)": async () => {
    const id = await serviceAccount();
    const key = await api(`/api/v1/organization/service-accounts/${id}/keys`, { method: "POST", ...(await inOrganization()), json: { name: "xmin" } });
    expect(key.status, key.text).toBe(201);
    expect((await api(`/api/v1/organization/service-accounts/${id}`, { method: "DELETE", ...(await inOrganization()) })).status).toBe(200);
    return {
      events: ["service_account.deleted", "key.revoked"],
      detail: ["service_account_id", id],
      changed: [{ table: "public.service_accounts", where: "id", value: id }, keyRow(key.body.data.id as string)],
    };
  },
};

// Recorded from Supabase Auth's answers, whose changes (a session, a factor) are Supabase
// Auth's own transactions in its own service: no transaction of ours can hold them.
const OUTSIDE_OUR_TRANSACTIONS: AuditEventType[] = ["auth.signed_in", "auth.signed_out", "mfa.enrolled", "mfa.removed"];
// Decided through the approval page's Server Action, which only a browser session drives: the
// same xmin comparison (the event and the decided request) is made where that flow is
// driven, in tests/cli/device-login.test.ts ("records the approval and the denial…").
const PROVED_WITH_THE_DEVICE_FLOW: AuditEventType[] = ["cli_login.approved", "cli_login.denied"];
// A quota's crossing changes nothing anyone owns but the window's once-per-window flag, which the
// alert sets in the event's own transaction, off the request path (lib/usage-limits/quota-alerts.ts);
// proved in tests/integration/usage-limit-leases.test.ts (the flag) and
// tests/integration/quota-alerts.test.ts (each crossing recorded once).
const RECORDED_AFTER_THE_CROSSING: AuditEventType[] = ["quota.warning", "quota.exhausted"];
// The organizations' own changes, proved the same way in
// tests/integration/organization-audit-transactions.test.ts.
const PROVED_WITH_ORGANIZATIONS: AuditEventType[] = [
  "organization.created",
  "organization.renamed",
  "member.role_changed",
  "member.removed",
  "member.left",
  "policy.changed",
];

// Keyless CI's (trust policies, a key minted by token exchange), proved the same way in
// tests/integration/token-exchange.test.ts, against the instance that accepts its local issuer.
const PROVED_WITH_KEYLESS_CI: AuditEventType[] = ["trust_policy.created", "trust_policy.changed", "trust_policy.deleted", "key.minted_by_oidc"];

describe("every audit event commits with its change (same xmin)", () => {
  const covered = new Set<AuditEventType>();
  for (const [name, act] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      const scenario = await act();
      const changes = await Promise.all(scenario.changed.map(xminOf));
      for (const type of scenario.events) {
        covered.add(type);
        const events = await eventXmins(scenario, type);
        expect(events, `${type} recorded`).toHaveLength(1);
        for (const [i, x] of changes.entries()) expect(events[0], `${type} and ${scenario.changed[i]!.table}`).toBe(x);
      }
    });
  }

  it("covers every event type the contract lists (or names where it is proved)", () => {
    const ours = AUDIT_EVENT_TYPES.filter(
      (type) =>
        !OUTSIDE_OUR_TRANSACTIONS.includes(type) &&
        !PROVED_WITH_THE_DEVICE_FLOW.includes(type) &&
        !PROVED_WITH_ORGANIZATIONS.includes(type) &&
        !PROVED_WITH_KEYLESS_CI.includes(type) &&
        !RECORDED_AFTER_THE_CROSSING.includes(type),
    );
    expect([...covered].sort()).toEqual([...ours].sort());
  });
});
