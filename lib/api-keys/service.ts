import "server-only";

import { answerableRows } from "@/lib/answerable-rows";
import type { Db } from "@/lib/db";
import { ownedPage } from "@/lib/db-page";

import { generateApiKey, keyPrefix } from "./key-format";
import { hashApiKey } from "./key-hash";
import { settleKeyChange } from "./settle-key-change";
import {
  apiKeyOutput,
  canonicalScopes,
  createdApiKeyOutput,
  SCOPES,
  type ApiKey,
  type CreateApiKeyInput,
  type RevokedBy,
  type Scope,
  type UpdateApiKeyInput,
} from "@/lib/contract";
import { notFoundError, refusedChange } from "@/lib/domain-errors";
import { recordAuditEvent, type Tx } from "@/lib/activity/audit";
import type { AuditActor } from "@/lib/activity/audit-actor";

// Every query here takes the owner's id and filters by it: a key id alone never
// reaches a row (someone else's key and an unknown key are the same 404).

export const KEY_COLUMNS = [
  "id", "name", "key_prefix", "scopes", "scope_last_used", "created_at", "last_used_at", "expires_at", "revoked_at",
  "revoked_reason", "exposed_url", "replaced_by", "replaces",
] as const;
export type KeyRow = {
  id: string;
  name: string;
  key_prefix: string;
  scopes: string[];
  /** Each scope's last use (ISO 8601), written with last_used_at (lib/api-keys/usage.ts). */
  scope_last_used: Record<string, string>;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  revoked_reason: "leaked" | null;
  exposed_url: string | null;
  replaced_by: string | null;
  replaces: string | null;
};

/** How far back `scopes_used` looks. */
export const SCOPES_USED_WINDOW_MS = 30 * 86_400_000;

/** The scopes used in the last 30 days, in the contract's order. */
export function scopesUsed(scopeLastUsed: Record<string, string> | null, now = Date.now()): Scope[] {
  return SCOPES.filter((scope) => {
    const at = scopeLastUsed?.[scope];
    return at !== undefined && now - Date.parse(at) < SCOPES_USED_WINDOW_MS;
  });
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
// `satisfies ApiKey`: the row is mapped onto the contract's field names at compile time
// too, so renaming a field there breaks this file, not only the parse at run time.
export function toOutput(row: KeyRow): ApiKey {
  const { scope_last_used, ...fields } = row;
  return apiKeyOutput.parse({
    ...fields,
    scopes: canonicalScopes(row.scopes),
    scopes_used: scopesUsed(scope_last_used),
    created_at: row.created_at.toISOString(),
    last_used_at: iso(row.last_used_at),
    expires_at: iso(row.expires_at),
    revoked_at: iso(row.revoked_at),
  } satisfies ApiKey);
}

export const API_KEY_NOT_FOUND = "API key not found";

export async function createApiKey(db: Db, params: { userId: string; actor: AuditActor } & CreateApiKeyInput) {
  // The key and its audit event commit together, or neither does; and the answer is built
  // before the commit, so a key the answer cannot describe is never stored unseen.
  // The one place the full key leaves the server; it is not stored or logged anywhere.
  return db.begin(async (tx) => {
    const { row, key } = await insertApiKey(tx, params);
    return createdApiKeyOutput.parse({ ...toOutput(row), key });
  });
}

/**
 * Generates a key and inserts it with its `key.created` event, in the caller's transaction
 * (createApiKey; the CLI's device flow, which marks its event with `via`). Returns the row
 * and the full key, which the caller answers once and keeps nowhere.
 */
export async function insertApiKey(
  tx: Tx,
  params: { userId: string; actor: AuditActor; via?: "device_flow" } & CreateApiKeyInput,
): Promise<{ row: KeyRow; key: string }> {
  const key = generateApiKey();
  // No scopes given: every scope. Stored in the contract's order, each once.
  const scopes = canonicalScopes(params.scopes ?? SCOPES);
  const [created] = await tx<KeyRow[]>`
    insert into public.api_keys (user_id, name, key_prefix, key_hash, expires_at, scopes)
    values (${params.userId}, ${params.name}, ${keyPrefix(key)}, ${hashApiKey(key)}, ${params.expires_at ?? null}, ${scopes}::text[])
    returning ${tx(KEY_COLUMNS)}`;
  await recordAuditEvent(tx, {
    type: "key.created",
    userId: params.userId,
    actor: params.actor,
    key: { id: created!.id, keyPrefix: created!.key_prefix },
    details: { name: created!.name, scopes, expires_at: iso(created!.expires_at), ...(params.via ? { via: params.via } : {}) },
  });
  return { row: created!, key };
}

/**
 * One page of the owner's keys; a row the output cannot describe is left out and logged
 * (answerableRows), never a 500 for the whole list. `total` still counts it.
 */
export async function listApiKeys(db: Db, params: { userId: string; page: number; perPage: number; requestId?: string }) {
  const { rows, total } = await ownedPage<KeyRow>(db, { table: "api_keys", columns: KEY_COLUMNS, ...params });
  return { items: answerableRows(rows, toOutput, "api key", params.requestId), total };
}

/** One of the owner's keys, for its page; 404 for unknown or foreign ids. */
export async function getApiKey(db: Db, params: { userId: string; id: string }) {
  const [row] = await db<KeyRow[]>`select ${db(KEY_COLUMNS)} from public.api_keys where id = ${params.id} and user_id = ${params.userId}`;
  if (!row) throw notFoundError(API_KEY_NOT_FOUND);
  return toOutput(row);
}

/**
 * Revokes now; revoking again keeps the first revocation time (and records no second
 * event). Answers T after the commit (settleKeyChange): from then on every instance refuses
 * the key. 404 for unknown or foreign ids. `by`: "owner" for a session, "key" for a key
 * (the actor says which); the lifecycle's leak reports and public revocations pass theirs.
 */
export async function revokeApiKey(db: Db, params: { userId: string; id: string; actor: AuditActor; by?: RevokedBy }) {
  const by: RevokedBy = params.by ?? (params.actor.type === "api_key" ? "key" : "owner");
  const row = await db.begin(async (tx) => {
    const [revoked] = await tx<KeyRow[]>`
      update public.api_keys
      set revoked_at = now()
      where id = ${params.id} and user_id = ${params.userId} and revoked_at is null
      returning ${tx(KEY_COLUMNS)}`;
    if (revoked) {
      await recordAuditEvent(tx, { type: "key.revoked", userId: params.userId, actor: params.actor, key: { id: revoked.id, keyPrefix: revoked.key_prefix }, details: { by } });
      return revoked;
    }
    const [already] = await tx<KeyRow[]>`select ${tx(KEY_COLUMNS)} from public.api_keys where id = ${params.id} and user_id = ${params.userId}`;
    if (!already) throw notFoundError(API_KEY_NOT_FOUND);
    return already;
  });
  // Committed; now T, so no instance still holds the key as it was. Revoking again waits
  // too: it may be answering while the first revocation is still in its wait.
  await settleKeyChange();
  return toOutput(row);
}

/**
 * Renames a key or narrows its scopes. Narrowing only: a scope the key does not have is a
 * validation error and nothing changes, not even the name sent with it. The row is locked
 * for the transaction, so a concurrent change cannot slip a widening through, and each
 * real change (a new name, fewer scopes) is recorded as its own event in the same
 * transaction. A revoked key is gone as far as changes go (404, as a deleted spec is): it
 * stays listed, and answered with 403, only so that it is recognised.
 */
export async function updateApiKey(db: Db, params: { userId: string; id: string; actor: AuditActor } & UpdateApiKeyInput) {
  const scopes = params.scopes ? canonicalScopes(params.scopes) : null;
  const row = await db.begin(async (tx) => {
    const [current] = await tx<KeyRow[]>`
      select ${tx(KEY_COLUMNS)} from public.api_keys where id = ${params.id} and user_id = ${params.userId} for update`;
    if (!current) throw notFoundError(API_KEY_NOT_FOUND);
    if (current.revoked_at) throw notFoundError("API key not found: it was revoked, and a revoked key cannot be changed");
    const missing = (scopes ?? []).filter((scope) => !current.scopes.includes(scope));
    if (missing.length > 0) {
      const list = missing.join(", ");
      throw refusedChange(`Scopes can only be narrowed: this key does not have ${list}`, [
        { path: "scopes", message: `can only be narrowed; the key does not have ${list}` },
      ]);
    }
    const [updated] = await tx<KeyRow[]>`
      update public.api_keys
      set name = coalesce(${params.name ?? null}::text, name),
          scopes = coalesce(${scopes}::text[], scopes)
      where id = ${params.id} and user_id = ${params.userId}
      returning ${tx(KEY_COLUMNS)}`;
    const key = { id: updated!.id, keyPrefix: updated!.key_prefix };
    const base = { userId: params.userId, actor: params.actor, key };
    if (updated!.name !== current.name) await recordAuditEvent(tx, { ...base, type: "key.renamed", details: { from: current.name, to: updated!.name } });
    const before = canonicalScopes(current.scopes);
    const after = canonicalScopes(updated!.scopes);
    if (after.length !== before.length) await recordAuditEvent(tx, { ...base, type: "key.narrowed", details: { from: before, to: after } });
    return updated!;
  });
  // Scopes sent (narrowed, or as they were while another change narrows them): T, so no
  // instance still lets the key use a scope it no longer has. A rename alone takes nothing away.
  if (scopes) await settleKeyChange();
  return toOutput(row);
}

export type VerifiedKey = {
  id: string;
  userId: string;
  email: string | null;
  keyPrefix: string;
  revoked: boolean;
  /** Revoked because it was found exposed. */
  leaked: boolean;
  /** When it stops working, or null: compared with the clock on every request (keyExpired). */
  expiresAt: Date | null;
  /** Supabase Auth's `banned_until` for the owner (keySuspended). */
  bannedUntil: Date | null;
  /** The owner is (soft-)deleted in Supabase Auth. */
  ownerDeleted: boolean;
  /** As the lookup read it; the usage writer moves it forward in memory (lib/api-keys/usage.ts). */
  lastUsedAt: Date | null;
  /** What the key may do. */
  scopes: Scope[];
  scopesUsed: Scope[];
  scopeLastUsed: Partial<Record<Scope, string>>;
};

type FoundKeyRow = {
  id: string;
  user_id: string;
  email: string | null;
  key_prefix: string;
  revoked: boolean;
  leaked: boolean;
  expires_at: Date | null;
  banned_until: Date | null;
  owner_deleted: boolean;
  last_used_at: Date | null;
  scopes: string[];
  scope_last_used: Record<string, string> | null;
};

/**
 * Looks a presented key up by its hash: one indexed query, which also brings the owner's
 * e-mail, whether Supabase Auth has banned or (soft-)deleted them, and the key's scopes
 * (and what it used them for), so checking a scope costs no query. Nothing in the answer
 * depends on when it was read — expiry and bans are compared with the clock by whoever
 * uses it (keyExpired, keySuspended) — so an instance may reuse it for the verification
 * cache's short window (lib/api-keys/key-verifier.ts).
 */
export async function findApiKeyByHash(db: Db, hash: Buffer): Promise<VerifiedKey | null> {
  const [row] = await db<FoundKeyRow[]>`
    select k.id, k.user_id, u.email, k.key_prefix, k.last_used_at, k.scopes, k.scope_last_used, k.expires_at,
           k.revoked_at is not null as revoked, k.revoked_reason = 'leaked' as leaked,
           u.banned_until, u.deleted_at is not null as owner_deleted
    from public.api_keys k
    join auth.users u on u.id = k.user_id
    where k.key_hash = ${hash}`;
  if (!row) return null;
  return {
    id: row.id,
    userId: row.user_id,
    email: row.email,
    keyPrefix: row.key_prefix,
    revoked: row.revoked,
    leaked: row.leaked === true,
    expiresAt: row.expires_at,
    bannedUntil: row.banned_until,
    ownerDeleted: row.owner_deleted,
    lastUsedAt: row.last_used_at,
    scopes: canonicalScopes(row.scopes),
    scopesUsed: scopesUsed(row.scope_last_used),
    scopeLastUsed: row.scope_last_used ?? {},
  };
}

/** Expired at `now` (ms since the epoch): `expires_at <= now`, as the database's own test reads. */
export const keyExpired = (key: Pick<VerifiedKey, "expiresAt">, now = Date.now()) => key.expiresAt !== null && key.expiresAt.getTime() <= now;

/** The owner is banned (until a time still ahead) or deleted in Supabase Auth. */
export const keySuspended = (key: Pick<VerifiedKey, "bannedUntil" | "ownerDeleted">, now = Date.now()) =>
  key.ownerDeleted || (key.bannedUntil !== null && key.bannedUntil.getTime() > now);

/**
 * The owner's live keys (not revoked, not rolled) that expire within `days` days: the
 * dashboard's banner. One indexed query (api_keys_live_expiry_idx).
 */
export async function expiringSoon(db: Db, params: { userId: string; days: number }): Promise<{ count: number; soonest: string | null }> {
  const [row] = await db<{ count: number; soonest: Date | null }[]>`
    select count(*)::int as count, min(expires_at) as soonest
    from public.api_keys
    where user_id = ${params.userId} and revoked_at is null and replaced_by is null
      and expires_at > now() and expires_at <= now() + make_interval(days => ${params.days})`;
  return { count: row?.count ?? 0, soonest: row?.soonest ? row.soonest.toISOString() : null };
}
