import "server-only";

import { ApiError } from "@/lib/contract";
import type { Tx } from "@/lib/activity/audit";
import type { Db } from "@/lib/db";

// Bounds on `tt auth login`'s public endpoints, which anyone may call without credentials:
// device codes created, and polls with device codes nobody issued, per client in any 60 s
// (a sliding window, so no burst at a minute's boundary), counted exactly across instances
// in internal.cli_login_attempts — creations are rare, so a query each is affordable; and
// pending requests in total. Every function takes `now`: tests move the window, never wait.

export const WINDOW_S = 60;

export type AttemptKind = "create" | "unknown_poll";

/**
 * Counts one attempt of `kind` by `client`, or throws 429 `rate_limited` with Retry-After
 * (when the oldest attempt in the window leaves it) when `limit` were let through in the
 * last 60 s. Refused attempts are not stored: the table holds at most `limit` rows per
 * client per minute. Call inside a transaction: the client's lock is held until it ends.
 */
export async function takeAttempt(tx: Tx, params: { client: string; kind: AttemptKind; limit: number; now: Date }): Promise<void> {
  const { client, kind, limit, now } = params;
  if (limit === 0) return;
  // Two concurrent attempts by one client must not both see limit - 1.
  await tx`select pg_advisory_xact_lock(hashtextextended(${`cli-login:${kind}:${client}`}, 0))`;
  const [row] = await tx<{ n: number; oldest: Date | null }[]>`
    select count(*)::int as n, min(at) as oldest from internal.cli_login_attempts
    where client = ${client} and kind = ${kind} and at > ${now}::timestamptz - make_interval(secs => ${WINDOW_S})`;
  if (row!.n >= limit) {
    const retryAfter = Math.max(1, Math.ceil((row!.oldest!.getTime() + WINDOW_S * 1000 - now.getTime()) / 1000));
    const what = kind === "create" ? "login requests" : "polls with unknown device codes";
    throw new ApiError("rate_limited", `Too many ${what} from this client; try again in ${retryAfter} s`, undefined, { "retry-after": String(retryAfter) });
  }
  await tx`insert into internal.cli_login_attempts (client, kind, at) values (${client}, ${kind}, ${now})`;
}

/**
 * Throws 429 `rate_limited` when `max` requests are pending (undecided and unexpired) in
 * total, with Retry-After when the first of them expires. 429 rather than 503: the server
 * is up and every other endpoint answers; this one is full for a few minutes, and the CLI
 * already waits out a 429 by its Retry-After.
 */
export async function assertPendingBelow(tx: Tx, params: { max: number; now: Date }): Promise<void> {
  const [row] = await tx<{ n: number; first_expiry: Date | null }[]>`
    select count(*)::int as n, min(expires_at) as first_expiry from (
      select expires_at from internal.cli_device_codes
      where status = 'pending' and expires_at > ${params.now}
      limit ${params.max}
    ) pending`;
  if (row!.n < params.max) return;
  const retryAfter = Math.max(1, Math.ceil((row!.first_expiry!.getTime() - params.now.getTime()) / 1000));
  throw new ApiError("rate_limited", `Too many login requests are waiting; try again in ${retryAfter} s`, undefined, { "retry-after": String(retryAfter) });
}

/**
 * The lifecycle cron's share: deletes device codes that can no longer be used — denied,
 * handed over (consumed), or expired — which frees their user codes, and attempts older
 * than an hour. Pending requests, and approved ones still waiting for their CLI's poll, stay.
 */
export async function pruneCliLogins(db: Db, now: Date): Promise<{ deviceCodesDeleted: number; attemptsDeleted: number }> {
  const codes = await db`
    delete from internal.cli_device_codes
    where status in ('denied', 'consumed') or expires_at <= ${now}`;
  const attempts = await db`delete from internal.cli_login_attempts where at < ${now}::timestamptz - interval '1 hour'`;
  return { deviceCodesDeleted: codes.count, attemptsDeleted: attempts.count };
}
