import "server-only";

import { headers } from "next/headers";

import { requestOrigin } from "@/lib/http/request-origin";
import { db } from "@/lib/db";

import { recordAuditEvent } from "./audit";

/**
 * The account's own events in the security log — sign-in, sign-out, two-factor enrolled or
 * removed — written by the Server Actions that caused them, right after Supabase Auth
 * confirmed the change. They cannot share a transaction with it: the change happens in
 * Supabase Auth, not in our database. So the order is the one that never logs a change that
 * did not happen: the change first, then the event. Losing the event (the database down at
 * that moment) must not undo or block a sign-in or sign-out that already happened: it is
 * logged without any secret and the action goes on.
 */
export async function recordAccountEvent(
  type: "auth.signed_in" | "auth.signed_out" | "mfa.enrolled" | "mfa.removed",
  userId: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  try {
    const origin = requestOrigin({ headers: await headers() });
    await db.begin((tx) => recordAuditEvent(tx, { type, organizationId: null, userId, actor: { type: "session", ...origin }, details }));
  } catch (error) {
    console.error(`[audit] could not record ${type} for user ${userId}:`, (error as Error).message);
  }
}
