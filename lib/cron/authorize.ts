import "server-only";

import { createHash, timingSafeEqual } from "node:crypto";

import { ApiError, AUTH_CHALLENGE } from "@/lib/contract";
import { env } from "@/lib/env";

// Scheduled jobs are plain GET routes (Vercel Cron calls them with
// `Authorization: Bearer $CRON_SECRET`); anyone else gets 401. Compared as SHA-256 digests
// in constant time: equal lengths, and no early exit that times out the secret.
const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
const EXPECTED = digest(`Bearer ${env.CRON_SECRET}`);

export function assertCronRequest(request: Request): void {
  const given = request.headers.get("authorization") ?? "";
  if (!timingSafeEqual(digest(given), EXPECTED)) {
    throw new ApiError("unauthorized", "This job must be called with Authorization: Bearer $CRON_SECRET", undefined, { "www-authenticate": AUTH_CHALLENGE });
  }
}
