import "server-only";

import { after } from "next/server";

import {
  ApiError,
  AUTH_CHALLENGE,
  INVALID_TOKEN_CHALLENGE,
  insufficientScopeChallenge,
  ORGANIZATION_HEADER,
  ROLE_SCOPES,
  type Role,
  type Scope,
} from "@/lib/contract";
import { parseApiKey } from "@/lib/api-keys/key-format";
import { verifyApiKey } from "@/lib/api-keys/key-verifier";
import { keyExpired, keySuspended, type VerifiedKey } from "@/lib/api-keys/service";
import { keySeen, scopeUsed } from "@/lib/api-keys/usage";
import { countKeyResponse } from "@/lib/api-keys/usage-counts";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { requestOrigin } from "@/lib/http/request-origin";
import { effectiveKeyScopes, keyRefusal } from "@/lib/organizations/key-power";
import { organizationRef, sessionMembership, type OrganizationContext } from "@/lib/organizations/membership";
import { countersFor } from "@/lib/usage-limits/counters";
import type { CounterSpec } from "@/lib/usage-limits/engine";

import { ACCOUNT_SUSPENDED } from "./account-suspended";
import { assertNotLimited, clientOf, recordFailure } from "./failure-limiter";
import { checkSession } from "./session-check";
import type { SessionUser } from "./session-token";

/** The organization a request acts in, and the caller's role there. */
type InOrganization = {
  organization: OrganizationContext;
  /** The member's role; for a service account's key, the service account's. */
  role: Role;
  /**
   * Why the caller may reach nothing of the organization's but its own description (its
   * two-factor policy, unmet by this session), or null. serve() refuses every operation that
   * needs a scope or mints a credential while it is set.
   */
  blocked: string | null;
};

/** Who is calling, and how they proved it. */
export type Principal = InOrganization &
  (
    | {
        type: "api_key";
        /** The member the key acts as; null for a service account's key. */
        userId: string | null;
        email: string | null;
        keyId: string;
        keyPrefix: string;
        /** What the key may do now: its scopes within its holder's role and the policy (lib/organizations/key-power.ts). */
        scopes: readonly Scope[];
        /** The scopes it exercised in the last 30 days, as last written. */
        scopesUsed: readonly Scope[];
        /** When it stops working (the Tt-Key-Expires-At header), or null. */
        expiresAt: Date | null;
        serviceAccount: { id: string; name: string } | null;
        /** The usage-limit counters every request with the key must pass (lib/usage-limits/); empty: no limits. */
        counters: readonly CounterSpec[];
      }
    | { type: "session"; userId: string; email: string | null; session: SessionUser; /** Its role's scopes. */ scopes: readonly Scope[]; serviceAccount: null }
  );

export type AuthMethod = Principal["type"];

/**
 * What authenticating a request learned for counting its answer (countAnswer): the key it
 * presented, from the moment that key was found — before it is refused or allowed — else null.
 */
export type KeyNote = { keyId: string | null; /** The answer is a usage limit's 429 (counted as `limited`). */ limited?: boolean };

const BEARER = /^\s*bearer\s+(\S+)\s*$/i;
// RFC 6750 §3: every 401 carries a Bearer challenge; one that refuses a credential that was
// sent says so (`error="invalid_token"`), one for a request without any does not.
const CHALLENGE = { "www-authenticate": AUTH_CHALLENGE };
const REFUSED_CHALLENGE = { "www-authenticate": INVALID_TOKEN_CHALLENGE };
const unauthorized = (message: string) => new ApiError("unauthorized", message, undefined, CHALLENGE);

/** Credentials were presented and refused: what the failed-authentication limit counts. */
class CredentialsRejected extends ApiError {}
// A session that has ended answers the same whichever instance notices first: this one's
// liveness check, or the auth server asked before minting (lib/auth/session-check.ts, "mint").
const rejected = (message: string) => new CredentialsRejected("unauthorized", message, undefined, REFUSED_CHALLENGE);

// The key behind each key principal, for recording what it was used for (authorizeScope).
const keysOf = new WeakMap<Principal, VerifiedKey>();
// One principal per verified row, shared by the requests it serves while the verification
// cache holds the row (frozen: no request can change what another sees).
const principalOf = new WeakMap<VerifiedKey, Principal>();
/** The 403 for a key revoked because it was found exposed (the code stays `forbidden`). */
export const KEY_LEAKED =
  "API key revoked: it was found exposed (published where others could see it) and revoked automatically. Create a new key in the dashboard (Settings → API Keys)";
const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);


/**
 * An Authorization header means "authenticate me with this key" and nothing else: with
 * one present there is no fallback to cookies, so a bad key can never be rescued by an
 * ambient session. Without one, the Supabase session cookie is used.
 */
export async function resolvePrincipal(request: Request, note?: KeyNote): Promise<Principal> {
  // Over the failed-authentication limit, every attempt is refused — a valid key too, or
  // the difference would tell a guesser which guess was right. A Map lookup, no I/O.
  const client = clientOf(request);
  assertNotLimited(client);
  const header = request.headers.get("authorization");
  try {
    return header !== null ? await principalFromApiKey(header, request, note) : await principalFromSession(request);
  } catch (error) {
    if (error instanceof CredentialsRejected) recordFailure(client);
    throw error;
  }
}

async function principalFromApiKey(header: string, request: Request, note: KeyNote | undefined): Promise<Principal> {
  const token = BEARER.exec(header)?.[1];
  if (!token) throw rejected("Authorization header must be: Bearer <API key>");
  // Shape and checksum first: garbage and typos cost no database work.
  const parsed = parseApiKey(token);
  if (!parsed) throw rejected("Invalid API key");
  // This instance's copy of the key's row when it looked it up less than T ago (the
  // verification cache); expiry and bans are compared with the clock here, every time.
  const key = await verifyApiKey(db, parsed.key);
  if (!key) throw rejected("Invalid API key");
  const now = Date.now();
  // From here on the answer, whatever it is, counts towards this key's usage (countAnswer).
  if (note) note.keyId = key.id;
  if (key.revoked) throw new CredentialsRejected("forbidden", key.leaked ? KEY_LEAKED : "API key revoked");
  if (keySuspended(key, now)) throw new CredentialsRejected("forbidden", ACCOUNT_SUSPENDED);
  if (keyExpired(key, now)) throw rejected("API key expired");
  // Its holder left, its service account was deleted, or the organization's two-factor
  // policy is not met: a real key with no power now.
  const refusal = keyRefusal(key.holding, key.organization.name);
  if (refusal) throw new CredentialsRejected("forbidden", refusal);
  // A key acts in its own organization; naming another is a mistake worth saying so.
  const named = organizationRef(request.headers.get(ORGANIZATION_HEADER));
  if (named !== null && named !== key.organization.slug && named !== key.organization.id) {
    throw new ApiError(
      "forbidden",
      `This API key belongs to the organization ${key.organization.slug}; a key acts only in its own (leave out ${ORGANIZATION_HEADER}, or use a key of that organization)`,
    );
  }
  // last_used_at (and the scopes used) at most once a minute, after the response: by then
  // authorizeScope has noted this request's scope too.
  const write = keySeen(db, key, now);
  if (write) after(write);
  let principal = principalOf.get(key);
  if (!principal) {
    principal = Object.freeze(keyPrincipal(key));
    principalOf.set(key, principal);
    keysOf.set(principal, key);
  }
  return principal;
}

/** Who a verified key is, as the handlers see it (a key keyRefusal let through: its holder has a role). */
export const keyPrincipal = (key: VerifiedKey): Principal => ({
  type: "api_key",
  userId: key.userId,
  email: key.email,
  keyId: key.id,
  keyPrefix: key.keyPrefix,
  scopes: effectiveKeyScopes(key.scopes, key.holding),
  scopesUsed: key.scopesUsed,
  expiresAt: key.expiresAt,
  serviceAccount: key.serviceAccount,
  counters: countersFor(key.limits, { keyId: key.id, serviceAccountId: key.serviceAccount?.id ?? null, organizationId: key.organization.id }),
  organization: key.organization,
  role: key.holding.role ?? "viewer",
  blocked: null,
});

/**
 * Whether the caller may do what needs `needed` (the operation's scope in the contract; null
 * for none) in its organization. A session has its role's scopes; a key those it was given
 * within its holder's role and the policy, else `403 forbidden` naming the scope, with RFC
 * 6750's `insufficient_scope` challenge. Not a failed authentication: the key is valid, it is
 * just not for this. A caller the organization's two-factor policy blocks reaches nothing
 * that needs a scope or mints a credential. A scope a key used is written with its
 * `last_used_at` (lib/api-keys/usage.ts), never per request.
 */
export function authorizeScope(principal: Principal, needed: Scope | null, mints = false): void {
  if (principal.blocked !== null && (needed !== null || mints)) throw new ApiError("forbidden", principal.blocked);
  if (needed === null) return;
  if (principal.type === "session") {
    if (!principal.scopes.includes(needed)) {
      throw new ApiError(
        "forbidden",
        `Your role in ${principal.organization.name} (${principal.role}) does not allow this: it needs ${needed}. Ask an owner or admin of the organization.`,
      );
    }
    return;
  }
  if (!principal.scopes.includes(needed)) {
    throw new ApiError(
      "forbidden",
      `This API key does not have the scope ${needed}, which this request needs (it has ${principal.scopes.join(", ")}). ` +
        `Use a key with ${needed}, or create one in the dashboard (Settings → API Keys).`,
      undefined,
      { "www-authenticate": insufficientScopeChallenge(needed) },
    );
  }
  const key = keysOf.get(principal);
  if (key) scopeUsed(db, key, needed);
}

/**
 * The answer to a request made with a key (`note`, filled by resolvePrincipal), counted in
 * memory for the key's usage per hour (lib/api-keys/usage-counts.ts; written once a minute).
 * Nothing for sessions.
 */
export function countAnswer(request: Request, status: number, note: KeyNote): void {
  if (note.keyId !== null) countKeyResponse(db, env.USAGE_FLUSH_MS, note.keyId, status, () => requestOrigin(request), Date.now(), note.limited === true);
}

async function principalFromSession(request: Request): Promise<Principal> {
  // The session check's "api" mode (lib/auth/session-check.ts): the cookie's access token
  // verified locally, refreshed only when it is ours and expiring, then its liveness.
  const checked = await checkSession(request, "api");
  switch (checked.kind) {
    case "live":
      break;
    // No credentials at all, or no keys to check with (the auth server unreachable since
    // start-up): not a failed attempt.
    case "none":
    case "unavailable":
      throw unauthorized(SIGN_IN);
    // A session cookie that does not verify is a failed attempt.
    case "invalid":
      throw rejected(SIGN_IN);
    // Signed out, destroyed, or its user suspended: refused within SESSION_RECHECK_MS.
    case "ended":
      throw rejected("Your session has ended; sign in again");
    case "suspended":
      throw new CredentialsRejected("forbidden", ACCOUNT_SUSPENDED);
  }
  if (UNSAFE_METHODS.has(request.method) && !isSameOrigin(request)) {
    throw new ApiError("forbidden", "Cross-site request refused: session-authenticated changes must come from the app's own origin");
  }
  const user = checked.user;
  // The organization the request names (Tt-Organization), else the personal workspace: from
  // this instance's memory when looked up less than T ago (lib/organizations/membership.ts).
  const ref = organizationRef(request.headers.get(ORGANIZATION_HEADER));
  const membership = ref === "" ? null : await sessionMembership(db, user.id, ref);
  if (!membership) {
    throw new ApiError("forbidden", `You are not a member of an organization ${JSON.stringify(request.headers.get(ORGANIZATION_HEADER) ?? "")}; GET /api/v1/organizations lists yours`);
  }
  const { organization, role } = membership;
  const blocked =
    organization.requireTwoFactor && user.aal !== "aal2"
      ? `${organization.name} requires two-factor authentication: set it up (Settings → Security) and sign in with it to reach the organization's data`
      : null;
  return { type: "session", userId: user.id, email: user.email, session: user, scopes: ROLE_SCOPES[role], serviceAccount: null, organization, role, blocked };
}

const SIGN_IN = "Authentication required: send an API key (Authorization: Bearer tt_…) or sign in";

// The app's own origin, from configuration: never from Host or X-Forwarded-* headers,
// which whoever sends the request can write.
const APP_ORIGIN = new URL(env.APP_URL).origin;

/**
 * CSRF defence for cookie-authenticated changes. Browsers send Origin on every
 * cross-site and same-origin POST/PATCH/PUT/DELETE; it must be exactly the app's own
 * origin (APP_URL). Without Origin, Fetch Metadata decides; a request with neither did
 * not come from a browser page, so there is no ambient-cookie attack to stop.
 */
export function isSameOrigin(request: { headers: { get(name: string): string | null } }): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) {
    const site = request.headers.get("sec-fetch-site");
    return site === null || site === "same-origin" || site === "none";
  }
  return origin === APP_ORIGIN;
}
