import "server-only";

import { getCurrentSession } from "@/lib/auth/current-user";
import { codeRule, reserveCodeTries, settleCodeTries, type CodeResult, type CodeRule } from "@/lib/auth/second-factor-attempts";
import { ApiError } from "@/lib/contract";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { sendMail } from "@/lib/mail/mailer";

import { CODE_REFUSED, listTotpFactors, verifySecondFactor, type Outcome } from "./totp-factors";
import { TOO_MANY, countAttempt, overLimit, visitor } from "./visitor-limit";

// Entering a second-factor code (/login/two-factor and the key dialog's code asked for in
// place) within the limits of lib/auth/second-factor-attempts.ts: per visitor, and per user
// counted in Postgres before the code is checked; the owner is mailed when a lock begins.

export const CODE_ENTRY_LOCKED = "Too many attempts. Code entry for this account is locked for a while; we've emailed you about it.";

/** The mail to the owner when their code entry was locked. */
export function codeEntryLockedMail(to: string, until: Date, rule: CodeRule) {
  const minutes = Math.round(rule.lockSeconds / 60);
  return {
    to,
    subject: "Code entry for your Tuned Tensor account was locked",
    text:
      `Someone entered wrong two-factor codes for your Tuned Tensor account again and again, after signing in with its password. ` +
      `To stop them guessing, entering codes for your account is locked until ${until.toISOString().replace("T", " ").slice(0, 16)} UTC` +
      `${minutes > 0 ? ` (${minutes} minutes)` : ""}; your API keys are not affected.\n\n` +
      `If this was you, wait until then and enter the code your authenticator app shows.\n\n` +
      `If it wasn't you, someone knows your password. Once the lock ends, log in and change your password ` +
      `(that signs out every other session), then check Settings → Security log for anything you don't recognise:\n` +
      `  ${env.APP_URL}/settings/account\n`,
  };
}

/**
 * A code from any of the signed-in user's authenticator apps, within both limits: how a
 * session reaches aal2 at log-in or before minting a key.
 */
export async function verifyCodeWithinLimits(code: string): Promise<Outcome> {
  const session = await getCurrentSession();
  if (!session) return { ok: false, message: "Your session has ended. Log in again." };
  const client = await visitor();
  if (overLimit(client)) return { ok: false, message: TOO_MANY };
  const factors = (await listTotpFactors()).filter((f) => f.verified);
  if (factors.length === 0) return { ok: false, message: "You have no authenticator app set up." };

  const rule = codeRule();
  const reserved = await reserveCodeTries(db, session.id, factors.length, rule);
  if (reserved !== "allowed") return { ok: false, message: reserved === "locked" ? CODE_ENTRY_LOCKED : TOO_MANY };
  const outcome = await verifySecondFactor(code, factors);
  const result: CodeResult = outcome.ok ? "right" : outcome.message === CODE_REFUSED ? "wrong" : "not-checked";
  if (result === "wrong") countAttempt(client);
  const lock = await settleCodeTries(db, session.id, factors.length, result, rule);
  if (!lock) return outcome;
  if (lock.email) {
    try {
      await sendMail(codeEntryLockedMail(lock.email, lock.until, rule));
    } catch (error) {
      // The lock holds either way; the owner is told on the page the next time they try.
      console.error(`[two-factor] could not mail the owner of ${session.id} about the lock:`, (error as Error).message);
    }
  }
  return { ok: false, message: CODE_ENTRY_LOCKED };
}

/**
 * For the API's sensitive changes (deleting an organization): the signed-in user's current
 * code, checked as above (Supabase Auth, within both limits; the session's new cookies go out
 * with the answer). 403 when it is not right.
 */
export async function requireSecondFactorCode(userId: string, code: string): Promise<void> {
  const session = await getCurrentSession();
  if (!session || session.id !== userId) throw new ApiError("unauthorized", "Your session has ended; sign in again");
  const outcome = await verifyCodeWithinLimits(code);
  if (!outcome.ok) throw new ApiError("forbidden", outcome.message);
}
