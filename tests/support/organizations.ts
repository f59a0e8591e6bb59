// Organizations in the integration tests: a session's request about one organization (the
// Tt-Organization header), an organization made through the API or in SQL, a member added in
// SQL (the invitation flow has tests of its own), and a key made in an organization.
import { randomUUID } from "node:crypto";

import type postgres from "postgres";

import { ORGANIZATION_HEADER, type Role } from "../../lib/contract/organizations.ts";
import { api, type Call, type Json } from "./http";
import { sessionCookie } from "./session";
import { APP_URL } from "./stack";

/** A session's request about `org` (its slug or id; omitted: the personal workspace). */
export const inOrg = (session: object, org?: string): Call => ({
  cookie: sessionCookie(session),
  origin: APP_URL,
  ...(org !== undefined ? { headers: { [ORGANIZATION_HEADER]: org } } : {}),
});

/** A key's request, optionally naming an organization. */
export const withKey = (key: string, org?: string): Call => ({ key, ...(org !== undefined ? { headers: { [ORGANIZATION_HEADER]: org } } : {}) });

/** A fresh slug no other test run uses. */
export const uniqueSlug = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

/** A new organization made by `session`'s user (its owner), through the API. */
export async function createOrganization(session: object, slug = uniqueSlug("org"), name = `Org ${slug}`): Promise<Json> {
  const res = await api("/api/v1/organizations", { method: "POST", ...inOrg(session), json: { name, slug } });
  if (res.status !== 201) throw new Error(`creating an organization failed: ${res.status} ${res.text}`);
  return res.body.data as Json;
}

/** `userId` joins `organizationId` with `role` (as accepting an invitation would). */
export async function addMember(sql: postgres.Sql, organizationId: string, userId: string, role: Role): Promise<void> {
  await sql`insert into public.organization_members (organization_id, user_id, role) values (${organizationId}, ${userId}, ${role})`;
}

/**
 * An organization made in SQL (for files whose subject is not the organizations API), with
 * these members and their roles.
 */
export async function organizationInSql(
  sql: postgres.Sql,
  slug: string,
  name: string,
  members: readonly [{ user: { id: string } }, Role][],
): Promise<{ id: string; slug: string }> {
  const [org] = await sql<{ id: string }[]>`insert into public.organizations (slug, name) values (${slug}, ${name}) returning id`;
  for (const [member, role] of members) await addMember(sql, org!.id, member.user.id, role);
  return { id: org!.id, slug };
}

/** A key for `session`'s user in `org`, through the API; throws unless it is made. */
export async function createKeyIn(session: object, org: string, fields: Record<string, unknown> = {}): Promise<Json> {
  const res = await api("/api/v1/api-keys", { method: "POST", ...inOrg(session, org), json: { name: "org key", ...fields } });
  if (res.status !== 201) throw new Error(`creating a key in ${org} failed: ${res.status} ${res.text}`);
  return res.body.data as Json;
}
