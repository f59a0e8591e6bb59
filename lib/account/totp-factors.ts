import "server-only";

import type { AuthError } from "@supabase/supabase-js";

import { createClient } from "@/lib/supabase/server";
import { qrCodeDataUri } from "@/lib/account/totp-qr";

// Two-factor sign-in with TOTP through Supabase Auth's MFA endpoints, called on the server
// (Server Actions) with the session in the request's cookies: enrol, verify, list, remove.
// Verifying raises the session to aal2 and auth-js writes the new session's cookies. No
// Supabase client in the browser. The factor's secret exists only in the answer to
// enrolling: it is shown once, on the page that enrols, and kept nowhere else by us.

export type TotpFactor = { id: string; name: string; createdAt: string; verified: boolean };
export type TotpEnrolment = { factorId: string; name: string; qrCode: string; secret: string; uri: string };
export type Outcome<T = undefined> = { ok: true; value: T } | { ok: false; message: string };

export const DEFAULT_FACTOR_NAME = "Authenticator app";
export const CODE_REFUSED = "That code isn't right. Enter the 6-digit code your authenticator app shows now.";
const UNAVAILABLE = "Couldn't reach the sign-in service. Try again.";

/** What to tell a person for Supabase Auth's error codes. */
function describe(error: AuthError, name?: string): string {
  switch (error.code) {
    case "mfa_verification_failed":
      return CODE_REFUSED;
    case "mfa_challenge_expired":
      return "That took too long. Enter the code your app shows now.";
    case "mfa_factor_name_conflict":
      return `You already have an authenticator called “${name ?? ""}”. Choose another name.`;
    case "too_many_enrolled_mfa_factors":
      return "You have as many authenticators as you can. Remove one first.";
    case "insufficient_aal":
      return "Enter a code from an authenticator you already set up first.";
    case "mfa_factor_not_found":
      return "That authenticator no longer exists. Reload the page.";
    case "session_not_found":
    case "refresh_token_not_found":
      return "Your session has ended. Log in again.";
    default:
      return (error.status ?? 0) >= 500 || !error.status ? UNAVAILABLE : "That didn't work. Try again.";
  }
}

/** The user's TOTP factors, as Supabase Auth has them now (GET /user). */
export async function listTotpFactors(): Promise<TotpFactor[]> {
  const supabase = await createClient();
  const { data, error } = await supabase.auth.getUser();
  if (error || !data.user) return [];
  return (data.user.factors ?? [])
    .filter((f) => f.factor_type === "totp")
    .map((f) => ({ id: f.id, name: f.friendly_name ?? DEFAULT_FACTOR_NAME, createdAt: f.created_at, verified: f.status === "verified" }));
}

/**
 * Starts enrolling an authenticator app. Abandoned enrolments (unverified factors) are
 * removed first: Supabase Auth would hold their names and count them for five minutes.
 */
export async function enrolTotp(name: string): Promise<Outcome<TotpEnrolment>> {
  const supabase = await createClient();
  for (const factor of await listTotpFactors()) {
    if (!factor.verified) await supabase.auth.mfa.unenroll({ factorId: factor.id });
  }
  const { data, error } = await supabase.auth.mfa.enroll({ factorType: "totp", friendlyName: name });
  if (error) return { ok: false, message: describe(error, name) };
  return {
    ok: true,
    value: { factorId: data.id, name: data.friendly_name ?? name, qrCode: qrCodeDataUri(data.totp.qr_code), secret: data.totp.secret, uri: data.totp.uri },
  };
}

/** Challenges `factorId` and verifies `code`: the session is at aal2 afterwards (new cookies). */
export async function verifyTotp(factorId: string, code: string): Promise<Outcome> {
  const supabase = await createClient();
  const { error } = await supabase.auth.mfa.challengeAndVerify({ factorId, code });
  if (error) return { ok: false, message: describe(error) };
  return { ok: true, value: undefined };
}

/**
 * A code from any of `factors` (the user's verified authenticator apps): tried against each
 * in turn. Callers count every factor tried (lib/account/second-factor-code.ts), so
 * having several apps does not multiply a guesser's chances.
 */
export async function verifySecondFactor(code: string, factors: readonly Pick<TotpFactor, "id">[]): Promise<Outcome> {
  let last: Outcome = { ok: false, message: CODE_REFUSED };
  for (const factor of factors) {
    last = await verifyTotp(factor.id, code);
    if (last.ok || last.message !== CODE_REFUSED) return last;
  }
  return last;
}

/**
 * Removes a factor (Supabase Auth refuses a verified one unless the session is at aal2),
 * then refreshes the session so its cookie says what Supabase Auth now says: aal1 again
 * when the removed factor was the one it passed.
 */
export async function removeTotpFactor(factorId: string): Promise<Outcome> {
  const supabase = await createClient();
  const { error } = await supabase.auth.mfa.unenroll({ factorId });
  if (error) return { ok: false, message: describe(error) };
  await supabase.auth.refreshSession();
  return { ok: true, value: undefined };
}
