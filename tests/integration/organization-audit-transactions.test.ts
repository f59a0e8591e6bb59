// The organizations' own audit events commit in the same transaction as their change, proved
// as tests/integration/audit-transactions.test.ts proves the key events: the rows a change
// wrote and the event it recorded have the same `xmin` (the id of the transaction that wrote
// them). A fresh organization per change, so each event is found by its organization and type.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AuditEventType } from "@/lib/contract";

import { api } from "../support/http";
import { addMember, createKeyIn, createOrganization, inOrg, uniqueSlug } from "../support/organizations";
import { DATABASE_URL, newUser } from "../support/stack";

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

type User = Awaited<ReturnType<typeof newUser>>;
let owner: User;
let member: User;
beforeAll(async () => {
  [owner, member] = await Promise.all([newUser("org-xmin-owner"), newUser("org-xmin-member")]);
});

/** A row a change wrote: its table and how to find it (`where`: a column, or an expression of its columns). */
type Changed = { table: "public.organizations" | "public.organization_members" | "public.api_keys"; where: string; value: string };
type Scenario = { organizationId: string; events: AuditEventType[]; changed: Changed[] };

const xminOf = async ({ table, where, value }: Changed) => {
  const rows = await sql.unsafe<{ x: string }[]>(`select xmin::text as x from ${table} where ${where} = $1`, [value]);
  expect(rows, `${table} where ${where}`).toHaveLength(1);
  return rows[0]!.x;
};
const orgRow = (id: string): Changed => ({ table: "public.organizations", where: "id", value: id });
const membershipRow = (orgId: string, userId: string): Changed => ({
  table: "public.organization_members",
  where: "organization_id::text || ' ' || user_id::text",
  value: `${orgId} ${userId}`,
});
const keyRow = (id: string): Changed => ({ table: "public.api_keys", where: "id", value: id });

/** An organization of the owner's with the member in it as a developer holding a key there. */
async function withMember() {
  const org = await createOrganization(owner.session, uniqueSlug("xmin"));
  await addMember(sql, org.id, member.user.id, "developer");
  const key = await createKeyIn(member.session, org.slug);
  return { org, keyId: key.id as string };
}

const SCENARIOS: Record<string, () => Promise<Scenario>> = {
  "creating an organization (the organization, its owner, one event)": async () => {
    const org = await createOrganization(owner.session, uniqueSlug("xmin-new"));
    return { organizationId: org.id, events: ["organization.created"], changed: [orgRow(org.id), membershipRow(org.id, owner.user.id)] };
  },
  "renaming an organization": async () => {
    const org = await createOrganization(owner.session, uniqueSlug("xmin-name"));
    expect((await api("/api/v1/organization", { method: "PATCH", ...inOrg(owner.session, org.slug), json: { name: "Renamed" } })).status).toBe(200);
    return { organizationId: org.id, events: ["organization.renamed"], changed: [orgRow(org.id)] };
  },
  "changing a member's role": async () => {
    const { org } = await withMember();
    const res = await api(`/api/v1/organization/members/${member.user.id}`, { method: "PATCH", ...inOrg(owner.session, org.slug), json: { role: "viewer" } });
    expect(res.status, res.text).toBe(200);
    return { organizationId: org.id, events: ["member.role_changed"], changed: [membershipRow(org.id, member.user.id)] };
  },
  "removing a member (their key revoked, two events)": async () => {
    const { org, keyId } = await withMember();
    expect((await api(`/api/v1/organization/members/${member.user.id}`, { method: "DELETE", ...inOrg(owner.session, org.slug) })).status).toBe(200);
    return { organizationId: org.id, events: ["member.removed", "key.revoked"], changed: [keyRow(keyId)] };
  },
  "leaving (the key revoked, two events)": async () => {
    const { org, keyId } = await withMember();
    expect((await api("/api/v1/organization/membership", { method: "DELETE", ...inOrg(member.session, org.slug) })).status).toBe(200);
    return { organizationId: org.id, events: ["member.left", "key.revoked"], changed: [keyRow(keyId)] };
  },
  "changing a policy": async () => {
    const org = await createOrganization(owner.session, uniqueSlug("xmin-policy"));
    expect((await api("/api/v1/organization/policy", { method: "PATCH", ...inOrg(owner.session, org.slug), json: { max_key_lifetime_days: 90 } })).status).toBe(200);
    return { organizationId: org.id, events: ["policy.changed"], changed: [orgRow(org.id)] };
  },
};

/** The event types proved here (tests/integration/audit-transactions.test.ts names this file for them). */
const PROVED_HERE: AuditEventType[] = ["organization.created", "organization.renamed", "member.role_changed", "member.removed", "member.left", "policy.changed"];

describe("every organization event commits with its change (same xmin)", () => {
  const covered = new Set<AuditEventType>();
  for (const [name, act] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      const scenario = await act();
      const changes = await Promise.all(scenario.changed.map(xminOf));
      for (const type of scenario.events) {
        covered.add(type);
        const events = await sql<{ x: string }[]>`
          select xmin::text as x from public.audit_events where organization_id = ${scenario.organizationId} and type = ${type}`;
        expect(events, `${type} recorded`).toHaveLength(1);
        for (const [i, x] of changes.entries()) expect(events[0]!.x, `${type} and ${scenario.changed[i]!.table}`).toBe(x);
      }
    });
  }

  it("covers each of its event types", () => {
    expect(PROVED_HERE.every((type) => covered.has(type))).toBe(true);
  });
});
