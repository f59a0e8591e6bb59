import "server-only";

import type { EmailOtpType } from "@supabase/supabase-js";

import { recordAccountEvent } from "@/lib/activity/account-events";
import { afterAuthPath } from "@/lib/auth/after-auth-path";
import { DASHBOARD_HOME } from "@/lib/auth/current-user";
import { createClient } from "@/lib/supabase/server";

// A link from one of Supabase Auth's mails (GOTRUE_MAILER_URLPATHS_* point them at
// /auth/confirm): `token` (or `token_hash`, the Supabase SSR guide's name) is the hash of a
// one-time code, exchanged here with POST /verify for a session whose cookies this
// server sets. It works once and for GOTRUE_MAILER_OTP_EXP; the code itself never reaches
// the browser's JavaScript.

const TYPES = ["signup", "recovery", "email_change", "invite", "email"] as const satisfies readonly EmailOtpType[];
export type LinkType = (typeof TYPES)[number];

export type LinkOutcome = { to: string };

/** Where a mailed link leads: the exchange's outcome as a same-site path to redirect to. */
export async function followMailedLink(params: URLSearchParams): Promise<LinkOutcome> {
  const token = params.get("token_hash") ?? params.get("token") ?? "";
  const type = params.get("type") ?? "";
  if (!token || !(TYPES as readonly string[]).includes(type)) return { to: "/auth/link-error?reason=invalid" };
  const kind = type as LinkType;

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
  return { to: afterConfirm(params.get("redirect_to")) };
}

/** The page a sign-up asked to return to (the path of redirect_to), else the dashboard. */
function afterConfirm(redirectTo: string | null): string {
  if (!redirectTo || !URL.canParse(redirectTo)) return DASHBOARD_HOME;
  const url = new URL(redirectTo);
  const path = `${url.pathname}${url.search}`;
  return path === "/" ? DASHBOARD_HOME : afterAuthPath(path);
}
