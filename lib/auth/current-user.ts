import "server-only";

import { cache } from "react";

import { db } from "@/lib/db";
import { createClient } from "@/lib/supabase/server";

import { sessionLiveness } from "./session-liveness";
import type { SessionUser } from "./session-token";

export type CurrentUser = { id: string; email: string | null };

/**
 * The signed-in user of this request and their session, or null. getClaims() verifies the
 * session's JWT locally against the auth server's published keys (no round trip per
 * request) and refreshes an expired session first, writing the new cookies; getSession()
 * then only reads the (possibly new) access token from those cookies. A session that was
 * ended elsewhere ("sign out everywhere", a password change) counts as none within
 * SESSION_RECHECK_MS (lib/auth/session-liveness.ts), not only when its access token expires.
 * cache(): the layout and the page render in parallel and both ask; one check each request.
 */
export const getCurrentSession = cache(async (): Promise<SessionUser | null> => {
  const supabase = await createClient();
  const { data } = await supabase.auth.getClaims();
  const claims = data?.claims;
  if (!claims?.sub) return null;
  const { data: current } = await supabase.auth.getSession();
  if (!current.session) return null;
  const user: SessionUser = {
    id: claims.sub,
    email: typeof claims.email === "string" ? claims.email : null,
    sessionId: typeof claims.session_id === "string" ? claims.session_id : null,
    aal: typeof claims.aal === "string" ? claims.aal : null,
    accessToken: current.session.access_token,
  };
  return (await sessionLiveness(db, user)) === "live" ? user : null;
});

/** The signed-in user of this request, or null. */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await getCurrentSession();
  return session && { id: session.id, email: session.email };
}

/** Where people land after logging in when no page was asked for. */
export const DASHBOARD_HOME = "/specs";
