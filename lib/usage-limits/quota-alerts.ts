import "server-only";

import { recordAuditEvent, type Tx } from "@/lib/activity/audit";
import { systemActor } from "@/lib/activity/audit-actor";
import type { Db } from "@/lib/db";
import { env } from "@/lib/env";
import { sendMail, type Mail } from "@/lib/mail/mailer";

// A quota passing 80 % and reaching 100 % of its limit: an audit event (quota.warning,
// quota.exhausted) and a mail. Whom: a member's key is its holder's business (they made it
// and can change its limits); a service account's key, or the service account's own quota,
// belongs to the organization, so its owners and admins hear of it. The lease statement
// reports that a window passed a threshold while the window's flag for it is unset; this file
// sets the flag and writes the event in one transaction (onQuotaCrossing), so the event is
// recorded once per window and never lost to a crash between the two. The mails go after the
// event commits, each on its own: a refused address costs that mail, not the others nor the
// event (the flag is set, so nothing would send it again anyway).

export type QuotaCrossing = {
  subject: "key" | "service_account";
  subjectId: string;
  organizationId: string;
  threshold: 80 | 100;
  limit: number;
  per: "day" | "month";
  windowStart: Date;
  windowEnd: Date;
};

/** What the crossing is about, as read from the database: the key or the service account, and the organization. */
export type QuotaTarget = {
  organizationName: string;
  personal: boolean;
  key: { id: string; name: string; keyPrefix: string; userId: string | null } | null;
  serviceAccount: { id: string; name: string } | null;
};

/** Who is mailed: the key's holder (a member's key), else the organization's owners and admins. Pure. */
export function recipientsOf(target: Pick<QuotaTarget, "key">): "holder" | "admins" {
  return target.key?.userId ? "holder" : "admins";
}

const PERIOD: Record<QuotaCrossing["per"], string> = { day: "daily", month: "monthly" };
const PER: Record<QuotaCrossing["per"], string> = { day: "a day", month: "a month" };

/** "2026-12-08 00:00 UTC". */
const utc = (at: Date) => at.toISOString().slice(0, 16).replace("T", " ") + " UTC";

/** What the mail calls the thing whose quota it is, and where its limits are changed. */
function named(target: QuotaTarget, forHolder: boolean): { subject: string; sentence: string; page: string } {
  const where = target.personal ? "" : ` in ${target.organizationName}`;
  const sa = target.serviceAccount;
  if (target.key) {
    const owner = sa ? ` of the service account “${sa.name}”` : "";
    return {
      subject: `${forHolder ? "Your API key" : "The API key"} “${target.key.name}”${owner}`,
      sentence: `${forHolder ? "Your Tuned Tensor API key" : "The Tuned Tensor API key"} “${target.key.name}” (${target.key.keyPrefix}…)${owner}${where}`,
      page: "/settings/api-keys",
    };
  }
  const name = sa?.name ?? "(deleted)";
  return {
    subject: `The service account “${name}”`,
    sentence: `The Tuned Tensor service account “${name}”${where} (its keys share its quota)`,
    page: "/settings/service-accounts",
  };
}

/** The mail for a crossing, to one recipient. Pure (the app's address is passed in). */
export function quotaAlertMail(crossing: QuotaCrossing, target: QuotaTarget, to: string, appUrl: string): Mail {
  const who = named(target, recipientsOf(target) === "holder");
  const quota = `${crossing.limit.toLocaleString("en-US")} requests ${PER[crossing.per]}`;
  const refills = `refills at ${utc(crossing.windowEnd)}`;
  const exhausted = crossing.threshold === 100;
  const subject = exhausted
    ? `${who.subject} has used all of its ${PERIOD[crossing.per]} quota`
    : `${who.subject} has used ${crossing.threshold} % of its ${PERIOD[crossing.per]} quota`;
  const first = exhausted
    ? `${who.sentence} has used all of its quota of ${quota}.\n` +
      `Requests with it are refused (429 quota_exceeded) until the quota ${refills}.\n\n`
    : `${who.sentence} has used ${crossing.threshold} % of its quota of ${quota} in the period that started ${utc(crossing.windowStart)}.\n` +
      `Once the quota is used up, requests with it are refused (429 quota_exceeded) until it ${refills}.\n\n`;
  return {
    to,
    subject,
    text: `${first}See its use and change its limits:\n  ${appUrl}${who.page}\n`,
  };
}

/** The key or service account a crossing is about; null when it is gone. */
export async function quotaTarget(db: Db | Tx, crossing: QuotaCrossing): Promise<QuotaTarget | null> {
  type Row = {
    org_name: string;
    personal: boolean;
    key_id: string | null;
    key_name: string | null;
    key_prefix: string | null;
    user_id: string | null;
    sa_id: string | null;
    sa_name: string | null;
  };
  const [row] =
    crossing.subject === "key"
      ? await db<Row[]>`
          select o.name as org_name, o.personal_for is not null as personal, k.id as key_id, k.name as key_name, k.key_prefix,
                 k.user_id, sa.id as sa_id, sa.name as sa_name
          from public.api_keys k join public.organizations o on o.id = k.organization_id
          left join public.service_accounts sa on sa.id = k.service_account_id
          where k.id = ${crossing.subjectId}`
      : await db<Row[]>`
          select o.name as org_name, o.personal_for is not null as personal, null::uuid as key_id, null as key_name, null as key_prefix,
                 null::uuid as user_id, sa.id as sa_id, sa.name as sa_name
          from public.service_accounts sa join public.organizations o on o.id = sa.organization_id
          where sa.id = ${crossing.subjectId}`;
  if (!row) return null;
  return {
    organizationName: row.org_name,
    personal: row.personal,
    key: row.key_id ? { id: row.key_id, name: row.key_name ?? "", keyPrefix: row.key_prefix ?? "", userId: row.user_id } : null,
    serviceAccount: row.sa_id ? { id: row.sa_id, name: row.sa_name ?? "" } : null,
  };
}

/**
 * Writes the crossing's audit event in `tx` (onQuotaCrossing's, which sets the window's flag). Null when the key or service account is gone (nothing to say).
 */
export async function recordQuotaCrossing(tx: Tx, crossing: QuotaCrossing): Promise<QuotaTarget | null> {
  const target = await quotaTarget(tx, crossing);
  if (!target) return null;
  await recordAuditEvent(tx, {
    type: crossing.threshold === 100 ? "quota.exhausted" : "quota.warning",
    organizationId: crossing.organizationId,
    userId: target.key?.userId ?? null,
    actor: systemActor(),
    key: target.key ? { id: target.key.id, keyPrefix: target.key.keyPrefix } : undefined,
    details: {
      subject: crossing.subject,
      ...(target.serviceAccount ? { service_account_id: target.serviceAccount.id } : {}),
      threshold: crossing.threshold,
      limit: crossing.limit,
      per: crossing.per,
      window_start: crossing.windowStart.toISOString(),
      resets_at: crossing.windowEnd.toISOString(),
    },
  });
  return target;
}

/** The addresses to mail about a target: its holder's, or the organization's owners' and admins'. */
export async function quotaAlertAddresses(db: Db, crossing: QuotaCrossing, target: QuotaTarget): Promise<string[]> {
  const rows =
    recipientsOf(target) === "holder"
      ? await db<{ email: string }[]>`
          select u.email from auth.users u
          where u.id = ${target.key?.userId ?? null} and u.email is not null and u.deleted_at is null`
      : await db<{ email: string }[]>`
          select u.email from public.organization_members m join auth.users u on u.id = m.user_id
          where m.organization_id = ${crossing.organizationId} and m.role in ('owner', 'admin')
            and u.email is not null and u.deleted_at is null
          order by m.role desc, u.email`;
  return rows.map((r) => r.email);
}

/** Mails a crossing to whoever it concerns; each failure is logged, never thrown. Resolves with the number sent. */
export async function mailQuotaCrossing(db: Db, crossing: QuotaCrossing, target: QuotaTarget): Promise<number> {
  let sent = 0;
  for (const to of await quotaAlertAddresses(db, crossing, target)) {
    try {
      await sendMail(quotaAlertMail(crossing, target, to, env.APP_URL));
      sent++;
    } catch (error) {
      console.error(`[usage-limits] quota mail about ${crossing.subject} ${crossing.subjectId} not sent:`, (error as Error).message);
    }
  }
  return sent;
}

/**
 * A crossing, in full: in one transaction the window's flag (once per window and threshold:
 * the lease that reported it did not set it) and its audit event; then, after the commit, its
 * mails. The engine calls this off the request path (mail is slow). A crossing that another
 * instance has already recorded finds the flag set and does nothing; one whose transaction
 * fails leaves the flag unset, and the next lease reports it again.
 */
export async function onQuotaCrossing(db: Db, crossing: QuotaCrossing): Promise<void> {
  const target = await db.begin(async (tx) => {
    const flag = crossing.threshold === 100 ? tx`exhausted = true` : tx`warned = true`;
    const unset = crossing.threshold === 100 ? tx`not w.exhausted` : tx`not w.warned`;
    const [claimed] = await tx`
      update public.usage_limit_windows w set ${flag}
      where w.subject_id = ${crossing.subjectId} and w.kind = 'quota' and w.window_start = ${crossing.windowStart} and ${unset}
      returning 1 as claimed`;
    return claimed ? recordQuotaCrossing(tx, crossing) : null;
  });
  if (target) await mailQuotaCrossing(db, crossing, target);
}
