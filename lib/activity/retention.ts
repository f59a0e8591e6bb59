import "server-only";

import type { Db } from "@/lib/db";

// How long activity is kept. The lifecycle's cron job (GET /api/cron/key-expiry) calls
// pruneActivity once a run; tests call it with an injected `now`.

/** Usage per key per hour: 90 days (the API and the dashboard look back 90 days at most). */
export const USAGE_RETENTION_DAYS = 90;
/**
 * Audit events: 400 days — a year and a month, so that a yearly review (or a question about
 * a key made a year ago) still finds the whole year.
 */
export const AUDIT_RETENTION_DAYS = 400;

const DAY_MS = 86_400_000;

/**
 * Deletes usage rows whose hour began more than 90 days before `now`, and audit events
 * that occurred more than 400 days before it — through public.prune_activity, the only path
 * by which an audit event can be deleted (the table is append-only otherwise).
 */
export async function pruneActivity(db: Db, now: Date = new Date()): Promise<{ usageDeleted: number; eventsDeleted: number }> {
  const usageBefore = new Date(now.getTime() - USAGE_RETENTION_DAYS * DAY_MS);
  const eventsBefore = new Date(now.getTime() - AUDIT_RETENTION_DAYS * DAY_MS);
  const [row] = await db.begin((tx) => tx<{ usage_deleted: string; events_deleted: string }[]>`
    select usage_deleted, events_deleted from public.prune_activity(${usageBefore}, ${eventsBefore})`);
  return { usageDeleted: Number(row?.usage_deleted ?? 0), eventsDeleted: Number(row?.events_deleted ?? 0) };
}
