"use server";

import { redirect } from "next/navigation";

import { recordAccountEvent } from "@/lib/activity/account-events";
import { afterAuthPath } from "@/lib/account/after-auth-path";
import { authApi } from "@/lib/account/auth-api";
import { twoFactorPath } from "@/lib/auth/second-factor";
import { signOutHere } from "@/lib/account/sign-out";
import { env } from "@/lib/env";
import { createClient } from "@/lib/supabase/server";
import { describeLoginError, describeSignupError } from "@/lib/account/auth-errors";

import { text, type FormState } from "./form-state";
import { TOO_MANY, countAttempt, overLimit, visitor } from "./visitor-limit";

// Log in, sign up and log out as Server Actions: the password goes to this server, which
// talks to Supabase Auth and sets the session cookies on its answer (the Supabase SSR
// guide's way). The pages work with JavaScript off and ship no supabase-js.

// POST (Server Action) /login — signs in with a password, then goes to `next`.
export async function logIn(_prev: FormState, form: FormData): Promise<FormState> {
  const email = text(form, "email").trim();
  const next = afterAuthPath(text(form, "next"));
  const client = await visitor();
  if (overLimit(client)) return { status: "error", message: TOO_MANY, email };
  const supabase = await createClient();
  const { data, error } = await supabase.auth.signInWithPassword({ email, password: text(form, "password") });
  if (error) {
    if (error.code === "invalid_credentials") countAttempt(client);
    return { status: "error", message: describeLoginError({ code: error.code, status: error.status, name: error.name }), email };
  }
  if (data.user) await recordAccountEvent("auth.signed_in", data.user.id, { method: "password" });
  // A user with an authenticator app goes straight to its code: the dashboard's gate would
  // send them there anyway, but from inside this action's redirect the browser would keep
  // the dashboard's address above the code form.
  const factors = data.user?.factors ?? [];
  redirect(factors.some((f) => f.status === "verified") ? twoFactorPath(next) : next);
}

// POST (Server Action) /signup — asks Supabase Auth to create the account and mail a
// confirmation link. The answer is the same whether or not the address already has an
// account (Supabase Auth mails only a new or unconfirmed one), so it tells nobody which
// addresses exist.
export async function signUp(_prev: FormState, form: FormData): Promise<FormState> {
  const email = text(form, "email").trim();
  const next = afterAuthPath(text(form, "next"));
  const client = await visitor();
  if (overLimit(client)) return { status: "error", message: TOO_MANY, email };
  countAttempt(client);
  const redirectTo = encodeURIComponent(`${env.APP_URL}${next}`);
  const res = await authApi(`/signup?redirect_to=${redirectTo}`, { body: { email, password: text(form, "password") } });
  if (res.ok) return { status: "done", message: "Check your inbox", email };
  const field = res.code === "weak_password" ? "password" : res.code === "email_address_invalid" || res.code === "validation_failed" ? "email" : undefined;
  return { status: "error", message: describeSignupError({ code: res.code, status: res.status, message: res.message }), field, email };
}

// POST (Server Action) — ends this browser's session (scope local, as GitHub and Stripe do)
// and clears its cookies, then goes to /login.
export async function logOut(): Promise<void> {
  await signOutHere();
  redirect("/login");
}
