import "server-only";

import type { Role } from "@/lib/contract";
import type { Db } from "@/lib/db";

import { toOrganizationContext, type OrganizationContext } from "./membership";

export type UserOrganization = { organization: OrganizationContext; role: Role; createdAt: Date };

/**
 * Every organization the user belongs to, with their role there: the personal workspace
 * first, then by name. What the dashboard's switcher lists; one indexed query.
 */
export async function listUserOrganizations(db: Db, userId: string): Promise<UserOrganization[]> {
  const rows = await db<
    {
      id: string;
      slug: string;
      name: string;
      personal: boolean;
      require_two_factor: boolean;
      max_key_lifetime_days: number | null;
      key_creator_roles: string[];
      member_key_scopes: string[];
      role: string;
      created_at: Date;
    }[]
  >`
    select o.id, o.slug, o.name, o.personal_for is not null as personal, o.require_two_factor, o.max_key_lifetime_days,
           o.key_creator_roles, o.member_key_scopes, m.role, o.created_at
    from public.organization_members m
    join public.organizations o on o.id = m.organization_id
    where m.user_id = ${userId}
    order by (o.personal_for is not null) desc, lower(o.name), o.slug`;
  return rows.map((row) => ({ organization: toOrganizationContext(row), role: row.role as Role, createdAt: row.created_at }));
}
