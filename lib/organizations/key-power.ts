import { ROLE_SCOPES, SCOPES, type Role, type Scope } from "@/lib/contract";

// What a key or a session may do in an organization, from what the key lookup and the
// membership lookup read: pure, so every rule is tested without a database
// (tests/unit/key-power.test.ts).

/** The organization's side of a key: what the key lookup joins to the key's row. */
export type KeyHolding = {
  /** The holder's role now: the member's, or the service account's; null once the member is gone. */
  role: Role | null;
  /** A service account's key (else a member's). */
  serviceAccount: boolean;
  serviceAccountDeleted: boolean;
  /** What the organization lets members' keys hold. */
  memberKeyScopes: readonly Scope[];
  requireTwoFactor: boolean;
  /** The member has a verified second factor (always true for a service account). */
  holderHasTwoFactor: boolean;
};

/**
 * Why a key may do nothing in its organization now (its holder left, was deleted, or does not
 * meet the two-factor policy), or null. A reason is a 403, never a 401: the key is real.
 */
export function keyRefusal(holding: KeyHolding, orgName: string): string | null {
  if (holding.serviceAccount && holding.serviceAccountDeleted) return `API key refused: its service account in ${orgName} was deleted`;
  if (holding.role === null) return `API key refused: its holder is no longer a member of ${orgName}`;
  if (holding.requireTwoFactor && !holding.holderHasTwoFactor) {
    return `API key refused: ${orgName} requires two-factor authentication, and this key's holder has not set it up (Settings → Security)`;
  }
  return null;
}

/**
 * The scopes a key may use now: its own, within its holder's role, and — for a member's key —
 * within what the organization lets members' keys hold. In the contract's order.
 */
export function effectiveKeyScopes(keyScopes: readonly Scope[], holding: KeyHolding): Scope[] {
  if (holding.role === null) return [];
  const role = ROLE_SCOPES[holding.role];
  return SCOPES.filter(
    (scope) => keyScopes.includes(scope) && role.includes(scope) && (holding.serviceAccount || holding.memberKeyScopes.includes(scope)),
  );
}

/** The most a new key may hold: the creator's role, and for a member's key the policy too. */
export function mintableScopes(role: Role, memberKeyScopes: readonly Scope[] | null): Scope[] {
  return SCOPES.filter((scope) => ROLE_SCOPES[role].includes(scope) && (memberKeyScopes === null || memberKeyScopes.includes(scope)));
}

/**
 * Why a key breaks the organization's policy as it is now, or null: it outlives the maximum
 * key lifetime (counted from its creation), or, a member's key, holds scopes the policy no
 * longer lets members' keys hold. Such keys are listed as out of policy, not revoked.
 */
export function outOfPolicy(
  key: { createdAt: Date; expiresAt: Date | null; scopes: readonly Scope[]; serviceAccount: boolean },
  policy: { maxKeyLifetimeDays: number | null; memberKeyScopes: readonly Scope[] },
): string | null {
  const reasons: string[] = [];
  if (policy.maxKeyLifetimeDays !== null) {
    const limit = key.createdAt.getTime() + policy.maxKeyLifetimeDays * 86_400_000;
    if (key.expiresAt === null) reasons.push(`never expires; the organization allows keys of at most ${policy.maxKeyLifetimeDays} days`);
    else if (key.expiresAt.getTime() > limit) reasons.push(`lives longer than the ${policy.maxKeyLifetimeDays} days the organization allows`);
  }
  if (!key.serviceAccount) {
    const beyond = key.scopes.filter((scope) => !policy.memberKeyScopes.includes(scope));
    if (beyond.length > 0) reasons.push(`holds ${beyond.join(", ")}, which members' keys may no longer use`);
  }
  return reasons.length > 0 ? `This key ${reasons.join("; and ")}` : null;
}
