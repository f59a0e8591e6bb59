import "server-only";

import { BoundedCache } from "@/lib/bounded-cache";
import { CACHE_CAPS } from "@/lib/cache-caps";
import { ApiError } from "@/lib/contract";
import { env } from "@/lib/env";

// The public revocation endpoint's rate limit: AUTH_FAILURE_LIMIT requests per client per
// minute (30 by default; 0 turns it off, as for failed authentications: both are what an
// unauthenticated client may try), per instance, counted in memory (a fixed window; no
// I/O). It bounds how fast one client can make the server hash and look up candidate keys;
// the checksum already turns away made-up keys for free.
//
// The counts are a cache (lib/bounded-cache.ts), not a record: nothing is written
// anywhere, and at the cap the client seen least recently is forgotten — it starts its
// minute again. A client that keeps asking stays recent, so a flood of one-off addresses
// pushes out its own earlier addresses first (clearing every count when full, as a plain
// reset would, hands the busy client a fresh allowance too). Refusing new clients when
// full instead would let such a flood lock out everyone.

const REPORTS_PER_MINUTE = env.AUTH_FAILURE_LIMIT;
const WINDOW_MS = 60_000;

let windowStart = 0;
const counts = new BoundedCache<string, number>({ maxEntries: CACHE_CAPS.reportClients });

/** Counts one request from `client`; 429 with Retry-After once it is over the limit. */
export function assertReportAllowed(client: string, now = Date.now()): void {
  if (REPORTS_PER_MINUTE === 0) return;
  if (now - windowStart >= WINDOW_MS) {
    windowStart = now - (now % WINDOW_MS);
    counts.clear();
  }
  const n = (counts.get(client) ?? 0) + 1;
  counts.set(client, n);
  if (n > REPORTS_PER_MINUTE) {
    const retryAfter = Math.max(1, Math.ceil((windowStart + WINDOW_MS - now) / 1000));
    throw new ApiError("rate_limited", `Too many reports; try again in ${retryAfter} s`, undefined, { "retry-after": String(retryAfter) });
  }
}
