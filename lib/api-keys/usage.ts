import "server-only";

import type { Scope } from "@/lib/contract";
import { COUNTER_CAPS } from "@/lib/cache-caps";
import type { Db } from "@/lib/db";

// What a key was used for, written with its `last_used_at` at most once a minute per key —
// never a write per request. The request path only touches memory: which scopes each key
// exercised since its last write. The write is
//   - scheduled after the response (next/server `after`) by the first request that finds
//     `last_used_at` older than a minute (the lookup that found the key read it), carrying
//     that request's scope and every other one waiting; or
//   - when a key uses a scope its row does not show yet while `last_used_at` is fresh, a
//     timer at the end of that minute (so the scope is not lost if no request follows).
// The UPDATE itself only writes a row whose `last_used_at` is over a minute old, so
// several instances together still write each key at most once a minute; scopes an
// instance could not write then wait for its next turn.

export const USE_RESOLUTION_MS = 60_000;
/** A scope seen this long ago or more counts as new again (its timestamp is refreshed sooner). */
const SCOPE_REFRESH_MS = 86_400_000;

export type KeyUseState = { id: string; lastUsedAt: Date | null; scopeLastUsed: Partial<Record<Scope, string>> };

type Entry = { pending: Set<Scope>; writing: boolean; timer?: ReturnType<typeof setTimeout> };
// Pending writes, not a cache (docs/ARCHITECTURE.md, "In-process state"): an entry holds
// scopes not yet written, so it goes only after its write. At COUNTER_CAPS.keyUseWrites a
// new key is refused an entry: its `last_used_at` is still written, the scopes it used
// meanwhile are not (until it has an entry again).
const entries = new Map<string, Entry>();

function entryFor(id: string): Entry | undefined {
  let entry = entries.get(id);
  if (!entry) {
    if (entries.size >= COUNTER_CAPS.keyUseWrites) return undefined; // bounded: a key past the cap is written on its next stale request
    entry = { pending: new Set(), writing: false };
    entries.set(id, entry);
  }
  return entry;
}

const isStale = (lastUsedAt: Date | null, now: number) => !lastUsedAt || now - lastUsedAt.getTime() >= USE_RESOLUTION_MS;

/**
 * A request authenticated with this key. Returns the write to schedule after the response
 * when `last_used_at` is over a minute old and no write of this process is on its way.
 */
export function keySeen(db: Db, key: KeyUseState, now = Date.now()): (() => Promise<void>) | null {
  if (!isStale(key.lastUsedAt, now)) return null;
  // The row may be the verification cache's copy, shared by every request for up to T
  // (lib/api-keys/key-verifier.ts): it now says "used now", so the requests after this one
  // do not each schedule a write. If the write fails, the next lookup brings the old time back.
  key.lastUsedAt = new Date(now);
  const entry = entryFor(key.id);
  if (!entry) return () => writeUse(db, key.id, []).then(() => undefined, (error: unknown) => console.error("[api] recording an API key's use failed:", error));
  if (entry.writing) return null;
  if (entry.timer) clearTimeout(entry.timer);
  entry.timer = undefined;
  entry.writing = true;
  return () => flush(db, key.id);
}

/** The request was allowed because the key has `scope`: remembered until the key's next write. */
export function scopeUsed(db: Db, key: KeyUseState, scope: Scope, now = Date.now()): void {
  const seen = key.scopeLastUsed[scope];
  const known = seen !== undefined && now - Date.parse(seen) < SCOPE_REFRESH_MS;
  const entry = known ? entries.get(key.id) : entryFor(key.id);
  if (!entry) return;
  entry.pending.add(scope);
  if (!known && !entry.writing && !entry.timer) {
    // The row is fresh (else keySeen scheduled a write): at the end of its minute.
    const due = (key.lastUsedAt?.getTime() ?? now) + USE_RESOLUTION_MS + 1_000 - now;
    schedule(db, key.id, entry, Math.max(0, due));
  }
}

function schedule(db: Db, id: string, entry: Entry, delayMs: number) {
  entry.timer = setTimeout(() => {
    entry.timer = undefined;
    if (entry.writing) return;
    entry.writing = true;
    void flush(db, id);
  }, delayMs);
  entry.timer.unref?.();
}

async function flush(db: Db, id: string): Promise<void> {
  const entry = entries.get(id);
  const scopes = entry ? [...entry.pending] : [];
  entry?.pending.clear();
  let written = false;
  try {
    written = await writeUse(db, id, scopes);
  } catch (error) {
    console.error("[api] recording an API key's use failed:", error);
  } finally {
    if (entry) {
      entry.writing = false;
      // Scopes that could not go now (another instance wrote this minute, or the write failed)
      // go with the next one.
      if (!written) for (const scope of scopes) entry.pending.add(scope);
      if (entry.pending.size > 0 && !entry.timer) schedule(db, id, entry, USE_RESOLUTION_MS + 1_000);
      else if (entry.pending.size === 0 && !entry.timer) entries.delete(id);
    }
  }
}

/** One UPDATE: `last_used_at` and each scope's last use; only if the row was not written in the last minute. */
async function writeUse(db: Db, id: string, scopes: Scope[]): Promise<boolean> {
  const result = await db`
    update public.api_keys
    set last_used_at = now(),
        scope_last_used = scope_last_used || coalesce((select jsonb_object_agg(s, now()) from unnest(${scopes}::text[]) as s), '{}'::jsonb)
    where id = ${id} and (last_used_at is null or last_used_at < now() - interval '1 minute')`;
  return result.count > 0;
}

