import "server-only";

import type { Db } from "@/lib/db";

// The CI tokens already exchanged (public.oidc_token_uses: one exchange per issuer and jti).
// A row is needed only while its token could still verify: until its `exp` and the clock
// skew the exchange allows (lib/oidc/verify-token.ts). The daily job deletes older ones.

/** Deletes the spent tokens that expired more than a day before `now`; the number deleted. */
export async function pruneSpentTokens(db: Db, now: Date = new Date()): Promise<{ spentTokensDeleted: number }> {
  const before = new Date(now.getTime() - 86_400_000);
  const deleted = await db`delete from public.oidc_token_uses where expires_at < ${before}`;
  return { spentTokensDeleted: deleted.count };
}
