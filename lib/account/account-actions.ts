"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";

import { recordAccountEvent } from "@/lib/activity/account-events";
import { authApi } from "@/lib/account/auth-api";
import { getCurrentSession } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { createClient } from "@/lib/supabase/server";
import { describePasswordError } from "@/lib/account/auth-errors";

import { text, type FormState } from "./form-state";
import { TOO_MANY, countAttempt, overLimit, visitor } from "./visitor-limit";

// Settings → Account. Each action asks Supabase Auth with the session's own access token, so
// Supabase Auth checks that the session is still alive and applies its own rules: the current
// password for a new one (GOTRUE_SECURITY_UPDATE_PASSWORD_REQUIRE_CURRENT_PASSWORD), a
// confirmation mail to both addresses for a new e-mail (secure e-mail change), the logout scopes.

const SIGNED_OUT: FormState = { status: "error", message: "Your session has ended. Log in again." };
const PAGE = "/settings/account";

// POST (Server Action) /settings/account — a new password; the current one is required.
export async function changePassword(_prev: FormState, form: FormData): Promise<FormState> {
  const session = await getCurrentSession();
  if (!session) return SIGNED_OUT;
  const client = await visitor();
  if (overLimit(client)) return { status: "error", message: TOO_MANY };
  const password = text(form, "password");
  if (password !== text(form, "confirm")) return { status: "error", message: "The two new passwords differ. Type the same one twice.", field: "confirm" };
  const res = await authApi("/user", { method: "PUT", body: { password, current_password: text(form, "current") }, accessToken: session.accessToken });
  if (!res.ok) {
    // A wrong current password is a failed authentication: counted like a wrong log-in.
    if (res.code === "current_password_invalid") countAttempt(client);
    return { status: "error", ...describePasswordError(res.code, res.message) };
  }
  revalidatePath(PAGE);
  return { status: "done", message: "Password changed. Every other session of your account has been signed out." };
}

// POST (Server Action) /settings/account — a new e-mail address, confirmed from both inboxes.
export async function changeEmail(_prev: FormState, form: FormData): Promise<FormState> {
  const session = await getCurrentSession();
  if (!session) return SIGNED_OUT;
  const email = text(form, "email").trim();
  const client = await visitor();
  if (overLimit(client)) return { status: "error", message: TOO_MANY, email };
  countAttempt(client);
  const res = await authApi(`/user?redirect_to=${encodeURIComponent(`${env.APP_URL}${PAGE}`)}`, { method: "PUT", body: { email }, accessToken: session.accessToken });
  if (res.ok) {
    revalidatePath(PAGE);
    return { status: "done", message: `We sent a confirmation link to ${email} and to your current address. Open both; the change takes effect after the second.`, email };
  }
  switch (res.code) {
    case "email_exists":
      // Telling a signed-in person that an address is taken is what every provider does
      // (they could not use it anyway); it reveals nothing to a visitor.
      return { status: "error", message: "Another account uses that address.", field: "email", email };
    case "validation_failed":
    case "email_address_invalid":
      return { status: "error", message: "That doesn't look like a valid email address. Check it and try again.", field: "email", email };
    case "over_email_send_rate_limit":
      return { status: "error", message: "A confirmation link was sent less than a minute ago. Wait a minute, then try again.", email };
  }
  return { status: "error", ...describePasswordError(res.code, res.message), email };
}

// POST (Server Action) /settings/account — ends every session but this one (logout scope others).
export async function signOutOthers(): Promise<FormState> {
  const session = await getCurrentSession();
  if (!session) return SIGNED_OUT;
  const supabase = await createClient();
  const { error } = await supabase.auth.signOut({ scope: "others" });
  if (error) return { status: "error", message: "Signing the other sessions out didn't work. Try again." };
  await recordAccountEvent("auth.signed_out", session.id, { scope: "others" });
  revalidatePath(PAGE);
  return { status: "done", message: "Every other session has been signed out." };
}

// POST (Server Action) /settings/account — ends every session, this one too (logout scope global).
export async function signOutEverywhere(): Promise<void> {
  const session = await getCurrentSession();
  const supabase = await createClient();
  const { error } = await supabase.auth.signOut({ scope: "global" });
  if (session && !error) await recordAccountEvent("auth.signed_out", session.id, { scope: "global" });
  redirect("/login?signed_out=everywhere");
}
