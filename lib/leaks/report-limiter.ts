import "server-only";

import { ApiError } from "@/lib/contract";
import { env } from "@/lib/env";

// The public revocation endpoint's rate limit: AUTH_FAILURE_LIMIT requests per client per
// minute (30 by default; 0 turns it off, as for failed authentications: both are what an
// unauthenticated client may try), per instance, counted in memory (a fixed window; no
// I/O). It bounds how fast one client can make the server hash and look up candidate keys;
// the checksum already turns away made-up keys for free.

const REPORTS_PER_MINUTE = env.AUTH_FAILURE_LIMIT;
const WINDOW_MS = 60_000;
const MAX_CLIENTS = 10_000;

let windowStart = 0;
const counts = new Map<string, number>();

/** Counts one request from `client`; 429 with Retry-After once it is over the limit. */
export function assertReportAllowed(client: string, now = Date.now()): void {
  if (REPORTS_PER_MINUTE === 0) return;
  if (now - windowStart >= WINDOW_MS) {
    windowStart = now - (now % WINDOW_MS);
    counts.clear();
  }
  // Bounded memory: a flood of addresses resets the window rather than growing the map.
  if (counts.size >= MAX_CLIENTS && !counts.has(client)) counts.clear();
  const n = (counts.get(client) ?? 0) + 1;
  counts.set(client, n);
  if (n > REPORTS_PER_MINUTE) {
    const retryAfter = Math.max(1, Math.ceil((windowStart + WINDOW_MS - now) / 1000));
    throw new ApiError("rate_limited", `Too many reports; try again in ${retryAfter} s`, undefined, { "retry-after": String(retryAfter) });
  }
}
