import "server-only";

import { BoundedCache } from "@/lib/bounded-cache";
import { CACHE_CAPS } from "@/lib/cache-caps";
import type { Db } from "@/lib/db";

import type { SessionUser } from "./session-token";

// Whether a session whose access token verified is still alive: its row in auth.sessions
// exists (signing out deletes it, on every scope) and has not passed `not_after`, it still
// has a refresh token that is not revoked (Supabase Auth revokes them all when it detects a
// refresh token being reused — a stolen session — but keeps the session row, so its access
// tokens would otherwise live on), and its user is neither banned nor (soft- or hard-) deleted.
//
// Local JWT verification alone would accept a signed-out or suspended user's access token
// for the rest of its life (up to an hour). Asking Supabase Auth per request would cost a
// round trip each time. So each instance asks Postgres — where Supabase Auth keeps the
// sessions — once per session per SESSION_RECHECK_MS and remembers the answer: an ended
// session or a suspended account is refused by every instance within that window, and a
// busy browser session costs one indexed query per window. Minting a credential does not
// rely on this window: it asks Supabase Auth itself (the session check's "mint" mode, lib/auth/session-check.ts).

export const SESSION_RECHECK_MS = 5_000;

export type Liveness = "live" | "ended" | "suspended";
const remembered = new BoundedCache<string, Liveness>({
  maxEntries: CACHE_CAPS.sessionLiveness,
  ttlMs: SESSION_RECHECK_MS,
  now: () => performance.now(),
});

/** One query: the session's row (if any) and its user's state. */
async function lookUp(db: Db, user: SessionUser): Promise<Liveness> {
  const [row] = await db<{ session_alive: boolean; suspended: boolean }[]>`
    select (s.id is not null and (s.not_after is null or s.not_after > now())
            and exists (select 1 from auth.refresh_tokens r where r.session_id = s.id and r.revoked is not true)) as session_alive,
           (u.deleted_at is not null or coalesce(u.banned_until > now(), false)) as suspended
    from auth.users u
    left join auth.sessions s on s.id = ${user.sessionId} and s.user_id = u.id
    where u.id = ${user.id}`;
  if (!row) return "ended"; // the user was deleted: their sessions went with them
  if (row.suspended) return "suspended";
  return row.session_alive ? "live" : "ended";
}

// Lookups in flight, by session: when a busy session's answer runs out, the requests that
// arrive before the new one is back join the one query instead of each sending their own.
// Joining is remembering: only reads that may use a remembered answer join.
const inflight = new Map<string, Promise<Liveness>>();

/** Whether `user`'s session may still be used. `fresh` skips the remembered answer (for minting credentials). */
export async function sessionLiveness(db: Db, user: SessionUser, { fresh = false }: { fresh?: boolean } = {}): Promise<Liveness> {
  // A token without a session id cannot be checked against a session: not one of Supabase
  // Auth's user sessions, so not accepted.
  if (!user.sessionId) return "ended";
  const key = `${user.id}:${user.sessionId}`;
  if (!fresh) {
    const known = remembered.get(key) ?? inflight.get(key);
    if (known) return known;
  }
  const askedAt = performance.now(); // the answer's age counts from the question
  const asked = lookUp(db, user).then((liveness) => {
    remembered.set(key, liveness, askedAt);
    return liveness;
  });
  if (fresh) return asked;
  inflight.set(key, asked);
  const settled = () => {
    if (inflight.get(key) === asked) inflight.delete(key);
  };
  asked.then(settled, settled);
  return asked;
}
