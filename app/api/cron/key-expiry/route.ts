import { ok } from "@/lib/api/envelope";
import { withPublic } from "@/lib/api/serve";
import { pruneActivity } from "@/lib/activity/retention";
import { sendExpiryNotices } from "@/lib/api-keys/expiry-notices";
import { pruneCliLogins } from "@/lib/cli-login/login-limits";
import { assertCronRequest } from "@/lib/cron/authorize";
import { db } from "@/lib/db";
import { pruneSpentTokens } from "@/lib/oidc/spent-tokens";

// A job's run can take a while (one mail per key due); never cached, never prerendered.
export const dynamic = "force-dynamic";

// GET /api/cron/key-expiry — the scheduled job: mail owners 7 days and 1 day before a key expires, once each, prune activity past its retention and unusable CLI login requests (Bearer $CRON_SECRET)
export const GET = withPublic(async (request) => {
  assertCronRequest(request);
  const now = new Date();
  const sent = await sendExpiryNotices(db, now);
  // The same daily job keeps the activity tables within their retention (90 days of usage,
  // 400 of audit events).
  const pruned = await pruneActivity(db, now);
  // And `tt auth login`'s requests once they can no longer be used (their user codes free again).
  const cliLogins = await pruneCliLogins(db, now);
  // And the CI tokens already exchanged once they could no longer verify anyway.
  const spentTokens = await pruneSpentTokens(db, now);
  return ok({ ...sent, pruned: { ...pruned, ...cliLogins, ...spentTokens } });
});
