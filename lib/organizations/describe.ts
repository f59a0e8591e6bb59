import { organizationOutput, type Organization, type Role } from "@/lib/contract";

import type { OrganizationContext } from "./membership";

/** An organization as the API answers it, for a caller with `role` there (null: a service account's key). */
export function describeOrganization(organization: OrganizationContext & { createdAt: Date }, role: Role | null): Organization {
  return organizationOutput.parse({
    id: organization.id,
    slug: organization.slug,
    name: organization.name,
    personal: organization.personal,
    role,
    created_at: organization.createdAt.toISOString(),
    policy: {
      require_two_factor: organization.requireTwoFactor,
      max_key_lifetime_days: organization.maxKeyLifetimeDays,
      key_creator_roles: [...organization.keyCreatorRoles],
      member_key_scopes: [...organization.memberKeyScopes],
      default_key_limits: organization.defaultKeyLimits,
    },
  } satisfies Organization);
}
