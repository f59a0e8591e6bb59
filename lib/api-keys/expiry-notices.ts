import "server-only";

import { recordAuditEvent } from "@/lib/activity/audit";
import { systemActor } from "@/lib/activity/audit-actor";
import type { Db } from "@/lib/db";
import { env } from "@/lib/env";
import { sendMail } from "@/lib/mail/mailer";

// Mail to a key's owner 7 days and 1 day before it expires, once each, never twice: the
// scheduled job (GET /api/cron/key-expiry). Each warning is recorded in
// internal.key_expiry_notices in the transaction that sends it — the row and its audit
// event (key.expiry_mail_sent) are inserted, the mail sent, then the transaction commits — so a send that fails rolls the record back and
// the next run tries again, and a second run (or a concurrent one, which waits on the
// row's lock) finds the record and sends nothing. Only live keys: not revoked, not rolled
// (a rolled key's expiry is its grace window, which its owner chose).

const DAY_MS = 86_400_000;
/** The two warnings: the 7-day one for a key with more than a day left, the 1-day one after. */
const NOTICES = [
  { notice: "7d", from: "1 day", to: "7 days" },
  { notice: "1d", from: "0 seconds", to: "1 day" },
] as const;
/** Keys handled per run and warning: a backlog is worked off over the next runs. */
const BATCH = 500;

type Due = { id: string; organization_id: string; user_id: string; name: string; key_prefix: string; expires_at: Date; email: string };

export type ExpiryRun = { sent: number; failed: number };

export async function sendExpiryNotices(db: Db, now = new Date()): Promise<ExpiryRun> {
  const run: ExpiryRun = { sent: 0, failed: 0 };
  for (const { notice, from, to } of NOTICES) {
    const due = await db<Due[]>`
      select k.id, k.organization_id, k.user_id, k.name, k.key_prefix, k.expires_at, u.email
      from public.api_keys k join auth.users u on u.id = k.user_id
      where k.revoked_at is null and k.replaced_by is null and k.expires_at is not null
        and k.expires_at > ${now}::timestamptz + ${from}::interval and k.expires_at <= ${now}::timestamptz + ${to}::interval
        and u.email is not null and u.deleted_at is null
        and not exists (select 1 from internal.key_expiry_notices n where n.key_id = k.id and n.notice = ${notice} and n.expires_at = k.expires_at)
      order by k.expires_at
      limit ${BATCH}`;
    for (const key of due) {
      try {
        const sent = await db.begin(async (tx) => {
          // Another run got here first: its row (committed, or awaited under its lock) wins.
          const [claimed] = await tx`
            insert into internal.key_expiry_notices (key_id, notice, expires_at) values (${key.id}, ${notice}, ${key.expires_at})
            on conflict do nothing returning key_id`;
          if (!claimed) return false;
          await recordAuditEvent(tx, {
            type: "key.expiry_mail_sent",
            organizationId: key.organization_id,
            userId: key.user_id,
            actor: systemActor(),
            key: { id: key.id, keyPrefix: key.key_prefix },
            details: { expires_at: key.expires_at.toISOString(), notice: notice },
          });
          await sendMail(expiryMail(key, now));
          return true;
        });
        if (sent) run.sent++;
      } catch (error) {
        run.failed++;
        console.error(`[cron] expiry warning for key ${key.id} not sent (retried next run):`, (error as Error).message);
      }
    }
  }
  return run;
}

/** "in 6 days", "in 20 hours": what is left, rounded down, never "in 0 days". */
export function timeLeft(expiresAt: Date, now: Date): string {
  const ms = expiresAt.getTime() - now.getTime();
  if (ms >= DAY_MS) {
    const days = Math.floor(ms / DAY_MS);
    return `in ${days} day${days === 1 ? "" : "s"}`;
  }
  const hours = Math.max(1, Math.floor(ms / 3_600_000));
  return `in ${hours} hour${hours === 1 ? "" : "s"}`;
}

function expiryMail(key: Due, now: Date) {
  const left = timeLeft(key.expires_at, now);
  return {
    to: key.email,
    subject: `Your API key “${key.name}” expires ${left}`,
    text:
      `Your Tuned Tensor API key “${key.name}” (${key.key_prefix}…) expires ${left}, at ${key.expires_at.toISOString()}.\n` +
      `After that, requests that use it are refused.\n\n` +
      `Roll it to get a replacement without downtime — the old key keeps working for the grace window you choose:\n` +
      `  ${env.APP_URL}/settings/api-keys\n`,
  };
}
