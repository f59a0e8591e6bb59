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
  /** Minted by token exchange, and its trust policy is now disabled or deleted (the kill switch). */
  trustPolicyOff?: boolean;
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
  if (holding.trustPolicyOff) return `API key refused: the trust policy that minted it in ${orgName} was turned off (disabled or deleted)`;
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

/**
 * What a new key is granted, or why it is refused: `path` names the field at fault. Always a
 * `403`: the request is well-formed (the contract accepts it) and the role or the policy is
 * what forbids it — a `400` would tell a client its request was malformed when the same
 * request succeeds in another organization or for another role.
 */
export type KeyGrant = { scopes: Scope[] } | { refused: "forbidden"; message: string; path?: string };

/**
 * The scopes a new key gets, decided by who makes it and the organization's policy:
 * a member whose role the policy lets make keys, scopes within `mintableScopes` (all of them
 * when none are asked for), an expiry within the maximum key lifetime when there is one.
 * A service account's key (`serviceAccountRole`) is bounded by its role alone, not by
 * member_key_scopes or key_creator_roles (only admins and owners reach it), but keeps the lifetime.
 */
export function grantKey(
  input: { scopes?: readonly Scope[]; expiresAt: number | null; now: number },
  maker: { role: Role; serviceAccountRole?: Role },
  policy: { keyCreatorRoles: readonly Role[]; maxKeyLifetimeDays: number | null; memberKeyScopes: readonly Scope[] },
): KeyGrant {
  const forServiceAccount = maker.serviceAccountRole !== undefined;
  if (!forServiceAccount && !policy.keyCreatorRoles.includes(maker.role)) {
    return { refused: "forbidden", message: `This organization does not let ${maker.role}s make API keys (its policy: ${policy.keyCreatorRoles.join(", ") || "nobody"})` };
  }
  const bound = forServiceAccount ? mintableScopes(maker.serviceAccountRole!, null) : mintableScopes(maker.role, policy.memberKeyScopes);
  const asked = input.scopes ?? bound;
  const beyond = asked.filter((scope) => !bound.includes(scope));
  if (beyond.length > 0) {
    const why = forServiceAccount ? `the service account's role (${maker.serviceAccountRole})` : `your role (${maker.role}) and the organization's policy`;
    return { refused: "forbidden", path: "scopes", message: `${beyond.join(", ")} ${beyond.length === 1 ? "is" : "are"} beyond what ${why} allows` };
  }
  if (asked.length === 0) return { refused: "forbidden", message: "Your role and the organization's policy leave a new key no scope" };
  if (policy.maxKeyLifetimeDays !== null) {
    const latest = input.now + policy.maxKeyLifetimeDays * 86_400_000;
    if (input.expiresAt === null || input.expiresAt > latest) {
      return {
        refused: "forbidden",
        path: "expires_at",
        message: `The organization's maximum key lifetime is ${policy.maxKeyLifetimeDays} days: expires_at must be at most ${policy.maxKeyLifetimeDays} days from now`,
      };
    }
  }
  return { scopes: SCOPES.filter((scope) => asked.includes(scope)) };
}
