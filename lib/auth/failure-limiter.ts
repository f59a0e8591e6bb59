import "server-only";

import { ApiError } from "@/lib/api/errors";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

// The failed-authentication rate limit: more than AUTH_FAILURE_LIMIT failed attempts from
// one client in a minute and every further attempt from it gets 429 until the minute is
// over — a valid key included, or the 429/401 difference would tell a guesser which
// guess was right.
//
// The count is shared by every instance through Postgres (internal.auth_failures), but
// never on the request path: each instance counts in memory and sends its new failures
// in one upsert per second, learning the total across instances in the same statement.
// So rejecting a bad key stays free of database work, successful requests pay one Map
// lookup, and a client spread over several instances is cut off within about a second
// of crossing the limit.

const WINDOW_MS = 60_000;
const FLUSH_MS = 1_000;
const CLEANUP_MS = 10 * 60_000;

type Window = { start: number; pending: number; shared: number };
const windows = new Map<string, Window>();
let flushTimer: ReturnType<typeof setTimeout> | undefined;
let lastCleanup = 0;

const windowStart = (now: number) => now - (now % WINDOW_MS);

function current(client: string, now: number): Window {
  const start = windowStart(now);
  let w = windows.get(client);
  if (!w || w.start !== start) {
    w = { start, pending: 0, shared: 0 };
    windows.set(client, w);
  }
  return w;
}

/**
 * Who is calling, for counting: the right-most X-Forwarded-For entry — the address our
 * nearest proxy saw, or, with no proxy, the socket address that `next start` records.
 * Behind a load balancer that appends to the header, that is the client.
 */
export function clientOf(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for");
  const last = forwarded?.split(",").at(-1)?.trim();
  return `ip:${(last || "unknown").slice(0, 100)}`;
}

/** Throws 429 when `client` is over the limit in the current window; costs no I/O. */
export function assertNotLimited(client: string, now = Date.now()): void {
  const limit = env.AUTH_FAILURE_LIMIT;
  if (!limit) return;
  const w = windows.get(client);
  if (!w || w.start !== windowStart(now)) return;
  if (w.shared + w.pending < limit) return;
  const retryAfter = Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000));
  throw new ApiError("rate_limited", `Too many failed authentication attempts; try again in ${retryAfter} s`, undefined, {
    "retry-after": String(retryAfter),
  });
}

/** Counts one failed authentication for `client`; the shared count follows within a second. */
export function recordFailure(client: string, now = Date.now()): void {
  if (!env.AUTH_FAILURE_LIMIT) return;
  current(client, now).pending++;
  flushTimer ??= setTimeout(() => {
    flushTimer = undefined;
    flush().catch((e) => console.error("[auth] saving failed-authentication counts failed:", e));
  }, FLUSH_MS);
}

async function flush(now = Date.now()): Promise<void> {
  const batch = [...windows].filter(([, w]) => w.pending > 0);
  for (const [client, w] of windows) if (w.start + WINDOW_MS < now) windows.delete(client);
  if (!batch.length) return;
  const rows = batch.map(([client, w]) => ({ client, window_start: new Date(w.start), failures: w.pending }));
  for (const [, w] of batch) w.pending = 0;
  const totals = await db<{ client: string; window_start: Date; failures: number }[]>`
    insert into internal.auth_failures ${db(rows)}
    on conflict (client, window_start) do update set failures = internal.auth_failures.failures + excluded.failures
    returning client, window_start, failures`;
  for (const row of totals) {
    const w = windows.get(row.client);
    if (w && w.start === row.window_start.getTime()) w.shared = row.failures;
  }
  if (now - lastCleanup > CLEANUP_MS) {
    lastCleanup = now;
    await db`delete from internal.auth_failures where window_start < now() - interval '1 hour'`;
  }
}
