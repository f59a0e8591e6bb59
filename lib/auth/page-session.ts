import "server-only";

import { redirect } from "next/navigation";

import { db } from "@/lib/db";

import { DASHBOARD_HOME, getCurrentSession, type CurrentUser } from "./current-user";
import { owesSecondFactor, twoFactorPath } from "./second-factor";
import type { SessionUser } from "./session-token";

// The gate of every dashboard page, called by the page itself before it reads anything.
// Not the layout's job: a request can leave the layout out — a POST with `RSC: 1` and a
// `Next-Router-State-Tree` that says the layouts are already on the client renders the page
// segment alone, and proxy.ts sends only GET and HEAD on to /login/two-factor (a Server
// Action posted from an open page must reach its action). So each page asks here, and a
// session that owes its second factor gets the redirect instead of the page's data.

export type PageSession = CurrentUser & { session: SessionUser };

/**
 * The signed-in user of this page — past the second factor when the account has one — or a
 * redirect: to /login when signed out, to /login/two-factor when the session is at aal1 and
 * the user has a verified factor; back to `returnTo` afterwards.
 */
export async function requirePageSession(returnTo?: string): Promise<PageSession> {
  const session = await getCurrentSession();
  if (!session) redirect(returnTo ? `/login?next=${encodeURIComponent(returnTo)}` : "/login");
  if (await owesSecondFactor(db, session)) redirect(twoFactorPath(returnTo ?? DASHBOARD_HOME));
  return { id: session.id, email: session.email, session };
}
