import { z } from "zod";

// Before any schema: no eval in the browser (the CSP forbids it; ./jitless.ts).
import "./jitless.ts";
import { paginationQuery } from "./common.ts";
import { EARLIEST_DAY, isoDateTime, LATEST_DAY } from "./dates.ts";

// Activity: the audit trail (every key event, sign-ins and two-factor changes, and what
// happens to an organization: its members, invitations, service accounts and policies) and
// each key's usage per hour. The event types are the whole list the platform records; the
// database keeps the same list in a CHECK (last set in
// supabase/migrations/20261208000300_trust_policies.sql), which a test compares with this one.

export const AUDIT_EVENT_TYPES = [
  "key.created",
  "key.rolled",
  "key.narrowed",
  "key.renamed",
  "key.revoked",
  "key.expiry_mail_sent",
  "auth.signed_in",
  "auth.signed_out",
  "mfa.enrolled",
  "mfa.removed",
  "cli_login.approved",
  "cli_login.denied",
  "organization.created",
  "organization.renamed",
  "member.invited",
  "member.invitation_revoked",
  "member.joined",
  "member.removed",
  "member.left",
  "member.role_changed",
  "policy.changed",
  "service_account.created",
  "service_account.deleted",
  "trust_policy.created",
  "trust_policy.changed",
  "trust_policy.deleted",
  "key.minted_by_oidc",
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/**
 * Who revoked a key: its owner (a session), a key (which one is the actor), a leak report, a
 * public revocation, or the end of its holder's membership (removed, or left the organization).
 */
export const REVOKED_BY = ["owner", "key", "leak_report", "public_revocation", "membership_ended"] as const;
export type RevokedBy = (typeof REVOKED_BY)[number];

/** For people: the dashboard's and the CLI's words for each event. */
export const AUDIT_EVENT_LABELS: Record<AuditEventType, string> = {
  "key.created": "Key created",
  "key.rolled": "Key rolled",
  "key.narrowed": "Key narrowed",
  "key.renamed": "Key renamed",
  "key.revoked": "Key revoked",
  "key.expiry_mail_sent": "Expiry mail sent",
  "auth.signed_in": "Signed in",
  "auth.signed_out": "Signed out",
  "mfa.enrolled": "Two-factor enrolled",
  "mfa.removed": "Two-factor removed",
  "cli_login.approved": "CLI login approved",
  "cli_login.denied": "CLI login denied",
  "organization.created": "Organization created",
  "organization.renamed": "Organization renamed",
  "member.invited": "Member invited",
  "member.invitation_revoked": "Invitation revoked",
  "member.joined": "Member joined",
  "member.removed": "Member removed",
  "member.left": "Member left",
  "member.role_changed": "Member's role changed",
  "policy.changed": "Policy changed",
  "service_account.created": "Service account created",
  "service_account.deleted": "Service account deleted",
  "trust_policy.created": "Trust policy created",
  "trust_policy.changed": "Trust policy changed",
  "trust_policy.deleted": "Trust policy deleted",
  "key.minted_by_oidc": "Key minted for a CI run",
};

const timestamp = z.iso.datetime({ offset: true });
const keyRef = z.object({ id: z.uuid(), key_prefix: z.string() });

export const auditEventOutput = z.object({
  id: z.uuid(),
  type: z.enum(AUDIT_EVENT_TYPES),
  occurred_at: timestamp,
  actor: z
    .object({
      type: z
        .enum(["session", "api_key", "system", "cli_login"])
        .describe("The user with their session, one of their keys, the platform itself, or `tt auth login` collecting the key a session approved"),
      key: keyRef.nullable().describe("The key that did it, when the actor is a key"),
    })
    .describe("Who did it"),
  ip: z.string().nullable().describe("The client's address, when the event came from a request"),
  user_agent: z.string().nullable(),
  key: keyRef.nullable().describe("The key the event is about"),
  details: z.record(z.string(), z.unknown()).describe("What changed, e.g. {from, to} for a rename, {by} for a revocation"),
});
export type AuditEvent = z.output<typeof auditEventOutput>;

const isoQuery = (name: string) =>
  isoDateTime(`${name} must be an ISO 8601 date-time with a time zone, e.g. 2026-11-30T00:00:00Z`).describe(
    `An ISO 8601 date-time with a time zone (an offset within ±14:00), on a day from ${EARLIEST_DAY} to ${LATEST_DAY}`,
  );

/** `?key_id=…&since=…&until=…` and the pagination. `since` inclusive, `until` exclusive. */
export const auditEventsQuery = paginationQuery.extend({
  key_id: z.guid({ message: "key_id must be a UUID" }).optional(),
  since: isoQuery("since").optional(),
  until: isoQuery("until").optional(),
});

/** `?days=30&granularity=day|hour`. */
export const keyUsageQuery = z.object({
  days: z
    .string()
    .regex(/^\d{1,2}$/, { message: "days must be a whole number" })
    .transform(Number)
    .pipe(z.number().int().min(1, { message: "days must be at least 1" }).max(90, { message: "days must be at most 90" }))
    .optional()
    .default(30),
  granularity: z.enum(["day", "hour"], { message: "granularity must be day or hour" }).optional().default("day"),
});

const count = z.int().min(0);
export const usageCounts = z.object({
  success: count.describe("2xx answers"),
  client_error: count.describe("4xx answers other than the key's own refusals"),
  server_error: count.describe("5xx answers"),
  refused: count.describe("401/403: the key itself was refused (revoked, expired, missing the scope, …)"),
});
export type UsageCounts = z.output<typeof usageCounts>;

export const keyUsageOutput = z.object({
  key: keyRef,
  days: z.int().min(1).max(90),
  granularity: z.enum(["day", "hour"]),
  buckets: z
    .array(usageCounts.extend({ start: timestamp.describe("The start of the day or hour (UTC)") }))
    .describe("Every day (or hour) of the window, oldest first, empty ones included"),
  totals: usageCounts,
  last_seen_at: timestamp.nullable().describe("The last request counted, as of the last flush (once a minute per instance)"),
  last_ip: z.string().nullable(),
  last_user_agent: z.string().nullable(),
});
export type KeyUsage = z.output<typeof keyUsageOutput>;
