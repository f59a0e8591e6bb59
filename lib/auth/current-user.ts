import "server-only";

import { cache } from "react";

import { createClient } from "@/lib/supabase/server";

import { checkSession } from "./session-check";
import type { SessionUser } from "./session-token";

export type CurrentUser = { id: string; email: string | null };

/**
 * The signed-in user of this request and their session, or null: the session check's "page"
 * mode (./session-check.ts) over this request's cookies — an expired session refreshed
 * first, a session ended elsewhere counted as none within SESSION_RECHECK_MS.
 * cache(): the layout and the page render in parallel and both ask; one check each request.
 */
export const getCurrentSession = cache(async (): Promise<SessionUser | null> => checkSession(await createClient(), "page"));

/** The signed-in user of this request, or null. */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await getCurrentSession();
  return session && { id: session.id, email: session.email };
}

/** Where people land after logging in when no page was asked for. */
export const DASHBOARD_HOME = "/specs";
