import "server-only";

import type { Db } from "@/lib/db";

// Whether a signed-in session still owes its second factor: its user has a verified TOTP
// factor (Supabase Auth keeps them in auth.mfa_factors) and the session has not passed it
// (its access token's `aal` is not `aal2`). proxy.ts, the dashboard layout and every
// dashboard page (lib/auth/page-session.ts) send such a session to /login/two-factor. One indexed query, and only for sessions at aal1: a session
// at aal2 owes nothing. This gate is for pages; minting a credential asks Supabase Auth
// itself (the session check's "mint" mode, lib/auth/session-check.ts).

export const TWO_FACTOR_PATH = "/login/two-factor";

export async function hasVerifiedFactor(db: Db, userId: string): Promise<boolean> {
  const [row] = await db<{ found: boolean }[]>`
    select exists (select 1 from auth.mfa_factors where user_id = ${userId} and status = 'verified') as found`;
  return row?.found === true;
}

export async function owesSecondFactor(db: Db, session: { id: string; aal: string | null }): Promise<boolean> {
  return session.aal !== "aal2" && (await hasVerifiedFactor(db, session.id));
}

/** /login/two-factor, back to `next` afterwards. */
export const twoFactorPath = (next: string) => `${TWO_FACTOR_PATH}?next=${encodeURIComponent(next)}`;
