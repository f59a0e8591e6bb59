import "server-only";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";

import { ROLE_SCOPES, type Role, type Scope } from "@/lib/contract";
import { organizationRef, sessionMembership, type OrganizationContext } from "@/lib/organizations/membership";

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

/** The cookie that remembers the organization the dashboard was last switched to (its slug). */
export const ORGANIZATION_COOKIE = "tt_org";

/** The organization a page shows, as the API's session principal would have it for the same user. */
export type PageWorkspace = {
  userId: string;
  organization: OrganizationContext;
  role: Role;
  scopes: readonly Scope[];
  serviceAccount: null;
  /** Why the page may show nothing of the organization's (its two-factor policy, unmet), or null. */
  blocked: string | null;
};

export type PageSession = CurrentUser & { session: SessionUser; workspace: PageWorkspace };

/**
 * The signed-in user of this page — past the second factor when the account has one — or a
 * redirect: to /login when signed out, to /login/two-factor when the session is at aal1 and
 * the user has a verified factor; back to `returnTo` afterwards.
 */
export async function requirePageSession(returnTo?: string): Promise<PageSession> {
  const session = await getCurrentSession();
  if (!session) redirect(returnTo ? `/login?next=${encodeURIComponent(returnTo)}` : "/login");
  if (await owesSecondFactor(db, session)) redirect(twoFactorPath(returnTo ?? DASHBOARD_HOME));
  return { id: session.id, email: session.email, session, workspace: await pageWorkspace(session) };
}

/**
 * The organization the dashboard shows: the one ORGANIZATION_COOKIE names while the user is
 * still a member of it, else their personal workspace. Through the same T-bounded memory as
 * the API's sessions (lib/organizations/membership.ts).
 */
async function pageWorkspace(session: SessionUser): Promise<PageWorkspace> {
  const named = organizationRef((await cookies()).get(ORGANIZATION_COOKIE)?.value ?? null);
  const membership =
    (named ? await sessionMembership(db, session.id, named) : null) ?? (await sessionMembership(db, session.id, null));
  // Every account has a personal workspace (made with it by the database).
  if (!membership) throw new Error("The signed-in account has no personal workspace");
  const { organization, role } = membership;
  const blocked =
    organization.requireTwoFactor && session.aal !== "aal2"
      ? `${organization.name} requires two-factor authentication: set it up to reach the organization's data`
      : null;
  return { userId: session.id, organization, role, scopes: ROLE_SCOPES[role], serviceAccount: null, blocked };
}
