import "server-only";

import { recordAuditEvent, type Tx } from "@/lib/activity/audit";
import type { AuditActor } from "@/lib/activity/audit-actor";
import type { RevokedBy } from "@/lib/contract";

/** Whose keys: a member's (the events name them) or a service account's (the events name no person). */
export type KeyHolder = { userId: string } | { serviceAccountId: string };

/**
 * Revokes every live key `holder` holds in the organization, each with its key.revoked event,
 * in the caller's transaction — the one that takes the holder's power away, so the keys and
 * the power go together. Returns how many were revoked.
 */
export async function revokeHeldKeys(
  tx: Tx,
  params: { organizationId: string; holder: KeyHolder; actor: AuditActor; details: { by: RevokedBy } & Record<string, unknown> },
): Promise<number> {
  const { holder } = params;
  const held = "userId" in holder ? tx`user_id = ${holder.userId}` : tx`service_account_id = ${holder.serviceAccountId}`;
  const revoked = await tx<{ id: string; key_prefix: string }[]>`
    update public.api_keys set revoked_at = now()
    where ${held} and organization_id = ${params.organizationId} and revoked_at is null
    returning id, key_prefix`;
  for (const key of revoked) {
    await recordAuditEvent(tx, {
      type: "key.revoked",
      organizationId: params.organizationId,
      userId: "userId" in holder ? holder.userId : null,
      actor: params.actor,
      key: { id: key.id, keyPrefix: key.key_prefix },
      details: params.details,
    });
  }
  return revoked.length;
}
