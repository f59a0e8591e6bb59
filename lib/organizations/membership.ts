import "server-only";

import type postgres from "postgres";

import { CACHE_CAPS } from "@/lib/cache-caps";
import { ROLES, SCOPES, type Role, type Scope, type UsageLimits } from "@/lib/contract";
import type { Db } from "@/lib/db";
import { env } from "@/lib/env";
import { VerificationCache } from "@/lib/api-keys/verification-cache";
import { limitsFromColumns, type LimitColumns } from "@/lib/usage-limits/columns";

// Which organization a session's request is about, and the member's role there: the
// `Tt-Organization` header's (a slug or an id), else the personal workspace. Remembered per
// instance for at most T (KEY_CACHE_TTL_MS), like a key's row, so a busy session costs no
// query per request; and every change that takes power from a member (removed, role lowered,
// a policy tightened, the organization deleted) waits T after it commits before it answers
// (lib/api-keys/settle-key-change.ts), so from its answer on no instance serves the old role.

export type OrganizationContext = {
  id: string;
  slug: string;
  name: string;
  personal: boolean;
  requireTwoFactor: boolean;
  maxKeyLifetimeDays: number | null;
  keyCreatorRoles: readonly Role[];
  memberKeyScopes: readonly Scope[];
  /** The limits of every key without its own (counted per key), or null. */
  defaultKeyLimits: UsageLimits | null;
};

export type Membership = { organization: OrganizationContext; role: Role };

/** An organization's columns as its queries select them (`personal`: personal_for is not null). */
export type OrganizationRow = {
  id: string;
  slug: string;
  name: string;
  personal: boolean;
  require_two_factor: boolean;
  max_key_lifetime_days: number | null;
  key_creator_roles: string[];
  member_key_scopes: string[];
} & { [K in keyof LimitColumns as `org_${K}`]: LimitColumns[K] };

/** The organization's limit columns, named as OrganizationRow has them. */
export const ORG_LIMIT_COLUMNS = "o.limit_rate as org_limit_rate, o.limit_rate_per as org_limit_rate_per, o.limit_burst as org_limit_burst, o.limit_quota as org_limit_quota, o.limit_quota_per as org_limit_quota_per";

type Row = OrganizationRow & { role: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A header value that could name an organization (a slug or an id); anything else names none. */
export const organizationRef = (value: string | null): string | null => {
  if (value === null) return null;
  const ref = value.trim();
  return ref.length > 0 && ref.length <= 64 && /^[A-Za-z0-9-]+$/.test(ref) ? ref.toLowerCase() : "";
};

export const toOrganizationContext = (row: OrganizationRow): OrganizationContext => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  personal: row.personal,
  requireTwoFactor: row.require_two_factor,
  maxKeyLifetimeDays: row.max_key_lifetime_days,
  keyCreatorRoles: ROLES.filter((role) => row.key_creator_roles.includes(role)),
  memberKeyScopes: SCOPES.filter((scope) => row.member_key_scopes.includes(scope)),
  defaultKeyLimits: limitsFromColumns({
    limit_rate: row.org_limit_rate,
    limit_rate_per: row.org_limit_rate_per,
    limit_burst: row.org_limit_burst,
    limit_quota: row.org_limit_quota,
    limit_quota_per: row.org_limit_quota_per,
  }),
});

/** The user's membership in the organization `ref` names (null: the personal workspace), or null. One indexed query. */
export async function findMembership(sql: Db | postgres.TransactionSql, userId: string, ref: string | null): Promise<Membership | null> {
  const db = sql as Db;
  const which =
    ref === null ? db`o.personal_for = ${userId}` : UUID.test(ref) ? db`o.id = ${ref}::uuid` : db`o.slug = ${ref}`;
  const [row] = await db<Row[]>`
    select o.id, o.slug, o.name, o.personal_for is not null as personal, o.require_two_factor, o.max_key_lifetime_days,
           o.key_creator_roles, o.member_key_scopes, ${db.unsafe(ORG_LIMIT_COLUMNS)}, m.role
    from public.organizations o
    join public.organization_members m on m.organization_id = o.id and m.user_id = ${userId}
    where ${which}`;
  return row ? { organization: toOrganizationContext(row), role: row.role as Role } : null;
}

const globalForMemberships = globalThis as typeof globalThis & { __ttMembershipCache?: VerificationCache<Membership> };
export const membershipCache: VerificationCache<Membership> = (globalForMemberships.__ttMembershipCache ??= new VerificationCache<Membership>({
  ttlMs: env.KEY_CACHE_TTL_MS,
  maxEntries: CACHE_CAPS.memberships,
  now: () => performance.now(),
}));

/** findMembership through this instance's memory (at most T old). */
export function sessionMembership(db: Db, userId: string, ref: string | null): Promise<Membership | null> {
  return membershipCache.get(`${userId} ${ref ?? ""}`, () => findMembership(db, userId, ref));
}
