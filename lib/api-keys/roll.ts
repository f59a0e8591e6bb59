import "server-only";

import type { Db } from "@/lib/db";
import { MAX_KEY_LIFETIME_YEARS, rolledApiKeyOutput, type RollApiKeyInput } from "@/lib/contract";
import { recordAuditEvent } from "@/lib/activity/audit";
import type { AuditActor } from "@/lib/activity/audit-actor";
import { conflictError, forbiddenError, notFoundError } from "@/lib/domain-errors";
import { env } from "@/lib/env";

import { generateApiKey, keyPrefix } from "./key-format";
import { hashApiKey } from "./key-hash";
import { API_KEY_NOT_FOUND, KEY_COLUMNS, reachedBy, toOutput, type KeyReach, type KeyRow } from "./service";
import { settleKeyChange } from "./settle-key-change";

// Rolling a key: a new key now, the old one until its grace window ends. One function, one
// transaction, so the place where a key changes is easy to find (an audit event joins this
// transaction later).

type Current = KeyRow & { expired: boolean };

/**
 * Rolls the caller's key `id`: inserts its successor (same name, scopes and usage limits — its
 * own counters, so during the grace window each key has its limits; an expiry as
 * long as the old key's original lifetime, none if it had none), brings the old key's
 * expiry forward to now + grace (or keeps its own, if earlier), and links the two. The old
 * row is locked first, so two rolls of one key cannot both succeed: the second finds it
 * rolled (409). Revoked, expired or already rolled → 409 `conflict`; unknown or foreign → 404.
 */
export async function rollApiKey(db: Db, params: { reach: KeyReach; rollerId: string | null; id: string; actor: AuditActor } & RollApiKeyInput) {
  const key = generateApiKey();
  const result = await db.begin(async (tx) => {
    const [old] = await tx<Current[]>`
      select ${tx(KEY_COLUMNS)}, coalesce(expires_at <= now(), false) as expired
      from public.api_keys where id = ${params.id} and ${reachedBy(tx, params.reach)}
      for update`;
    if (!old) throw notFoundError(API_KEY_NOT_FOUND);
    // A roll mints a key that acts as the old one's holder: only that member mints one of
    // theirs (an admin revokes another member's key, never mints one as them).
    if (old.user_id !== null && old.user_id !== params.rollerId) throw forbiddenError("Only its member can roll a member's key; you can revoke it");
    if (old.revoked_at) throw conflictError("This API key is revoked; a revoked key cannot be rolled. Create a new key instead");
    if (old.replaced_by) throw conflictError("This API key was already rolled; roll its replacement instead");
    if (old.expired) throw conflictError("This API key has expired; an expired key cannot be rolled. Create a new key instead");
    // The new key lives as long as the old one was meant to, counted from now — capped at
    // the horizon every expiry is held to (MAX_KEY_LIFETIME_YEARS from now, the same CHECK).
    const [created] = await tx<KeyRow[]>`
      insert into public.api_keys (organization_id, user_id, service_account_id, name, key_prefix, key_hash, expires_at, scopes, replaces,
                                   limits_own, limit_rate, limit_rate_per, limit_burst, limit_quota, limit_quota_per)
      values (${params.reach.organizationId}, ${old.user_id}, ${old.service_account_id}, ${old.name}, ${keyPrefix(key)}, ${hashApiKey(key)},
              case when ${old.expires_at}::timestamptz is null then null
                   else least(now() + (${old.expires_at}::timestamptz - ${old.created_at}::timestamptz),
                              now() + make_interval(years => ${MAX_KEY_LIFETIME_YEARS})) end,
              ${old.scopes}::text[], ${old.id},
              ${old.limits_own}, ${old.limit_rate}, ${old.limit_rate_per}, ${old.limit_burst}, ${old.limit_quota}, ${old.limit_quota_per})
      returning ${tx(KEY_COLUMNS)}`;
    // Grace 0 stops it now: `expires_at <= now()` is the expired test every request makes.
    const [previous] = await tx<KeyRow[]>`
      update public.api_keys
      set replaced_by = ${created!.id},
          expires_at = least(coalesce(expires_at, 'infinity'), now() + make_interval(secs => ${params.grace_seconds}))
      where id = ${old.id}
      returning ${tx(KEY_COLUMNS)}`;
    await recordAuditEvent(tx, {
      type: "key.rolled",
      organizationId: params.reach.organizationId,
      userId: old.user_id,
      actor: params.actor,
      key: { id: old.id, keyPrefix: old.key_prefix },
      details: { new_key_id: created!.id, new_key_prefix: created!.key_prefix, grace_seconds: params.grace_seconds },
    });
    // The answer is built before the commit: a row it cannot describe rolls the whole roll
    // back (a 500, nothing changed) instead of committing a key nobody was ever shown.
    const answer = rolledApiKeyOutput.parse({ ...toOutput(created!, params.reach.policy), key, previous: toOutput(previous!, params.reach.policy) });
    return { previous: previous!, answer };
  });
  // The old key's grace ends within T of the commit (grace 0 ends it now): wait T, so no
  // instance still holds its row from before the roll, whose expiry was later or none. A
  // longer grace needs no wait: every row read before the commit runs out before it ends.
  const graceEnds = result.previous.expires_at?.getTime() ?? Infinity;
  if (graceEnds - Date.now() < env.KEY_CACHE_TTL_MS) await settleKeyChange();
  // The one other place a full key leaves the server (besides creating one).
  return result.answer;
}
