"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";

import { getCurrentSession } from "@/lib/auth/current-user";
import { checkSession } from "@/lib/auth/session-check";
import { twoFactorPath } from "@/lib/auth/second-factor";
import { decideLogin } from "@/lib/cli-login/device-codes";
import { ApiError, asksForSecondFactor, CLI_AUTHORIZE_PATH, formatUserCode, normalizeUserCode } from "@/lib/contract";
import { db } from "@/lib/db";
import { requestOrigin } from "@/lib/http/request-origin";

import { countAttempt, overLimit, visitor } from "./visitor-limit";

// The Server Actions of /cli/authorize: Authorize and Deny. Each works without JavaScript
// (a form post, then a redirect back to the page with the outcome). Approving is minting a
// credential: the session is confirmed with Supabase Auth first, at aal2 when the user has
// a second factor (the same rule as creating a key). The key itself is made later, when the
// CLI's next poll collects it (lib/cli-login/device-codes.ts).

const AUTHORIZE_PATH = CLI_AUTHORIZE_PATH;

/** The page again, with one of its outcomes. */
const back = (query: Record<string, string>) => redirect(`${AUTHORIZE_PATH}?${new URLSearchParams(query).toString()}`);

export async function decideLoginAction(form: FormData): Promise<void> {
  const typed = String(form.get("code") ?? "");
  const approve = form.get("intent") === "approve";
  const session = await getCurrentSession();
  if (!session) redirect(`/login?next=${encodeURIComponent(`${AUTHORIZE_PATH}?code=${typed}`)}`);

  // Wrong codes are counted per client and per session, in the failed-authentication limit.
  const clients = [await visitor(), `session:${session.sessionId ?? session.id}`];
  if (clients.some(overLimit)) back({ error: "limited" });
  const userCode = normalizeUserCode(typed);

  if (approve) {
    try {
      await checkSession(session, "mint");
    } catch (error) {
      if (error instanceof ApiError && asksForSecondFactor(error.headers?.["www-authenticate"])) {
        redirect(twoFactorPath(`${AUTHORIZE_PATH}?code=${userCode ? formatUserCode(userCode) : ""}`));
      }
      if (error instanceof ApiError) back({ error: "session" });
      throw error;
    }
  }
  // The decision's event names this browser: its address and user agent, and its session.
  const actor = { type: "session" as const, ...requestOrigin({ headers: await headers() }) };
  const decided = userCode !== null && (await decideLogin(db, { userCode, userId: session.id, approve, actor, sessionId: session.sessionId ?? null }));
  if (!decided) {
    clients.forEach(countAttempt);
    back({ error: "unknown" });
  }
  back({ done: approve ? "approved" : "denied" });
}
