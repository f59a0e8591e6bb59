import "server-only";

import { ApiError } from "@/lib/contract";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { clientAddress } from "@/lib/http/client-address";

import { FailureCounter, type FlushRow } from "./failure-counter";

// The failed-authentication rate limit: more than AUTH_FAILURE_LIMIT failed attempts from
// one client in a minute and every further attempt from it gets 429 until the minute is
// over — a valid key included, or the 429/401 difference would tell a guesser which
// guess was right.
//
// Each instance counts in memory (lib/auth/failure-counter.ts: bounded in clients, and in
// rows written); a client close to the limit is shared by every instance through
// Postgres (internal.auth_failures) in one upsert per second, which also brings back the
// total across instances. Never on the request path: rejecting a bad key stays free of
// database work, and successful requests pay one Map lookup.

const CLEANUP_MS = 10 * 60_000;
let lastCleanup = 0;

async function store(rows: FlushRow[]): Promise<FlushRow[]> {
  const totals = await db<FlushRow[]>`
    insert into internal.auth_failures ${db(rows)}
    on conflict (client, window_start) do update set failures = internal.auth_failures.failures + excluded.failures
    returning client, window_start, failures`;
  if (Date.now() - lastCleanup > CLEANUP_MS) {
    lastCleanup = Date.now();
    await db`delete from internal.auth_failures where window_start < now() - interval '1 hour'`;
  }
  return totals;
}

const counter = new FailureCounter({ limit: env.AUTH_FAILURE_LIMIT, store });

let warned = false;

/**
 * Who is calling, for counting: the address TRUSTED_PROXY_HOPS proxies away from the
 * socket (lib/http/client-address.ts) — with the default 0, the address this server was
 * connected from, whatever X-Forwarded-For says.
 */
export function clientOf(request: Request): string {
  const { address, peerKnown } = clientAddress(request.headers, env.TRUSTED_PROXY_HOPS);
  if (!peerKnown && !warned) {
    warned = true;
    console.warn("[auth] the peer address is not recorded (instrumentation.ts did not run?): the limiter falls back to X-Forwarded-For");
  }
  return `ip:${address}`;
}

/** Throws 429 when `client` is over the limit in the current window; costs no I/O. */
export function assertNotLimited(client: string, now = Date.now()): void {
  const retryAfter = counter.retryAfter(client, now);
  if (!retryAfter) return;
  throw new ApiError("rate_limited", `Too many failed authentication attempts; try again in ${retryAfter} s`, undefined, {
    "retry-after": String(retryAfter),
  });
}

/** Counts one failed authentication for `client`; shared with other instances once it nears the limit. */
export function recordFailure(client: string, now = Date.now()): void {
  counter.record(client, now);
}
