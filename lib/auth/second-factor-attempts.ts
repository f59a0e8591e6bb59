import "server-only";

import type { Db } from "@/lib/db";
import { env } from "@/lib/env";

// The limits on entering a second-factor code (/login/two-factor and the key dialog's code
// asked for in place; the flow that applies them is lib/account/second-factor-code.ts).
// Someone holding only the password must not be able to loop through the million codes:
//
// - Per visitor: every wrong code counts in the failed-authentication limit, as a wrong
//   password does (AUTH_FAILURE_LIMIT a minute per client address).
// - Per user, whatever the address or instance: each attempt takes the user's row in
//   internal.second_factor_attempts and is counted there *before* the code is checked — a
//   code attempt is rare, so one round trip each is cheap, and the count is exact even for
//   attempts racing on several instances. A code is tried against each of the user's apps,
//   and each app tried counts, so more apps do not mean more guesses. Past
//   SECOND_FACTOR_FAILURE_LIMIT wrong tries within SECOND_FACTOR_LOCK_SECONDS the user's code
//   entry is locked for SECOND_FACTOR_LOCK_SECONDS, and the owner is mailed once per lock:
//   whoever tried knows the password.
//
// The clock is the database's (now()), one clock for every instance.

export type CodeRule = { limit: number; lockSeconds: number };
export const codeRule = (): CodeRule => ({ limit: env.SECOND_FACTOR_FAILURE_LIMIT, lockSeconds: env.SECOND_FACTOR_LOCK_SECONDS });

/**
 * Counts `tries` code tries for `userId` before they are made: "allowed", or "locked" (the
 * lock is on) or "over" (the count is at the limit, the tries that reached it still being
 * checked). The row's lock makes concurrent attempts take their turn.
 */
export async function reserveCodeTries(sql: Db, userId: string, tries: number, rule: CodeRule): Promise<"allowed" | "over" | "locked"> {
  return sql.begin(async (tx) => {
    await tx`insert into internal.second_factor_attempts (user_id) values (${userId}) on conflict (user_id) do nothing`;
    const [row] = await tx<{ failures: number; locked: boolean; stale: boolean }[]>`
      select failures, coalesce(locked_until > now(), false) as locked,
             window_start <= now() - make_interval(secs => ${rule.lockSeconds}) as stale
      from internal.second_factor_attempts where user_id = ${userId} for update`;
    if (!row) return "over";
    if (row.locked) return "locked";
    const failures = row.stale ? 0 : row.failures;
    if (failures >= rule.limit) return "over";
    await tx`
      update internal.second_factor_attempts
      set failures = ${failures + tries}, window_start = case when ${row.stale} then now() else window_start end
      where user_id = ${userId}`;
    return "allowed";
  });
}

export type CodeResult = "right" | "wrong" | "not-checked";
export type Lock = { email: string | null; until: Date };

/**
 * After the check: a right code clears the count; a code not checked (the auth server did
 * not answer, the challenge expired) gives its tries back; a wrong one keeps them, and once
 * the count reaches the limit locks code entry — the Lock is returned to the one attempt
 * whose statement set it, so the owner gets one mail per lock.
 */
export async function settleCodeTries(sql: Db, userId: string, tries: number, result: CodeResult, rule: CodeRule): Promise<Lock | null> {
  if (result === "right") {
    await sql`update internal.second_factor_attempts set failures = 0, window_start = now(), locked_until = null where user_id = ${userId}`;
    return null;
  }
  if (result === "not-checked") {
    await sql`update internal.second_factor_attempts set failures = greatest(failures - ${tries}, 0) where user_id = ${userId}`;
    return null;
  }
  const [lock] = await sql<Lock[]>`
    update internal.second_factor_attempts a
    set locked_until = now() + make_interval(secs => ${rule.lockSeconds}), failures = 0, window_start = now()
    where a.user_id = ${userId} and a.failures >= ${rule.limit} and (a.locked_until is null or a.locked_until <= now())
    returning (select u.email from auth.users u where u.id = a.user_id) as email, a.locked_until as until`;
  return lock ?? null;
}
