import "server-only";

import { recordAuditEvent, type Tx } from "@/lib/activity/audit";
import type { AuditActor } from "@/lib/activity/audit-actor";
import { settleKeyChange } from "@/lib/api-keys/settle-key-change";
import type { Organization, Role } from "@/lib/contract";
import type { Db } from "@/lib/db";
import { conflictError, forbiddenError, notFoundError, refusedChange } from "@/lib/domain-errors";

import { describeOrganization } from "./describe";
import { ORG_LIMIT_COLUMNS, toOrganizationContext, type OrganizationContext, type OrganizationRow } from "./membership";
import { slugCandidate, slugFromName } from "./slug";

// Organizations themselves: list, create, read, rename, delete. Every function takes the
// organization (or the caller) it is about; nothing here reaches an organization by id
// alone for someone who is not in it — the request's organization is already one the
// caller belongs to (lib/auth/principal.ts).

export const ORGANIZATION_NOT_FOUND = "Organization not found";

type OrgRow = OrganizationRow & { created_at: Date };

const orgColumns = (sql: Db | Tx) => (sql as Db)`
  o.id, o.slug, o.name, o.personal_for is not null as personal, o.require_two_factor, o.max_key_lifetime_days,
  o.key_creator_roles, o.member_key_scopes, ${(sql as Db).unsafe(ORG_LIMIT_COLUMNS)}, o.created_at`;

const toOrganization = (row: OrgRow): OrganizationContext & { createdAt: Date } => ({ ...toOrganizationContext(row), createdAt: row.created_at });

/** The organization as it is now (not as a cached membership saw it), or 404. `lock`: for the transaction's changes. */
export async function loadOrganization(sql: Db | Tx, organizationId: string, lock = false) {
  const db = sql as Db;
  const [row] = await db<OrgRow[]>`select ${orgColumns(db)} from public.organizations o where o.id = ${organizationId} ${lock ? db`for update` : db``}`;
  if (!row) throw notFoundError(ORGANIZATION_NOT_FOUND);
  return toOrganization(row);
}

/** A slug another organization has: the unique index's refusal. */
const slugTaken = (error: unknown) => {
  const e = error as { code?: unknown; constraint_name?: unknown } | null;
  return e?.code === "23505" && e.constraint_name === "organizations_slug_key";
};
const takenError = (slug: string) => conflictError(`The slug ${slug} is taken; choose another`);

/**
 * The caller's organizations, their personal workspace first, then in the order they joined.
 * `userId` null (a service account's key): only the key's own organization, without a role.
 */
export async function listOrganizations(db: Db, params: { userId: string | null; organizationId: string; page: number; perPage: number }) {
  const offset = (params.page - 1) * params.perPage;
  if (params.userId === null) {
    const organization = await loadOrganization(db, params.organizationId);
    return { items: offset === 0 ? [describeOrganization(organization, null)] : [], total: 1 };
  }
  const rows = await db<(OrgRow & { role: Role; total: number })[]>`
    select ${orgColumns(db)}, m.role, count(*) over ()::int as total
    from public.organizations o
    join public.organization_members m on m.organization_id = o.id and m.user_id = ${params.userId}
    order by (o.personal_for is not null) desc, m.created_at, o.id
    limit ${params.perPage} offset ${offset}`;
  let total = rows[0]?.total ?? 0;
  if (!rows[0] && offset > 0) {
    const [count] = await db<{ total: number }[]>`select count(*)::int as total from public.organization_members where user_id = ${params.userId}`;
    total = count?.total ?? 0;
  }
  return { items: rows.map((row) => describeOrganization(toOrganization(row), row.role)), total };
}

/**
 * A new organization with its creator as its owner, and its first event, in one transaction.
 * A slug asked for and taken is a 409; one made from the name takes the first free
 * `name`, `name-2`, `name-3`, ….
 */
export async function createOrganization(db: Db, params: { userId: string; name: string; slug?: string; actor: AuditActor }): Promise<Organization> {
  const base = params.slug ?? slugFromName(params.name);
  for (let n = 1; n <= 50; n++) {
    const slug = params.slug ?? slugCandidate(base, n);
    const created = await db.begin(async (tx) => {
      const [row] = await tx<OrgRow[]>`
        insert into public.organizations as o (slug, name) values (${slug}, ${params.name})
        on conflict (slug) do nothing
        returning ${orgColumns(tx)}`;
      if (!row) return null;
      await tx`insert into public.organization_members (organization_id, user_id, role) values (${row.id}, ${params.userId}, 'owner')`;
      await recordAuditEvent(tx, {
        type: "organization.created",
        organizationId: row.id,
        userId: params.userId,
        actor: params.actor,
        details: { name: row.name, slug: row.slug },
      });
      return row;
    });
    if (created) return describeOrganization(toOrganization(created), "owner");
    if (params.slug !== undefined) throw takenError(params.slug);
  }
  throw takenError(base);
}

/** The request's organization as it is now. `role` null: a service account's key. */
export async function getOrganization(db: Db, params: { organizationId: string; role: Role | null }): Promise<Organization> {
  return describeOrganization(await loadOrganization(db, params.organizationId), params.role);
}

/**
 * Renames the organization or changes its slug (a personal workspace keeps its own: 409;
 * a slug taken: 409). One event for what changed, none when nothing did.
 */
export async function updateOrganization(
  db: Db,
  params: { organizationId: string; role: Role | null; userId: string | null; name?: string; slug?: string; actor: AuditActor },
): Promise<Organization> {
  try {
    const organization = await db.begin(async (tx) => {
      const current = await loadOrganization(tx, params.organizationId, true);
      const name = params.name ?? current.name;
      const slug = params.slug ?? current.slug;
      if (current.personal && slug !== current.slug) throw conflictError("A personal workspace keeps its slug; you can rename it");
      if (name === current.name && slug === current.slug) return current;
      const [row] = await tx<OrgRow[]>`
        update public.organizations o set name = ${name}, slug = ${slug} where o.id = ${current.id} returning ${orgColumns(tx)}`;
      const from: Record<string, string> = {};
      const to: Record<string, string> = {};
      if (name !== current.name) [from.name, to.name] = [current.name, name];
      if (slug !== current.slug) [from.slug, to.slug] = [current.slug, slug];
      await recordAuditEvent(tx, { type: "organization.renamed", organizationId: current.id, userId: params.userId, actor: params.actor, details: { from, to } });
      return toOrganization(row!);
    });
    return describeOrganization(organization, params.role);
  } catch (error) {
    if (slugTaken(error)) throw takenError(params.slug ?? "");
    throw error;
  }
}

/**
 * Deletes the organization with everything it holds (specs, keys, service accounts,
 * invitations, its trail: the foreign keys cascade). Owners only; never a personal workspace;
 * `confirm` must be its slug; an owner with a verified second factor sends its current code,
 * which `verifyCode` checks with Supabase Auth (throwing when it is not right). Answers T
 * after the commit, so no instance still accepts one of its keys or sessions in it.
 */
export async function deleteOrganization(
  db: Db,
  params: { organizationId: string; userId: string; confirm: string; code?: string; verifyCode: (code: string) => Promise<void> },
): Promise<Organization> {
  const [found] = await db<(OrgRow & { role: Role | null; two_factor: boolean })[]>`
    select ${orgColumns(db)},
           (select m.role from public.organization_members m where m.organization_id = o.id and m.user_id = ${params.userId}) as role,
           exists (select 1 from auth.mfa_factors f where f.user_id = ${params.userId} and f.status = 'verified') as two_factor
    from public.organizations o where o.id = ${params.organizationId}`;
  if (!found || found.role === null) throw notFoundError(ORGANIZATION_NOT_FOUND);
  if (found.role !== "owner") throw forbiddenError("Only an owner can delete the organization");
  if (found.personal) throw conflictError("A personal workspace cannot be deleted; it goes with your account");
  if (params.confirm !== found.slug) {
    const message = `must be the organization's slug, ${found.slug}`;
    throw refusedChange(`To delete the organization, type its slug (${found.slug}) in confirm`, [{ path: "confirm", message }]);
  }
  if (found.two_factor) {
    if (params.code === undefined) {
      throw refusedChange("You have two-factor authentication: send the current code from your authenticator app", [
        { path: "code", message: "is required: you have two-factor authentication" },
      ]);
    }
    await params.verifyCode(params.code);
  }
  // Still an owner now (the role could have changed while the code was checked).
  const [deleted] = await db<OrgRow[]>`
    delete from public.organizations o
    where o.id = ${found.id}
      and exists (select 1 from public.organization_members m where m.organization_id = o.id and m.user_id = ${params.userId} and m.role = 'owner')
    returning ${orgColumns(db)}`;
  if (!deleted) throw forbiddenError("Only an owner can delete the organization");
  await settleKeyChange();
  return describeOrganization(toOrganization(deleted), "owner");
}
