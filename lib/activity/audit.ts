import "server-only";

import { answerableRows } from "@/lib/answerable-rows";
import { auditEventOutput, type AuditEvent, type AuditEventType, type RevokedBy } from "@/lib/contract";
import type { Db } from "@/lib/db";
import { clipUserAgent } from "@/lib/http/user-agent";
import type postgres from "postgres";

import type { AuditActor } from "./audit-actor";

// The audit trail. One writer, recordAuditEvent, which takes the caller's transaction: the
// event commits with the change it records or not at all (no change without its event, no
// event without its change). The table is append-only (supabase/migrations/*_activity.sql).

/** A transaction: the `sql` of `db.begin(async (sql) => …)`. An event is never written outside one. */
export type Tx = postgres.TransactionSql;

type KeyRef = { id: string; keyPrefix: string };

export type AuditEventInput =
  | {
      type: "key.created";
      key: KeyRef;
      details: { name: string; scopes: string[]; expires_at: string | null; via?: "device_flow"; service_account_id?: string };
    }
  | { type: "key.minted_by_oidc"; key: KeyRef; details: Record<string, unknown> }
  | { type: "key.renamed"; key: KeyRef; details: { from: string; to: string } }
  | { type: "key.narrowed"; key: KeyRef; details: { from: string[]; to: string[] } }
  | { type: "key.revoked"; key: KeyRef; details: { by: RevokedBy } & Record<string, unknown> }
  | { type: "key.rolled"; key: KeyRef; details: { new_key_id: string; new_key_prefix: string } & Record<string, unknown> }
  | { type: "key.expiry_mail_sent"; key: KeyRef; details: { expires_at: string } & Record<string, unknown> }
  | { type: "auth.signed_in" | "auth.signed_out" | "mfa.enrolled" | "mfa.removed"; key?: undefined; details?: Record<string, unknown> }
  | {
      type:
        | "organization.created"
        | "organization.renamed"
        | "member.invited"
        | "member.invitation_revoked"
        | "member.joined"
        | "member.removed"
        | "member.left"
        | "member.role_changed"
        | "policy.changed"
        | "service_account.created"
        | "service_account.deleted"
        | "trust_policy.created"
        | "trust_policy.changed"
        | "trust_policy.deleted";
      key?: undefined;
      details: Record<string, unknown>;
    }
  | {
      type: "cli_login.approved" | "cli_login.denied";
      key?: undefined;
      details: { hostname: string; os: string; version: string; scopes: string[]; session_id: string | null };
    };

/**
 * Writes one audit event in `tx` — the transaction of the change it records. Every caller
 * passes its own transaction; a failed change rolls the event back with it. Each event is in
 * one organization's trail (`organizationId` null: the personal workspace of `userId`, for
 * what concerns the account itself: sign-ins, two-factor, the CLI's logins); `userId` is the
 * person it concerns (null for a service account's key).
 */
export async function recordAuditEvent(
  tx: Tx,
  event: AuditEventInput & { organizationId: string | null; userId: string | null; actor: AuditActor },
): Promise<void> {
  const { actor } = event;
  const actorKeyId = actor.type === "api_key" ? actor.keyId : null;
  const actorKeyPrefix = actor.type === "api_key" ? actor.keyPrefix : null;
  await tx`
    insert into public.audit_events (organization_id, user_id, type, actor_type, actor_key_id, actor_key_prefix, ip, user_agent, key_id, key_prefix, details)
    values (coalesce(${event.organizationId}::uuid, (select o.id from public.organizations o where o.personal_for = ${event.userId})),
            ${event.userId}, ${event.type}, ${actor.type}, ${actorKeyId}, ${actorKeyPrefix}, ${actor.ip?.slice(0, 100) ?? null},
            ${clipUserAgent(actor.userAgent)}, ${event.key?.id ?? null}, ${event.key?.keyPrefix ?? null}, ${tx.json((event.details ?? {}) as postgres.JSONValue)})`;
}

type EventRow = {
  id: string;
  type: AuditEventType;
  occurred_at: Date;
  actor_type: AuditActor["type"];
  actor_key_id: string | null;
  actor_key_prefix: string | null;
  ip: string | null;
  user_agent: string | null;
  key_id: string | null;
  key_prefix: string | null;
  details: Record<string, unknown>;
  total: number;
};

function toOutput(row: EventRow): AuditEvent {
  return auditEventOutput.parse({
    id: row.id,
    type: row.type,
    occurred_at: row.occurred_at.toISOString(),
    actor: {
      type: row.actor_type,
      key: row.actor_key_id && row.actor_key_prefix ? { id: row.actor_key_id, key_prefix: row.actor_key_prefix } : null,
    },
    ip: row.ip,
    user_agent: row.user_agent,
    key: row.key_id && row.key_prefix ? { id: row.key_id, key_prefix: row.key_prefix } : null,
    details: row.details,
  } satisfies AuditEvent);
}

export type AuditEventFilter = { keyId?: string; since?: string; until?: string };

/** One page of the organization's events, newest first; another organization's key id simply matches nothing. */
export async function listAuditEvents(
  db: Db,
  params: { organizationId: string; page: number; perPage: number; requestId?: string } & AuditEventFilter,
): Promise<{ items: AuditEvent[]; total: number }> {
  const offset = (params.page - 1) * params.perPage;
  // `::text` first: typed timestamptz, the driver would send new Date(value).toISOString(),
  // which JavaScript writes as "+010000-…" for an instant past 9999 (a date the contract
  // accepts, 9999-12-31T23:00:00-14:00) and Postgres cannot read; as text, Postgres parses
  // what the client sent.
  const where = db`
    organization_id = ${params.organizationId}
    ${params.keyId ? db`and key_id = ${params.keyId}` : db``}
    ${params.since ? db`and occurred_at >= ${params.since}::text::timestamptz` : db``}
    ${params.until ? db`and occurred_at < ${params.until}::text::timestamptz` : db``}`;
  const rows = await db<EventRow[]>`
    select id, type, occurred_at, actor_type, actor_key_id, actor_key_prefix, ip, user_agent, key_id, key_prefix, details,
           count(*) over ()::int as total
    from public.audit_events
    where ${where}
    order by occurred_at desc, id desc
    limit ${params.perPage} offset ${offset}`;
  // A row the output cannot describe is left out and logged, never a 500 for the whole log.
  if (rows[0] || offset === 0) return { items: answerableRows(rows, toOutput, "audit event", params.requestId), total: rows[0]?.total ?? 0 };
  const [count] = await db<{ total: number }[]>`select count(*)::int as total from public.audit_events where ${where}`;
  return { items: [], total: count?.total ?? 0 };
}
