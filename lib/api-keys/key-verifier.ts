import "server-only";

import type { Db } from "@/lib/db";
import { env } from "@/lib/env";

import { lookUpKey } from "./key-lookup";
import { findApiKeyByHash, type VerifiedKey } from "./service";
import { VerificationCache } from "./verification-cache";

// Key verification as a service with its window written down: each instance reuses a key's
// row for at most T (KEY_CACHE_TTL_MS, 1 s), so a busy key costs Postgres one lookup per T
// per instance instead of one per request; and every change that takes power away from a
// key waits T after it commits before it answers (./settle-key-change.ts), so the spec's promise
// holds exactly — from the moment the DELETE returns, the key is refused on every instance.
// Expiry needs no wait: it is compared with the clock on every request. What the app does
// not change itself (a ban or deletion in Supabase Auth's admin API) reaches keys within T.

// On globalThis, like the pool: one cache per process, whatever re-evaluates modules.
const globalForKeys = globalThis as typeof globalThis & { __ttKeyCache?: VerificationCache<VerifiedKey> };
export const keyCache: VerificationCache<VerifiedKey> = (globalForKeys.__ttKeyCache ??= new VerificationCache<VerifiedKey>({
  ttlMs: env.KEY_CACHE_TTL_MS,
  maxEntries: env.KEY_CACHE_MAX_KEYS,
  now: () => performance.now(),
}));

/**
 * The presented key's row, from this instance's memory when looked up less than T ago,
 * else from the database (one indexed query, shared by every request waiting for it).
 * Remembered by the key's SHA-256, never by the key.
 */
export function verifyApiKey(db: Db, key: string): Promise<VerifiedKey | null> {
  return lookUpKey(keyCache, key, (hash) => findApiKeyByHash(db, hash));
}
