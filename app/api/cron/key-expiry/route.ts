import { ok } from "@/lib/api/envelope";
import { withPublic } from "@/lib/api/serve";
import { sendExpiryNotices } from "@/lib/api-keys/expiry-notices";
import { assertCronRequest } from "@/lib/cron/authorize";
import { db } from "@/lib/db";

// A job's run can take a while (one mail per key due); never cached, never prerendered.
export const dynamic = "force-dynamic";

// GET /api/cron/key-expiry — the scheduled job: mail owners 7 days and 1 day before a key expires, once each (Bearer $CRON_SECRET)
export const GET = withPublic(async (request) => {
  assertCronRequest(request);
  return ok(await sendExpiryNotices(db));
});
