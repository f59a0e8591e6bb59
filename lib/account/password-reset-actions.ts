"use server";

import { redirect } from "next/navigation";

import { authApi } from "@/lib/account/auth-api";
import { DASHBOARD_HOME, getCurrentSession } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { describePasswordError } from "@/lib/account/auth-errors";

import { text, type FormState } from "./form-state";
import { TOO_MANY, countAttempt, overLimit, visitor } from "./visitor-limit";

// Forgot password → reset. The request says the same for every address, so it cannot be
// used to learn who has an account; Supabase Auth mails a one-time link at most once a
// minute per address (its 429 is answered like a success, for the same reason). The link
// signs the browser in (/auth/confirm) with a session that may set a password without the
// old one; setting it ends every other session of the account.

const SENT = "If an account uses this address, a link to reset its password is on its way. Only one link is sent per minute.";

// POST (Server Action) /forgot-password — mails a reset link.
export async function requestPasswordReset(_prev: FormState, form: FormData): Promise<FormState> {
  const email = text(form, "email").trim();
  const client = await visitor();
  if (overLimit(client)) return { status: "error", message: TOO_MANY, email };
  countAttempt(client);
  const res = await authApi(`/recover?redirect_to=${encodeURIComponent(`${env.APP_URL}/reset-password`)}`, { body: { email } });
  if (res.ok || res.code === "over_email_send_rate_limit") return { status: "done", message: SENT, email };
  if (res.code === "validation_failed" || res.code === "email_address_invalid") {
    return { status: "error", message: "That doesn't look like a valid email address. Check it and try again.", field: "email", email };
  }
  if (res.status === 429) return { status: "error", message: TOO_MANY, email };
  return { status: "error", message: "Couldn't send the link right now. Try again in a minute.", email };
}

// POST (Server Action) /reset-password — sets the new password in the session the link began.
export async function setNewPassword(_prev: FormState, form: FormData): Promise<FormState> {
  const session = await getCurrentSession();
  if (!session) return { status: "error", message: "This page works from the link in a reset email. Ask for a new link." };
  const password = text(form, "password");
  if (password !== text(form, "confirm")) return { status: "error", message: "The two passwords differ. Type the same one twice.", field: "confirm" };
  const res = await authApi("/user", { method: "PUT", body: { password }, accessToken: session.accessToken });
  if (!res.ok) return { status: "error", ...describePasswordError(res.code, res.message) };
  redirect(`${DASHBOARD_HOME}?password=reset`);
}
