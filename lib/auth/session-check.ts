import "server-only";

import type { SupabaseClient } from "@supabase/supabase-js";

import { ApiError, INVALID_TOKEN_CHALLENGE, SECOND_FACTOR_CHALLENGE } from "@/lib/contract";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { createClient } from "@/lib/supabase/server";

import { ACCOUNT_SUSPENDED } from "./account-suspended";
import { sessionLiveness } from "./session-liveness";
import { sessionFromRequest, type SessionUser } from "./session-token";

// The one session check. Every question "which signed-in session is this, and may it do
// this?" is asked here, in one of three modes, each as strict as what follows it needs:
//
// - "page" (a page load, a Server Component or Server Action; proxy.ts before rendering):
//   the source is a Supabase server client over the page's cookies. getClaims() verifies
//   the access token locally against the published keys (JWKS) and, when it has expired,
//   refreshes the session and writes the new cookies through the client; getSession() then
//   reads the (possibly new) access token. The session must be alive (liveness below). The
//   second factor is the caller's gate (owesSecondFactor, ./second-factor.ts): the proxy
//   and requirePageSession (./page-session.ts) redirect a session that owes it.
// - "api" (a request to /api/v1 with the session cookie): the cookie's access token verified
//   with jose against the cached JWKS (./session-token.ts), no Supabase client built; only a
//   token of ours that has expired (or nearly) goes the page way to be refreshed, with the
//   route's cookie store, so the new cookies go out with the answer. Anything that cannot be
//   one of our tokens is "invalid" and never reaches the auth server. Then liveness. The
//   caller (./principal.ts) turns the outcome into its 401/403, counts failures and applies
//   the CSRF rule.
// - "mint" (before anything that mints or widens a credential: creating or rolling a key,
//   approving a CLI login): a session an "api" or "page" check accepted is confirmed with
//   Supabase Auth itself, GET /auth/v1/user with its access token, and the liveness asked
//   afresh, not remembered. Throws the ApiError to answer with.
//
// Liveness (./session-liveness.ts): the session's row in auth.sessions exists with a
// refresh token left, and its user is neither banned nor deleted — remembered per session
// for SESSION_RECHECK_MS, so a signed-out or suspended session is refused within that
// window for reading, and at once for minting.

export type SessionMode = "page" | "api" | "mint";

/** What an "api" check found: a live session, or why there is none. */
export type ApiSessionCheck =
  | { kind: "live"; user: SessionUser }
  /** No session cookie. */
  | { kind: "none" }
  /** Not a token of ours (a failed attempt), or one that could not be refreshed. */
  | { kind: "invalid" }
  /** No keys to check with: the auth server has not answered since start-up. */
  | { kind: "unavailable" }
  /** Signed out, ended elsewhere, or its refresh tokens revoked. */
  | { kind: "ended" }
  /** Its user is banned or deleted. */
  | { kind: "suspended" };

/** A Supabase server client over a page's (or route's) cookies: lib/supabase/server.ts, or proxy.ts's own. */
export type PageSessionSource = Pick<SupabaseClient, "auth">;

export function checkSession(source: PageSessionSource, mode: "page"): Promise<SessionUser | null>;
export function checkSession(source: Request, mode: "api"): Promise<ApiSessionCheck>;
export function checkSession(source: SessionUser, mode: "mint"): Promise<void>;
export async function checkSession(
  source: PageSessionSource | Request | SessionUser,
  mode: SessionMode,
): Promise<SessionUser | null | ApiSessionCheck | void> {
  switch (mode) {
    case "page": {
      const user = await claimedSession(source as PageSessionSource);
      return user && (await sessionLiveness(db, user)) === "live" ? user : null;
    }
    case "api":
      return apiSession(source as Request);
    case "mint":
      return confirmWithAuth(source as SessionUser);
  }
}

/** The session the client's cookies carry, verified (and refreshed when expired) by @supabase/ssr; liveness not asked. */
async function claimedSession(supabase: PageSessionSource): Promise<SessionUser | null> {
  // getClaims() first: it is what refreshes an expired access token (and writes the cookies).
  const { data } = await supabase.auth.getClaims();
  const claims = data?.claims;
  if (!claims?.sub) return null;
  const { data: current } = await supabase.auth.getSession();
  if (!current.session) return null;
  return {
    id: claims.sub,
    email: typeof claims.email === "string" ? claims.email : null,
    sessionId: typeof claims.session_id === "string" ? claims.session_id : null,
    aal: typeof claims.aal === "string" ? claims.aal : null,
    accessToken: current.session.access_token,
  };
}

async function apiSession(request: Request): Promise<ApiSessionCheck> {
  const verdict = await sessionFromRequest(request);
  let user: SessionUser;
  if (verdict.kind === "valid") user = verdict.user;
  else if (verdict.kind === "refresh") {
    // Ours and correctly signed, but expired or near it: @supabase/ssr refreshes it, through
    // the route's cookie store, so the new cookies go out with this answer.
    const refreshed = await claimedSession(await createClient());
    if (!refreshed) return { kind: "invalid" };
    user = refreshed;
  } else return verdict;
  const liveness = await sessionLiveness(db, user);
  return liveness === "live" ? { kind: "live", user } : { kind: liveness };
}

export const SECOND_FACTOR_NEEDED =
  "A second factor is needed for this: enter the code from your authenticator app, then try again";

/** GoTrue's HasMFAEnabled: the user (GET /user's answer) has a verified factor. */
function hasVerifiedFactorIn(user: { factors?: unknown }): boolean {
  return Array.isArray(user.factors) && user.factors.some((f) => (f as { status?: unknown } | null)?.status === "verified");
}

const USER_URL = `${env.NEXT_PUBLIC_SUPABASE_URL}/auth/v1/user`;

// Supabase Auth answers GET /user with 403 (session_not_found) for a session that was signed
// out, 403 (user_banned) for a banned user and 403 (user_not_found) for a deleted one. It
// answers 200 for a session whose refresh tokens it revoked on detecting reuse, so that is
// asked of the database too. The same answer lists the user's MFA factors: a user with a
// verified one mints only from a session that passed it (`aal2`) — a stolen password alone
// signs in at aal1 and cannot mint — else 403 with SECOND_FACTOR_CHALLENGE, which the
// dashboard answers by asking for the code in place.
async function confirmWithAuth(session: SessionUser): Promise<void> {
  const res = await fetch(USER_URL, {
    headers: { apikey: env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY, authorization: `Bearer ${session.accessToken}` },
    signal: AbortSignal.timeout(5000),
    cache: "no-store",
  });
  if (res.ok) {
    const user = (await res.json()) as { id?: unknown; factors?: unknown };
    const liveness = user.id === session.id ? await sessionLiveness(db, session, { fresh: true }) : "ended";
    if (liveness === "live") {
      if (hasVerifiedFactorIn(user) && session.aal !== "aal2") {
        throw new ApiError("forbidden", SECOND_FACTOR_NEEDED, undefined, { "www-authenticate": SECOND_FACTOR_CHALLENGE });
      }
      return;
    }
    if (liveness === "suspended") throw new ApiError("forbidden", ACCOUNT_SUSPENDED);
  } else if (res.status >= 500) {
    // Fail closed, but as what it is: we could not ask, not "you are signed out".
    throw new Error(`Supabase Auth answered ${res.status} while confirming a session`);
  } else {
    const body = (await res.json().catch(() => ({}))) as { error_code?: unknown };
    if (body.error_code === "user_banned") throw new ApiError("forbidden", ACCOUNT_SUSPENDED);
  }
  throw new ApiError("unauthorized", "Your session has ended or your account is suspended; sign in again", undefined, {
    "www-authenticate": INVALID_TOKEN_CHALLENGE,
  });
}
