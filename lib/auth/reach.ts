import "server-only";

import type { KeyReach, NewKey } from "@/lib/api-keys/service";
import { ApiError, type CreateApiKeyInput } from "@/lib/contract";
import { grantKey } from "@/lib/organizations/key-power";

import { requestActor } from "./request-actor";
import type { Principal } from "./principal";

// What a caller reaches in its organization, from its principal: the one place the rule
// "members:write sees every key of the organization, anyone else only their own" is written.

/** The keys `principal` reaches: all of its organization's with members:write, else its own (a member's, or its service account's). */
export function keyReach(principal: Pick<Principal, "organization" | "scopes" | "serviceAccount" | "userId">): KeyReach {
  const { organization } = principal;
  const holder = principal.scopes.includes("members:write")
    ? null
    : principal.serviceAccount
      ? { serviceAccountId: principal.serviceAccount.id }
      : { userId: principal.userId! };
  return {
    organizationId: organization.id,
    holder,
    policy: { maxKeyLifetimeDays: organization.maxKeyLifetimeDays, memberKeyScopes: organization.memberKeyScopes, defaultKeyLimits: organization.defaultKeyLimits },
  };
}

/**
 * A new key for the signed-in member `principal`, as the organization's policy and their role
 * allow (grantKey); `403` naming the field otherwise.
 */
export function memberKey(principal: Principal, input: CreateApiKeyInput, request: Request, now = Date.now()): NewKey {
  // The contract lets only sessions here (createApiKey's credentials).
  if (principal.type !== "session") throw new ApiError("forbidden", "Only a signed-in session can make keys");
  const { organization } = principal;
  const grant = grantKey(
    { scopes: input.scopes, expiresAt: input.expires_at ? Date.parse(input.expires_at) : null, now },
    { role: principal.role },
    organization,
  );
  if ("refused" in grant) {
    throw new ApiError(grant.refused, grant.message, grant.path ? [{ path: grant.path, message: grant.message }] : undefined);
  }
  return {
    ...input,
    organizationId: organization.id,
    holder: { userId: principal.userId },
    scopes: grant.scopes,
    actor: requestActor(principal, request),
    policy: keyReach(principal).policy,
  };
}
