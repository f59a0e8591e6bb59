"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";

import { DASHBOARD_HOME, getCurrentSession } from "@/lib/auth/current-user";
import { ORGANIZATION_COOKIE } from "@/lib/auth/page-session";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { findMembership, organizationRef } from "@/lib/organizations/membership";
import { safeNextPath } from "@/lib/safe-next-path";

// The dashboard's organization switcher: which organization the pages show is remembered in
// ORGANIZATION_COOKIE (a slug; the page gate, lib/auth/page-session.ts, checks membership
// again on every page, so the cookie grants nothing by itself). Switching checks membership
// first, without the T-bounded memory (a member just removed is told at once), then sends
// the browser on to `next` — a form post, so it works without JavaScript.

const ONE_YEAR_S = 365 * 24 * 60 * 60;

export async function switchOrganizationAction(form: FormData): Promise<void> {
  const next = safeNextPath(String(form.get("next") ?? ""), DASHBOARD_HOME);
  const session = await getCurrentSession();
  if (!session) redirect(`/login?next=${encodeURIComponent(next)}`);
  const named = String(form.get("organization") ?? "");
  // "" : back to the personal workspace (after leaving or deleting the organization shown).
  if (named === "") {
    (await cookies()).delete(ORGANIZATION_COOKIE);
    redirect(next);
  }
  const ref = organizationRef(named);
  const membership = ref ? await findMembership(db, session.id, ref) : null;
  // Not (or no longer) a member: stay where the page is; the switcher lists only the user's own.
  if (!membership) redirect(next);
  (await cookies()).set(ORGANIZATION_COOKIE, membership.organization.slug, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: env.APP_URL.startsWith("https:"),
    maxAge: ONE_YEAR_S,
  });
  redirect(next);
}
