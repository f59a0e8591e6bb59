import "server-only";

import type { Db } from "@/lib/db";
import { ownedPage } from "@/lib/db-page";

import { generateApiKey, keyPrefix } from "./key-format";
import { hashApiKey } from "./key-hash";
import { apiKeyOutput, createdApiKeyOutput, type ApiKey, type CreateApiKeyInput } from "@/lib/contract";
import { notFoundError } from "@/lib/domain-errors";

// Every query here takes the owner's id and filters by it: a key id alone never
// reaches a row (someone else's key and an unknown key are the same 404).

const KEY_COLUMNS = ["id", "name", "key_prefix", "created_at", "last_used_at", "expires_at", "revoked_at"] as const;
type KeyRow = { id: string; name: string; key_prefix: string; created_at: Date; last_used_at: Date | null; expires_at: Date | null; revoked_at: Date | null };

const iso = (d: Date | null) => (d ? d.toISOString() : null);
// `satisfies ApiKey`: the row is mapped onto the contract's field names at compile time
// too, so renaming a field there breaks this file, not only the parse at run time.
function toOutput(row: KeyRow): ApiKey {
  return apiKeyOutput.parse({
    ...row,
    created_at: row.created_at.toISOString(),
    last_used_at: iso(row.last_used_at),
    expires_at: iso(row.expires_at),
    revoked_at: iso(row.revoked_at),
  } satisfies ApiKey);
}

export const API_KEY_NOT_FOUND = "API key not found";

export async function createApiKey(db: Db, params: { userId: string } & CreateApiKeyInput) {
  const key = generateApiKey();
  const [row] = await db<KeyRow[]>`
    insert into public.api_keys (user_id, name, key_prefix, key_hash, expires_at)
    values (${params.userId}, ${params.name}, ${keyPrefix(key)}, ${hashApiKey(key)}, ${params.expires_at ?? null})
    returning ${db(KEY_COLUMNS)}`;
  // The one place the full key leaves the server; it is not stored or logged anywhere.
  return createdApiKeyOutput.parse({ ...toOutput(row!), key });
}

export async function listApiKeys(db: Db, params: { userId: string; page: number; perPage: number }) {
  const { rows, total } = await ownedPage<KeyRow>(db, { table: "api_keys", columns: KEY_COLUMNS, ...params });
  return { items: rows.map(toOutput), total };
}

/** Revokes now; revoking again keeps the first revocation time. 404 for unknown or foreign ids. */
export async function revokeApiKey(db: Db, params: { userId: string; id: string }) {
  const [row] = await db<KeyRow[]>`
    update public.api_keys
    set revoked_at = coalesce(revoked_at, now())
    where id = ${params.id} and user_id = ${params.userId}
    returning ${db(KEY_COLUMNS)}`;
  if (!row) throw notFoundError(API_KEY_NOT_FOUND);
  return toOutput(row);
}

export type VerifiedKey = {
  id: string;
  userId: string;
  email: string | null;
  keyPrefix: string;
  revoked: boolean;
  expired: boolean;
  /** The owner is banned or deleted in Supabase Auth. */
  suspended: boolean;
  lastUsedAt: Date | null;
};

type FoundKeyRow = {
  id: string;
  user_id: string;
  email: string | null;
  key_prefix: string;
  revoked: boolean;
  expired: boolean;
  suspended: boolean;
  last_used_at: Date | null;
};

/**
 * Looks a presented key up by its hash: one indexed query, which also brings the owner's
 * e-mail and whether Supabase Auth has banned or (soft-)deleted them. No cache, by design:
 * a revoked key must be refused on every instance from the moment the revocation commits.
 */
export async function findApiKey(db: Db, key: string): Promise<VerifiedKey | null> {
  const [row] = await db<FoundKeyRow[]>`
    select k.id, k.user_id, u.email, k.key_prefix, k.last_used_at,
           k.revoked_at is not null as revoked,
           coalesce(k.expires_at <= now(), false) as expired,
           (u.deleted_at is not null or coalesce(u.banned_until > now(), false)) as suspended
    from public.api_keys k
    join auth.users u on u.id = k.user_id
    where k.key_hash = ${hashApiKey(key)}`;
  if (!row) return null;
  return {
    id: row.id,
    userId: row.user_id,
    email: row.email,
    keyPrefix: row.key_prefix,
    revoked: row.revoked,
    expired: row.expired,
    suspended: row.suspended,
    lastUsedAt: row.last_used_at,
  };
}

const LAST_USED_RESOLUTION_MS = 60_000;
// Which keys this process has recently marked as used, so a burst of requests with one
// key makes one write, not one per request, even before the first write is visible.
const recentlyTouched = new Map<string, number>();

/** Whether `last_used_at` is stale enough to write again (at most once a minute per key). */
export function needsTouch(key: VerifiedKey, now = Date.now()): boolean {
  if (key.lastUsedAt && now - key.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return false;
  const touched = recentlyTouched.get(key.id);
  return !(touched && now - touched < LAST_USED_RESOLUTION_MS);
}

/** Records use of a key. Meant to run after the response is sent (next/server `after`). */
export async function touchApiKey(db: Db, keyId: string, now = Date.now()) {
  recentlyTouched.set(keyId, now);
  if (recentlyTouched.size > 10_000) {
    for (const [id, at] of recentlyTouched) if (now - at >= LAST_USED_RESOLUTION_MS) recentlyTouched.delete(id);
  }
  await db`
    update public.api_keys set last_used_at = now()
    where id = ${keyId} and (last_used_at is null or last_used_at < now() - interval '1 minute')`;
}
