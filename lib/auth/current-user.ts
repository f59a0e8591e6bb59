import "server-only";

import { redirect } from "next/navigation";
import { cache } from "react";

import { createClient } from "@/lib/supabase/server";

export type CurrentUser = { id: string; email: string | null };

/**
 * The signed-in user of this request, or null. getClaims() verifies the session's JWT
 * locally against the auth server's published keys (no round trip per request).
 * cache(): the layout and the page render in parallel and both ask; one check each request.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const supabase = await createClient();
  const { data } = await supabase.auth.getClaims();
  const claims = data?.claims;
  if (!claims?.sub) return null;
  return { id: claims.sub, email: typeof claims.email === "string" ? claims.email : null };
});

/**
 * The signed-in user, or a redirect to /login (back to `returnTo` afterwards). Every
 * dashboard layout and page calls this itself: proxy.ts redirects too, but a page must
 * never depend on a matcher to be protected — and layouts and pages render in parallel,
 * so a layout's check alone does not stop a page from loading data.
 */
export async function requireUser(returnTo?: string): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(returnTo ? `/login?next=${encodeURIComponent(returnTo)}` : "/login");
  return user;
}

/** Where people land after logging in when no page was asked for. */
export const DASHBOARD_HOME = "/specs";
