import "server-only";

import { after } from "next/server";

import { recordAuditEvent } from "@/lib/activity/audit";
import type { AuditActor } from "@/lib/activity/audit-actor";
import type { RevokedBy } from "@/lib/contract";
import type { Db } from "@/lib/db";
import { env } from "@/lib/env";
import { sendMail } from "@/lib/mail/mailer";

import { parseApiKey } from "./key-format";
import { hashApiKey } from "./key-hash";
import { settleKeyChange } from "./settle-key-change";

// A key found exposed is revoked at once, whoever reports it (GitHub's secret scanning, or
// anyone through the public revocation endpoint), and its owner is told. One function
// revokes (revokeLeakedKeys), and writes each revocation's audit event in the same
// transaction.

export type LeakReport = {
  /** What was reported: any string; only well-formed keys (checksum) reach the database. */
  token: string;
  /** Where it was found, when the reporter said (kept only if it is an http(s) URL). */
  url?: string | null;
};

type RevokedRow = { id: string; organization_id: string; user_id: string | null; name: string; key_prefix: string; hash: Buffer; email: string | null; exposed_url: string | null; revoked_at: Date };

const MAX_URL = 2048;
/** An http(s) URL to show the owner, or null: the reporter's text is never shown as anything else. */
function exposedUrl(url: string | null | undefined): string | null {
  if (!url || url.length > MAX_URL) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.toString() : null;
  } catch {
    return null;
  }
}

/**
 * Revokes every not-yet-revoked key among the reports, with the reason `leaked` and where
 * it was found, in one statement; mails each owner after the response (so the answer's
 * timing says nothing about which keys existed). Strings that are not well-formed keys
 * cost no database work. Returns the SHA-256 (hex) of every reported token that is a key
 * we issued — revoked now or before — for GitHub's labels.
 */
export async function revokeLeakedKeys(
  db: Db,
  reports: LeakReport[],
  source: { by: Extract<RevokedBy, "leak_report" | "public_revocation">; actor: AuditActor },
): Promise<Set<string>> {
  const byHash = new Map<string, string | null>();
  for (const report of reports) {
    if (!parseApiKey(report.token)) continue;
    const hash = hashApiKey(report.token).toString("hex");
    // The first URL given for a key wins.
    if (!byHash.has(hash) || byHash.get(hash) === null) byHash.set(hash, exposedUrl(report.url));
  }
  if (byHash.size === 0) return new Set();
  const hashes = [...byHash.keys()];
  const urls = hashes.map((hash) => byHash.get(hash) ?? null);
  const rows = await db.begin(async (tx) => {
    const found = await tx<(RevokedRow & { newly: boolean })[]>`
      with reported as (
        select decode(h, 'hex') as hash, u as url from unnest(${hashes}::text[], ${urls}::text[]) as r(h, u)
      ), revoked as (
        update public.api_keys k
        set revoked_at = now(), revoked_reason = 'leaked', exposed_url = r.url
        from reported r
        where k.key_hash = r.hash and k.revoked_at is null
        returning k.id, k.organization_id, k.user_id, k.name, k.key_prefix, k.key_hash, k.exposed_url, k.revoked_at
      )
      select v.id, v.organization_id, v.user_id, v.name, v.key_prefix, v.key_hash as hash, u.email, v.exposed_url, v.revoked_at, true as newly
      from revoked v left join auth.users u on u.id = v.user_id
      union all
      select k.id, k.organization_id, k.user_id, k.name, k.key_prefix, k.key_hash, null, k.exposed_url, k.revoked_at, false
      from public.api_keys k join reported r on k.key_hash = r.hash
      where k.revoked_at is not null and k.id not in (select id from revoked)`;
    for (const row of found.filter((r) => r.newly)) {
      await recordAuditEvent(tx, {
        type: "key.revoked",
        organizationId: row.organization_id,
        userId: row.user_id,
        actor: source.actor,
        key: { id: row.id, keyPrefix: row.key_prefix },
        details: { by: source.by, ...(row.exposed_url ? { exposed_url: row.exposed_url } : {}) },
      });
    }
    return found;
  });
  const newly = rows.filter((row) => row.newly);
  if (newly.length) after(() => notifyOwners(newly));
  // T after the commit, so the revoked keys are refused everywhere once this answers. Always
  // for a public revocation, whose answer must not tell by its timing whether a key was live.
  if (newly.length || source.by === "public_revocation") await settleKeyChange();
  return new Set(rows.map((row) => Buffer.from(row.hash).toString("hex")));
}

async function notifyOwners(rows: RevokedRow[]): Promise<void> {
  for (const row of rows) {
    if (!row.email) continue;
    const where = row.exposed_url ? `It was found at:\n  ${row.exposed_url}\n\n` : "It was reported as exposed.\n\n";
    try {
      await sendMail({
        to: row.email,
        subject: `Your API key “${row.name}” was found exposed and has been revoked`,
        text:
          `Your Tuned Tensor API key “${row.name}” (${row.key_prefix}…) was found exposed where others could see it, ` +
          `and was revoked automatically at ${row.revoked_at.toISOString()}.\n\n${where}` +
          `Requests that use it are now refused. Create a new key, and remove the old one from wherever it was published:\n` +
          `  ${env.APP_URL}/settings/api-keys\n`,
      });
    } catch (error) {
      // The key is revoked either way; the row shows it. Logged without the key.
      console.error(`[leaks] could not mail the owner of key ${row.id}:`, (error as Error).message);
    }
  }
}
