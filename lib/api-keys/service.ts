import "server-only";

import type postgres from "postgres";

import { answerableRows } from "@/lib/answerable-rows";
import type { Db } from "@/lib/db";
import { outOfPolicy, type KeyHolding } from "@/lib/organizations/key-power";
import { toOrganizationContext, type OrganizationContext } from "@/lib/organizations/membership";

import { generateApiKey, keyPrefix } from "./key-format";
import { hashApiKey } from "./key-hash";
import { settleKeyChange } from "./settle-key-change";
import {
  apiKeyOutput,
  canonicalScopes,
  createdApiKeyOutput,
  SCOPES,
  type ApiKey,
  type MintedBy,
  type Role,
  type CreateApiKeyInput,
  type RevokedBy,
  type Scope,
  type UpdateApiKeyInput,
} from "@/lib/contract";
import { notFoundError, refusedChange } from "@/lib/domain-errors";
import { recordAuditEvent, type Tx } from "@/lib/activity/audit";
import type { AuditActor } from "@/lib/activity/audit-actor";

// Every query here takes the caller's reach (KeyReach) and filters by it: a key id alone
// never reaches a row (a key of another organization, another member's key without
// members:write, and an unknown key are the same 404).

/**
 * The keys a caller reaches in an organization: every key there (`holder` null: a role with
 * members:write), or only their own — a member's, or a service account's key its fellow keys.
 * And the organization's policy as it is now, which each key is described against.
 */
export type KeyReach = {
  organizationId: string;
  holder: { userId: string } | { serviceAccountId: string } | null;
  policy: { maxKeyLifetimeDays: number | null; memberKeyScopes: readonly Scope[] };
};

/** `organization_id = … [and user_id | service_account_id = …]`, for a query on public.api_keys. */
export const reachedBy = (sql: postgres.Sql | Tx, reach: KeyReach) => {
  const db = sql as postgres.Sql;
  const { holder } = reach;
  const whose = holder === null ? db`` : "userId" in holder ? db`and user_id = ${holder.userId}` : db`and service_account_id = ${holder.serviceAccountId}`;
  return db`organization_id = ${reach.organizationId} ${whose}`;
};

export const KEY_COLUMNS = [
  "id", "name", "key_prefix", "scopes", "scope_last_used", "created_at", "last_used_at", "expires_at", "revoked_at",
  "revoked_reason", "exposed_url", "replaced_by", "replaces", "user_id", "service_account_id", "minted_by",
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
  user_id: string | null;
  service_account_id: string | null;
  /** A key minted by token exchange (keyless CI): its trust policy and the CI run's claims. */
  minted_by: MintedBy | null;
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
export function toOutput(row: KeyRow, policy: KeyReach["policy"]): ApiKey {
  const { scope_last_used, user_id, service_account_id, ...fields } = row;
  const scopes = canonicalScopes(row.scopes);
  const serviceAccount = service_account_id !== null;
  return apiKeyOutput.parse({
    ...fields,
    holder: serviceAccount ? { type: "service_account", id: service_account_id } : { type: "member", id: user_id! },
    out_of_policy: outOfPolicy({ createdAt: row.created_at, expiresAt: row.expires_at, scopes, serviceAccount }, policy),
    scopes,
    scopes_used: scopesUsed(scope_last_used),
    created_at: row.created_at.toISOString(),
    last_used_at: iso(row.last_used_at),
    expires_at: iso(row.expires_at),
    revoked_at: iso(row.revoked_at),
    minted_by: row.minted_by ?? null,
  } satisfies ApiKey);
}

export const API_KEY_NOT_FOUND = "API key not found";

/** Who a new key acts as: a member (their user id) or a service account of the organization. */
export type KeyHolder = { userId: string } | { serviceAccountId: string };

export type NewKey = {
  organizationId: string;
  holder: KeyHolder;
  /** The scopes decided by grantKey (lib/organizations/key-power.ts). */
  scopes: readonly Scope[];
  actor: AuditActor;
  policy: KeyReach["policy"];
  via?: "device_flow";
  /** A key minted by token exchange (lib/oidc/exchange.ts): its trust policy and the CI run, recorded as key.minted_by_oidc. */
  mintedBy?: MintedBy;
} & Omit<CreateApiKeyInput, "scopes">;

export async function createApiKey(db: Db, params: NewKey) {
  // The key and its audit event commit together, or neither does; and the answer is built
  // before the commit, so a key the answer cannot describe is never stored unseen.
  // The one place the full key leaves the server; it is not stored or logged anywhere.
  return db.begin(async (tx) => {
    const { row, key } = await insertApiKey(tx, params);
    return createdApiKeyOutput.parse({ ...toOutput(row, params.policy), key });
  });
}

/**
 * Generates a key and inserts it with its `key.created` event, in the caller's transaction
 * (createApiKey; the CLI's device flow, which marks its event with `via`). Returns the row
 * and the full key, which the caller answers once and keeps nowhere.
 */
export async function insertApiKey(tx: Tx, params: NewKey): Promise<{ row: KeyRow; key: string }> {
  const key = generateApiKey();
  const scopes = canonicalScopes(params.scopes);
  const userId = "userId" in params.holder ? params.holder.userId : null;
  const serviceAccountId = "serviceAccountId" in params.holder ? params.holder.serviceAccountId : null;
  const mintedBy = params.mintedBy ?? null;
  const [created] = await tx<KeyRow[]>`
    insert into public.api_keys (organization_id, user_id, service_account_id, name, key_prefix, key_hash, expires_at, scopes, trust_policy_id, minted_by)
    values (${params.organizationId}, ${userId}, ${serviceAccountId}, ${params.name}, ${keyPrefix(key)}, ${hashApiKey(key)},
            ${params.expires_at ?? null}, ${scopes}::text[], ${mintedBy?.policy_id ?? null}, ${mintedBy ? tx.json(mintedBy) : null})
    returning ${tx(KEY_COLUMNS)}`;
  const details = {
    name: created!.name,
    scopes,
    expires_at: iso(created!.expires_at),
    ...(serviceAccountId ? { service_account_id: serviceAccountId } : {}),
    ...(params.via ? { via: params.via } : {}),
  };
  const keyRef = { id: created!.id, keyPrefix: created!.key_prefix };
  if (mintedBy) {
    await recordAuditEvent(tx, { type: "key.minted_by_oidc", organizationId: params.organizationId, userId, actor: params.actor, key: keyRef, details: { ...details, minted_by: mintedBy } });
  } else {
    await recordAuditEvent(tx, { type: "key.created", organizationId: params.organizationId, userId, actor: params.actor, key: keyRef, details });
  }
  return { row: created!, key };
}

/**
 * One page of the keys the caller reaches; a row the output cannot describe is left out and
 * logged (answerableRows), never a 500 for the whole list. `total` still counts it.
 */
export async function listApiKeys(db: Db, params: { reach: KeyReach; page: number; perPage: number; requestId?: string }) {
  const offset = (params.page - 1) * params.perPage;
  const where = reachedBy(db, params.reach);
  const rows = await db<(KeyRow & { total: number })[]>`
    select ${db(KEY_COLUMNS)}, count(*) over ()::int as total
    from public.api_keys
    where ${where}
    order by created_at desc, id desc
    limit ${params.perPage} offset ${offset}`;
  let total = rows[0]?.total ?? 0;
  if (!rows[0] && offset > 0) {
    const [count] = await db<{ total: number }[]>`select count(*)::int as total from public.api_keys where ${where}`;
    total = count?.total ?? 0;
  }
  return { items: answerableRows(rows, (row) => toOutput(row, params.reach.policy), "api key", params.requestId), total };
}

/** One key the caller reaches, for its page; 404 for unknown or unreachable ids. */
export async function getApiKey(db: Db, params: { reach: KeyReach; id: string }) {
  const [row] = await db<KeyRow[]>`select ${db(KEY_COLUMNS)} from public.api_keys where id = ${params.id} and ${reachedBy(db, params.reach)}`;
  if (!row) throw notFoundError(API_KEY_NOT_FOUND);
  return toOutput(row, params.reach.policy);
}

const holderUserId = (row: Pick<KeyRow, "user_id">) => row.user_id;

/**
 * Revokes now; revoking again keeps the first revocation time (and records no second
 * event). Answers T after the commit (settleKeyChange): from then on every instance refuses
 * the key. 404 for unknown or unreachable ids. `by`: "owner" for a session, "key" for a key
 * (the actor says which); the lifecycle's leak reports and public revocations pass theirs.
 */
export async function revokeApiKey(db: Db, params: { reach: KeyReach; id: string; actor: AuditActor; by?: RevokedBy }) {
  const by: RevokedBy = params.by ?? (params.actor.type === "api_key" ? "key" : "owner");
  const row = await db.begin(async (tx) => {
    const [revoked] = await tx<KeyRow[]>`
      update public.api_keys
      set revoked_at = now()
      where id = ${params.id} and ${reachedBy(tx, params.reach)} and revoked_at is null
      returning ${tx(KEY_COLUMNS)}`;
    if (revoked) {
      await recordAuditEvent(tx, {
        type: "key.revoked",
        organizationId: params.reach.organizationId,
        userId: holderUserId(revoked),
        actor: params.actor,
        key: { id: revoked.id, keyPrefix: revoked.key_prefix },
        details: { by },
      });
      return revoked;
    }
    const [already] = await tx<KeyRow[]>`select ${tx(KEY_COLUMNS)} from public.api_keys where id = ${params.id} and ${reachedBy(tx, params.reach)}`;
    if (!already) throw notFoundError(API_KEY_NOT_FOUND);
    return already;
  });
  // Committed; now T, so no instance still holds the key as it was. Revoking again waits
  // too: it may be answering while the first revocation is still in its wait.
  await settleKeyChange();
  return toOutput(row, params.reach.policy);
}

/**
 * Renames a key or narrows its scopes. Narrowing only: a scope the key does not have is a
 * validation error and nothing changes, not even the name sent with it. The row is locked
 * for the transaction, so a concurrent change cannot slip a widening through, and each
 * real change (a new name, fewer scopes) is recorded as its own event in the same
 * transaction. A revoked key is gone as far as changes go (404, as a deleted spec is): it
 * stays listed, and answered with 403, only so that it is recognised.
 */
export async function updateApiKey(db: Db, params: { reach: KeyReach; id: string; actor: AuditActor } & UpdateApiKeyInput) {
  const scopes = params.scopes ? canonicalScopes(params.scopes) : null;
  const row = await db.begin(async (tx) => {
    const [current] = await tx<KeyRow[]>`
      select ${tx(KEY_COLUMNS)} from public.api_keys where id = ${params.id} and ${reachedBy(tx, params.reach)} for update`;
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
      where id = ${params.id}
      returning ${tx(KEY_COLUMNS)}`;
    const key = { id: updated!.id, keyPrefix: updated!.key_prefix };
    const base = { organizationId: params.reach.organizationId, userId: holderUserId(updated!), actor: params.actor, key };
    if (updated!.name !== current.name) await recordAuditEvent(tx, { ...base, type: "key.renamed", details: { from: current.name, to: updated!.name } });
    const before = canonicalScopes(current.scopes);
    const after = canonicalScopes(updated!.scopes);
    if (after.length !== before.length) await recordAuditEvent(tx, { ...base, type: "key.narrowed", details: { from: before, to: after } });
    return updated!;
  });
  // Scopes sent (narrowed, or as they were while another change narrows them): T, so no
  // instance still lets the key use a scope it no longer has. A rename alone takes nothing away.
  if (scopes) await settleKeyChange();
  return toOutput(row, params.reach.policy);
}

export type VerifiedKey = {
  id: string;
  /** The member the key acts as; null for a service account's key. */
  userId: string | null;
  email: string | null;
  keyPrefix: string;
  revoked: boolean;
  /** Revoked because it was found exposed. */
  leaked: boolean;
  /** When it stops working, or null: compared with the clock on every request (keyExpired). */
  expiresAt: Date | null;
  /** Supabase Auth's `banned_until` for the member (keySuspended). */
  bannedUntil: Date | null;
  /** The member is (soft-)deleted in Supabase Auth. */
  ownerDeleted: boolean;
  /** As the lookup read it; the usage writer moves it forward in memory (lib/api-keys/usage.ts). */
  lastUsedAt: Date | null;
  /** What the key was given (its power now is effectiveKeyScopes of these and `holding`). */
  scopes: Scope[];
  scopesUsed: Scope[];
  scopeLastUsed: Partial<Record<Scope, string>>;
  /** The organization the key acts in, as the lookup read it. */
  organization: OrganizationContext;
  serviceAccount: { id: string; name: string } | null;
  /** The organization's side: the holder's role, the policy, two-factor (lib/organizations/key-power.ts). */
  holding: KeyHolding;
};

type FoundKeyRow = {
  id: string;
  user_id: string | null;
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
  org_id: string;
  org_slug: string;
  org_name: string;
  org_personal: boolean;
  require_two_factor: boolean;
  max_key_lifetime_days: number | null;
  key_creator_roles: string[];
  member_key_scopes: string[];
  role: Role | null;
  service_account_id: string | null;
  service_account_name: string | null;
  service_account_deleted: boolean;
  trust_policy_off: boolean;
  holder_has_two_factor: boolean;
};

/**
 * Looks a presented key up by its hash: one indexed query, which also brings the member's
 * e-mail, whether Supabase Auth has banned or (soft-)deleted them, the key's scopes (and what
 * it used them for), its organization with its policies, the holder's role there now (the
 * member's, or the service account's), whether the trust policy that minted it (keyless CI)
 * is still on — the kill switch — and, only when the organization requires it,
 * whether the member has a second factor. So checking a scope, a role or a policy costs no
 * query. Nothing in the answer depends on when it was read — expiry and bans are compared
 * with the clock by whoever uses it (keyExpired, keySuspended) — so an instance may reuse it
 * for the verification cache's short window (lib/api-keys/key-verifier.ts); every change that
 * takes power away (a member removed, a role lowered, a policy tightened) waits that window out.
 */
export async function findApiKeyByHash(db: Db, hash: Buffer): Promise<VerifiedKey | null> {
  const [row] = await db<FoundKeyRow[]>`
    select k.id, k.user_id, u.email, k.key_prefix, k.last_used_at, k.scopes, k.scope_last_used, k.expires_at,
           k.revoked_at is not null as revoked, k.revoked_reason = 'leaked' as leaked,
           u.banned_until, coalesce(u.deleted_at is not null, false) as owner_deleted,
           o.id as org_id, o.slug as org_slug, o.name as org_name, o.personal_for is not null as org_personal,
           o.require_two_factor, o.max_key_lifetime_days, o.key_creator_roles, o.member_key_scopes,
           case when k.service_account_id is null then m.role else sa.role end as role,
           sa.id as service_account_id, sa.name as service_account_name, coalesce(sa.deleted_at is not null, false) as service_account_deleted,
           k.trust_policy_id is not null and (tp.id is null or not tp.enabled or tp.deleted_at is not null) as trust_policy_off,
           case when o.require_two_factor and k.user_id is not null
                then exists (select 1 from auth.mfa_factors f where f.user_id = k.user_id and f.status = 'verified')
                else true end as holder_has_two_factor
    from public.api_keys k
    join public.organizations o on o.id = k.organization_id
    left join auth.users u on u.id = k.user_id
    left join public.organization_members m on m.organization_id = k.organization_id and m.user_id = k.user_id
    left join public.service_accounts sa on sa.id = k.service_account_id
    left join public.service_account_trust_policies tp on tp.id = k.trust_policy_id
    where k.key_hash = ${hash}`;
  if (!row) return null;
  const organization = toOrganizationContext({
    id: row.org_id,
    slug: row.org_slug,
    name: row.org_name,
    personal: row.org_personal,
    require_two_factor: row.require_two_factor,
    max_key_lifetime_days: row.max_key_lifetime_days,
    key_creator_roles: row.key_creator_roles,
    member_key_scopes: row.member_key_scopes,
  });
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
    organization,
    serviceAccount: row.service_account_id ? { id: row.service_account_id, name: row.service_account_name! } : null,
    holding: {
      role: row.role,
      serviceAccount: row.service_account_id !== null,
      serviceAccountDeleted: row.service_account_deleted,
      trustPolicyOff: row.trust_policy_off,
      memberKeyScopes: organization.memberKeyScopes,
      requireTwoFactor: organization.requireTwoFactor,
      holderHasTwoFactor: row.holder_has_two_factor,
    },
  };
}

/** Expired at `now` (ms since the epoch): `expires_at <= now`, as the database's own test reads. */
export const keyExpired = (key: Pick<VerifiedKey, "expiresAt">, now = Date.now()) => key.expiresAt !== null && key.expiresAt.getTime() <= now;

/** The member is banned (until a time still ahead) or deleted in Supabase Auth. */
export const keySuspended = (key: Pick<VerifiedKey, "bannedUntil" | "ownerDeleted">, now = Date.now()) =>
  key.ownerDeleted || (key.bannedUntil !== null && key.bannedUntil.getTime() > now);

/**
 * The live keys (not revoked, not rolled) the caller reaches that expire within `days` days:
 * the dashboard's banner. One indexed query.
 */
export async function expiringSoon(db: Db, params: { reach: KeyReach; days: number }): Promise<{ count: number; soonest: string | null }> {
  const [row] = await db<{ count: number; soonest: Date | null }[]>`
    select count(*)::int as count, min(expires_at) as soonest
    from public.api_keys
    where ${reachedBy(db, params.reach)} and revoked_at is null and replaced_by is null
      and expires_at > now() and expires_at <= now() + make_interval(days => ${params.days})`;
  return { count: row?.count ?? 0, soonest: row?.soonest ? row.soonest.toISOString() : null };
}
