"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";

import { recordAccountEvent } from "@/lib/activity/account-events";
import { DASHBOARD_HOME, getCurrentSession } from "@/lib/auth/current-user";
import { safeNextPath } from "@/lib/safe-next-path";

import { verifyCodeWithinLimits } from "./second-factor-code";
import { signOutHere } from "./sign-out";
import { normalizeTotpCode } from "./totp-qr";
import { DEFAULT_FACTOR_NAME, enrolTotp, removeTotpFactor, verifyTotp, type TotpEnrolment } from "./totp-factors";

// The Server Actions of two-factor sign-in: Settings → Security (enrol, verify the first
// code, remove), /login/two-factor (the code after a password) and the API-key dialog (the
// code asked for in place). Each calls Supabase Auth on the server with the request's
// session cookie (lib/account/totp-factors.ts); the forms work without JavaScript.

const SECURITY_PATH = "/settings/security";
const BAD_CODE = "Enter the 6-digit code from your authenticator app.";

export type EnrolState =
  | { step: "start"; error: string | null }
  | { step: "verify"; enrolment: TotpEnrolment; error: string | null }
  | { step: "done"; name: string };

/** Settings → Security: "start" enrols an authenticator app; "verify" checks its first code. */
export async function enrolAction(previous: EnrolState, form: FormData): Promise<EnrolState> {
  if (form.get("intent") === "verify") {
    const factorId = String(form.get("factorId") ?? "");
    const code = normalizeTotpCode(form.get("code"));
    // Without JavaScript the QR code is not posted back: on a wrong code, start again.
    const back = (error: string): EnrolState => (previous.step === "verify" ? { ...previous, error } : { step: "start", error });
    if (!code) return back(BAD_CODE);
    const outcome = await verifyTotp(factorId, code);
    if (!outcome.ok) return back(outcome.message);
    const session = await getCurrentSession();
    if (session) await recordAccountEvent("mfa.enrolled", session.id, { factor_id: factorId, factor_type: "totp" });
    revalidatePath(SECURITY_PATH);
    return { step: "done", name: previous.step === "verify" ? previous.enrolment.name : DEFAULT_FACTOR_NAME };
  }
  const name = String(form.get("name") ?? "").trim().slice(0, 100) || DEFAULT_FACTOR_NAME;
  const outcome = await enrolTotp(name);
  if (!outcome.ok) return { step: "start", error: outcome.message };
  return { step: "verify", enrolment: outcome.value, error: null };
}

export type RemoveState = { error: string | null };

/** Settings → Security: removes a factor (Supabase Auth asks for aal2 to remove a verified one). */
export async function removeFactorAction(_previous: RemoveState, form: FormData): Promise<RemoveState> {
  const factorId = String(form.get("factorId") ?? "");
  const session = await getCurrentSession();
  const outcome = await removeTotpFactor(factorId);
  if (!outcome.ok) return { error: outcome.message };
  if (session) await recordAccountEvent("mfa.removed", session.id, { factor_id: factorId, factor_type: "totp" });
  revalidatePath(SECURITY_PATH);
  return { error: null };
}

export type CodeState = { error: string | null };

/** /login/two-factor: the code after a password; then on to `next`. */
export async function loginCodeAction(_previous: CodeState, form: FormData): Promise<CodeState> {
  const code = normalizeTotpCode(form.get("code"));
  if (!code) return { error: BAD_CODE };
  const outcome = await verifyCodeWithinLimits(code);
  if (!outcome.ok) return { error: outcome.message };
  redirect(safeNextPath(String(form.get("next") ?? ""), DASHBOARD_HOME));
}

/** The API-key dialog: the code asked for in place when the API wants a second factor. */
export async function confirmCodeAction(rawCode: string): Promise<CodeState> {
  const code = normalizeTotpCode(rawCode);
  if (!code) return { error: BAD_CODE };
  const outcome = await verifyCodeWithinLimits(code);
  return { error: outcome.ok ? null : outcome.message };
}

/** /login/two-factor: not this account after all — end this browser's session. */
export async function signOutAction(): Promise<void> {
  await signOutHere();
  redirect("/login");
}
