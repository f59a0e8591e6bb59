import "server-only";

import { recordAuditEvent } from "@/lib/activity/audit";
import type { AuditActor } from "@/lib/activity/audit-actor";
import { settleKeyChange } from "@/lib/api-keys/settle-key-change";
import { canonicalScopes, isNarrowing, ROLES, type OrganizationPolicy, type UpdateOrganizationPolicyInput } from "@/lib/contract";
import { columnsOf } from "@/lib/usage-limits/columns";
import type { Db } from "@/lib/db";
import { conflictError } from "@/lib/domain-errors";

import { describeOrganization } from "./describe";
import { loadOrganization } from "./organizations";

// An organization's policies (owners and admins: org:write). Read from the row as it is now,
// not from a cached membership. Each change is one policy.changed event with the fields that
// changed, in the transaction of the change; every change waits T before it answers
// (settleKeyChange): the key lookup and the membership lookup read the policy with the key's
// or the session's row and each instance keeps those for up to T, so from the answer on every
// key and session is held to the new policy — a tightened one at once, as every change that
// takes power away must be, and a loosened one too, so a member is not refused what they
// were just allowed.

const policyOf = (organization: Awaited<ReturnType<typeof loadOrganization>>): OrganizationPolicy => describeOrganization(organization, null).policy;

export async function getOrganizationPolicy(db: Db, params: { organizationId: string }): Promise<OrganizationPolicy> {
  return policyOf(await loadOrganization(db, params.organizationId));
}

type Field = keyof OrganizationPolicy;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Changes the policies sent. Requiring two-factor authentication is refused (409) to a person
 * who has none themselves: it would lock them out of the organization they are changing.
 */
export async function updateOrganizationPolicy(
  db: Db,
  params: {
    organizationId: string;
    userId: string | null;
    patch: UpdateOrganizationPolicyInput;
    actor: AuditActor;
    /** Called (in the transaction) when the default key limits are raised or removed: throws unless the caller may widen. */
    authorizeWidening: (field: string) => Promise<void>;
  },
): Promise<OrganizationPolicy> {
  const { patch } = params;
  const { changed, after } = await db.begin(async (tx): Promise<{ changed: Field[]; after: OrganizationPolicy }> => {
    const before = policyOf(await loadOrganization(tx, params.organizationId, true));
    const after: OrganizationPolicy = {
      require_two_factor: patch.require_two_factor ?? before.require_two_factor,
      max_key_lifetime_days: patch.max_key_lifetime_days !== undefined ? patch.max_key_lifetime_days : before.max_key_lifetime_days,
      key_creator_roles: patch.key_creator_roles ? ROLES.filter((role) => patch.key_creator_roles!.includes(role)) : before.key_creator_roles,
      member_key_scopes: patch.member_key_scopes ? canonicalScopes(patch.member_key_scopes) : before.member_key_scopes,
      default_key_limits: patch.default_key_limits !== undefined ? patch.default_key_limits : before.default_key_limits,
    };
    const changed = (Object.keys(after) as Field[]).filter((field) => !same(before[field], after[field]));
    if (changed.length === 0) return { changed, after };
    if (changed.includes("default_key_limits") && !isNarrowing(before.default_key_limits, after.default_key_limits)) {
      await params.authorizeWidening("default_key_limits");
    }
    const limits = columnsOf(after.default_key_limits);
    if (after.require_two_factor && !before.require_two_factor && params.userId !== null) {
      const [me] = await tx<{ found: boolean }[]>`
        select exists (select 1 from auth.mfa_factors where user_id = ${params.userId} and status = 'verified') as found`;
      if (!me?.found) throw conflictError("Set up two-factor authentication yourself (Settings → Security) before requiring it of the organization's members");
    }
    await tx`
      update public.organizations set
        require_two_factor = ${after.require_two_factor},
        max_key_lifetime_days = ${after.max_key_lifetime_days},
        key_creator_roles = ${after.key_creator_roles}::text[],
        member_key_scopes = ${after.member_key_scopes}::text[],
        limit_rate = ${limits.limit_rate}, limit_rate_per = ${limits.limit_rate_per}, limit_burst = ${limits.limit_burst},
        limit_quota = ${limits.limit_quota}, limit_quota_per = ${limits.limit_quota_per}
      where id = ${params.organizationId}`;
    const pick = (policy: OrganizationPolicy) => Object.fromEntries(changed.map((field) => [field, policy[field]]));
    await recordAuditEvent(tx, {
      type: "policy.changed",
      organizationId: params.organizationId,
      userId: params.userId,
      actor: params.actor,
      details: { from: pick(before), to: pick(after) },
    });
    return { changed, after };
  });
  if (changed.length > 0) await settleKeyChange();
  return after;
}
