import "server-only";

import { ApiError, INVALID_TOKEN_CHALLENGE, SECOND_FACTOR_CHALLENGE } from "@/lib/contract";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

import { ACCOUNT_SUSPENDED } from "./account-suspended";
import type { Principal } from "./principal";
import { sessionLiveness } from "./session-liveness";

// Before anything that mints or widens a credential (creating a key today; rolling one and
// approving a CLI device login later), the session is confirmed with Supabase Auth itself:
// GET /auth/v1/user with the session's access token. Supabase Auth answers 403
// (session_not_found) for a session that was signed out, 403 (user_banned) for a banned
// user, and 403 (user_not_found) for a deleted one. It answers 200 for a session whose
// refresh tokens it revoked on detecting reuse, so that is asked of the database too. Local
// verification and the liveness window (lib/auth/session-liveness.ts) are fine for reading;
// a stolen, signed-out cookie must not be able to mint a key that outlives it.
//
// The same answer lists the user's MFA factors. A user with a verified one mints only from
// a session that passed it (the access token's `aal` is `aal2`): a stolen password alone
// signs in at aal1 and cannot mint a key. 403 with SECOND_FACTOR_CHALLENGE, which the
// dashboard answers by asking for the code in place.

export const SECOND_FACTOR_NEEDED =
  "A second factor is needed for this: enter the code from your authenticator app, then try again";

/** GoTrue's HasMFAEnabled: the user (GET /user's answer) has a verified factor. */
function hasVerifiedFactorIn(user: { factors?: unknown }): boolean {
  return Array.isArray(user.factors) && user.factors.some((f) => (f as { status?: unknown } | null)?.status === "verified");
}

const USER_URL = `${env.NEXT_PUBLIC_SUPABASE_URL}/auth/v1/user`;

export async function confirmSessionWithAuth(principal: Principal): Promise<void> {
  if (principal.type !== "session") throw new ApiError("forbidden", "Only a signed-in session can do this");
  const res = await fetch(USER_URL, {
    headers: { apikey: env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY, authorization: `Bearer ${principal.session.accessToken}` },
    signal: AbortSignal.timeout(5000),
    cache: "no-store",
  });
  if (res.ok) {
    const user = (await res.json()) as { id?: unknown; factors?: unknown };
    // Supabase Auth keeps a session whose refresh tokens it revoked for reuse, and answers
    // /user for it: the database says whether one is left, not remembered but asked now.
    const liveness = user.id === principal.userId ? await sessionLiveness(db, principal.session, { fresh: true }) : "ended";
    if (liveness === "live") {
      if (hasVerifiedFactorIn(user) && principal.session.aal !== "aal2") {
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
