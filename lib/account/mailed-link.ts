import "server-only";

import type { EmailOtpType } from "@supabase/supabase-js";

import { recordAccountEvent } from "@/lib/activity/account-events";
import { afterAuthPath } from "@/lib/account/after-auth-path";
import { DASHBOARD_HOME } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { createClient } from "@/lib/supabase/server";

// A link from one of Supabase Auth's mails (GOTRUE_MAILER_URLPATHS_* point them at
// /auth/confirm): `token` (or `token_hash`, the Supabase SSR guide's name) is the hash of a
// one-time code, exchanged here with POST /verify for a session whose cookies this
// server sets. It works once and for GOTRUE_MAILER_OTP_EXP; the code itself never reaches
// the browser's JavaScript.
//
// Opening the link (GET) only shows which account it is for; the exchange happens on a
// same-origin POST from that page (app/auth/confirm/accept/route.ts). Otherwise any page
// could sign a visitor's browser into the sender's account by sending it to the sender's
// own unused link (login CSRF), and mail scanners that fetch links would use them up.

const TYPES = ["signup", "recovery", "email_change", "invite", "email"] as const satisfies readonly EmailOtpType[];
export type LinkType = (typeof TYPES)[number];

export type LinkOutcome = { to: string };

export type MailedLink = { token: string; type: LinkType; redirectTo: string | null };

/** The link's parameters, or null when it cannot be a link of ours (no token, an unknown type). */
export function readMailedLink(params: { get(name: string): string | null }): MailedLink | null {
  const token = params.get("token_hash") ?? params.get("token") ?? "";
  const type = params.get("type") ?? "";
  if (!token || token.length > 200 || !(TYPES as readonly string[]).includes(type)) return null;
  return { token, type: type as LinkType, redirectTo: params.get("redirect_to") };
}

export type LinkAccount = { email: string | null; newEmail: string | null };

/**
 * Which account a link is for, without using it up: Supabase Auth keeps the token hash the
 * link carries in the user's row (GoTrue's confirmation_token, recovery_token,
 * email_change_token_new/_current columns — the compatible server does the same), and its
 * HTTP API has no way to ask without consuming the token. Null when no row holds it (used,
 * replaced, or never valid — or a server that keeps it elsewhere): the page then says only
 * what kind of link it is, and the exchange decides.
 */
export async function linkAccount(link: MailedLink): Promise<LinkAccount | null> {
  const { token, type } = link;
  const [row] = await db<{ email: string | null; email_change: string | null }[]>`
    select email, nullif(email_change, '') as email_change
    from auth.users
    where ${
      type === "email_change"
        ? db`(email_change_token_new = ${token} or email_change_token_current = ${token})`
        : type === "recovery"
          ? db`recovery_token = ${token}`
          : type === "email"
            ? db`(confirmation_token = ${token} or recovery_token = ${token})`
            : db`confirmation_token = ${token}`
    }
    limit 1`;
  if (!row) return null;
  return { email: row.email, newEmail: type === "email_change" ? row.email_change : null };
}

/** Where a mailed link leads: the exchange's outcome as a same-site path to redirect to. */
export async function followMailedLink(link: MailedLink | null): Promise<LinkOutcome> {
  if (!link) return { to: "/auth/link-error?reason=invalid" };
  const { token, type: kind } = link;

  const supabase = await createClient();
  const { data, error } = await supabase.auth.verifyOtp({ type: kind, token_hash: token });
  if (error) {
    // otp_expired is Supabase Auth's answer for a used, unknown or expired link alike.
    const reason = error.code === "otp_expired" ? "expired" : error.status === 429 ? "busy" : "invalid";
    return { to: `/auth/link-error?reason=${reason}&type=${kind}` };
  }
  // A link that signs the browser in is a sign-in, for the security log.
  if (data.session) await recordAccountEvent("auth.signed_in", data.session.user.id, { method: `link:${kind}` });
  if (kind === "recovery") return { to: "/reset-password" };
  if (kind === "email_change") {
    // With secure e-mail change the first of the two links only counts; no session yet.
    return { to: data.session ? "/settings/account?email=changed" : "/auth/link-error?reason=other-address&type=email_change" };
  }
  return { to: afterConfirm(link.redirectTo) };
}

/** The page a sign-up asked to return to (the path of redirect_to), else the dashboard. */
function afterConfirm(redirectTo: string | null): string {
  if (!redirectTo || !URL.canParse(redirectTo)) return DASHBOARD_HOME;
  const url = new URL(redirectTo);
  const path = `${url.pathname}${url.search}`;
  return path === "/" ? DASHBOARD_HOME : afterAuthPath(path);
}
