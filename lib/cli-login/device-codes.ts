import "server-only";

import { createHash, randomBytes, randomInt } from "node:crypto";

import type { AuditActor } from "@/lib/activity/audit-actor";
import { recordAuditEvent } from "@/lib/activity/audit";
import { insertApiKey, toOutput, type KeyReach, type KeyRow } from "@/lib/api-keys/service";
import { grantKey } from "@/lib/organizations/key-power";
import { findMembership } from "@/lib/organizations/membership";
import {
  canonicalScopes,
  CLI_AUTHORIZE_PATH,
  createdApiKeyOutput,
  DEVICE_CODE_BYTES,
  DEVICE_CODE_TTL_S,
  DEVICE_KEY_TTL_DAYS,
  formatUserCode,
  POLL_INTERVAL_S,
  SCOPES,
  USER_CODE_ALPHABET,
  USER_CODE_LENGTH,
  type CreateDeviceCodeInput,
  type DeviceCode,
  type Scope,
} from "@/lib/contract";
import type { Db } from "@/lib/db";
import { DomainError } from "@/lib/domain-errors";

import { assertPendingBelow, takeAttempt } from "./login-limits";

// The device flow of `tt auth login` (RFC 8628). A row per attempt in
// internal.cli_device_codes: pending → approved or denied (once, by one signed-in user, at
// /cli/authorize) → consumed by the poll that hands the key over. The device code is the
// CLI's secret: only its SHA-256 is stored. The key is generated at hand-over, in the same
// transaction that spends the row, so nothing readable is ever kept between approval and
// hand-over. Every function takes `now` so that expiry and polling speed are tested
// without waiting.

const hashDeviceCode = (code: string) => createHash("sha256").update(code, "utf8").digest();

function newUserCode(): string {
  let code = "";
  for (let i = 0; i < USER_CODE_LENGTH; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return code;
}

/** The bounds on the public endpoints (lib/cli-login/login-limits.ts); env's values in the routes. */
export type LoginLimits = { client: string; perClient: number; pendingMax: number };

/**
 * POST /api/v1/cli/device-codes: a new pending request; the device code is answered once and
 * kept only hashed. 429 when the client created `perClient` in the last minute, or
 * `pendingMax` requests are pending in total — and then no row is written.
 */
export async function createDeviceCode(db: Db, params: CreateDeviceCodeInput & { appUrl: string; limits: LoginLimits; now?: Date }): Promise<DeviceCode> {
  const now = params.now ?? new Date();
  const deviceCode = randomBytes(DEVICE_CODE_BYTES).toString("base64url");
  const scopes = canonicalScopes(params.scopes ?? SCOPES);
  const expiresAt = new Date(now.getTime() + DEVICE_CODE_TTL_S * 1000);
  // 20^8 codes: a collision with a live one is rare; the partial unique index catches it, and another is drawn.
  for (let attempt = 0; ; attempt++) {
    const userCode = newUserCode();
    try {
      await db.begin(async (tx) => {
        await takeAttempt(tx, { client: params.limits.client, kind: "create", limit: params.limits.perClient, now });
        await assertPendingBelow(tx, { max: params.limits.pendingMax, now });
        await tx`
        insert into internal.cli_device_codes
          (device_code_hash, user_code, scopes, client_hostname, client_os, client_version, created_at, expires_at, poll_interval)
        values (${hashDeviceCode(deviceCode)}, ${userCode}, ${scopes}::text[], ${params.client.hostname}, ${params.client.os},
                ${params.client.version}, ${now}, ${expiresAt}, ${POLL_INTERVAL_S})`;
      });
      const verificationUri = `${params.appUrl}${CLI_AUTHORIZE_PATH}`;
      return {
        device_code: deviceCode,
        user_code: formatUserCode(userCode),
        verification_uri: verificationUri,
        verification_uri_complete: `${verificationUri}?code=${formatUserCode(userCode)}`,
        expires_in: DEVICE_CODE_TTL_S,
        interval: POLL_INTERVAL_S,
      };
    } catch (error) {
      if (attempt < 3 && (error as { code?: string }).code === "23505") continue;
      throw error;
    }
  }
}

type PollRow = {
  id: string;
  status: "pending" | "approved" | "denied" | "consumed";
  expired: boolean;
  too_fast: boolean;
  user_id: string | null;
  scopes: string[];
  client_hostname: string;
};

/**
 * POST /api/v1/cli/token. The row is locked while it is answered, so two polls racing
 * after approval cannot both get a key: the first spends it, the second finds it consumed.
 */
export async function exchangeDeviceCode(db: Db, params: { deviceCode: string; actor: AuditActor; limits: Omit<LoginLimits, "pendingMax">; now?: Date }) {
  const now = params.now ?? new Date();
  // A refusal is returned from the transaction, not thrown in it: the poll's time (and a
  // slow_down's longer interval) must commit with it.
  const outcome = await db.begin(async (tx): Promise<DomainError | { row: KeyRow; key: string; policy: KeyReach["policy"] }> => {
    const [row] = await tx<PollRow[]>`
      select id, status, user_id, scopes, client_hostname,
             expires_at <= ${now} as expired,
             coalesce(last_polled_at > ${now}::timestamptz - make_interval(secs => poll_interval), false) as too_fast
      from internal.cli_device_codes where device_code_hash = ${hashDeviceCode(params.deviceCode)}
      for update`;
    if (!row) {
      // Nobody issued it: counted per client like a creation (429 past the limit).
      await takeAttempt(tx, { client: params.limits.client, kind: "unknown_poll", limit: params.limits.perClient, now });
    }
    if (!row || row.status === "consumed") return new DomainError("invalid_grant", "Unknown device code, or it was already used; run tt auth login again");
    if (row.expired) return new DomainError("expired_token", "The login request expired; run tt auth login again");
    if (row.status === "denied") return new DomainError("access_denied", "The login request was denied in the browser");
    if (row.too_fast) {
      // RFC 8628 §3.5: every slow_down adds 5 seconds to the interval the client must keep.
      await tx`update internal.cli_device_codes set poll_interval = least(poll_interval + 5, 120), last_polled_at = ${now} where id = ${row.id}`;
      return new DomainError("slow_down", "Polled too fast; wait 5 seconds more between polls");
    }
    if (row.status === "pending") {
      await tx`update internal.cli_device_codes set last_polled_at = ${now} where id = ${row.id}`;
      return new DomainError("authorization_pending", "Waiting for the login to be approved in the browser");
    }
    // Approved: the key is made now, the row spent in the same transaction.
    await tx`update internal.cli_device_codes set status = 'consumed', last_polled_at = ${now} where id = ${row.id}`;
    const expiresAt = new Date(now.getTime() + DEVICE_KEY_TTL_DAYS * 86_400_000);
    // The key is the approving user's, in their personal workspace, within its policy.
    const membership = await findMembership(tx, row.user_id!, null);
    if (!membership) return new DomainError("access_denied", "The approving account has no workspace any more");
    const workspace = membership.organization;
    const grant = grantKey({ scopes: canonicalScopes(row.scopes), expiresAt: expiresAt.getTime(), now: now.getTime() }, { role: membership.role }, workspace);
    if ("refused" in grant) return new DomainError("access_denied", `The key cannot be made: ${grant.message}`);
    const policy = { maxKeyLifetimeDays: workspace.maxKeyLifetimeDays, memberKeyScopes: workspace.memberKeyScopes, defaultKeyLimits: workspace.defaultKeyLimits };
    const made = await insertApiKey(tx, {
      organizationId: workspace.id,
      holder: { userId: row.user_id! },
      policy,
      actor: params.actor,
      via: "device_flow",
      name: keyName(row.client_hostname),
      expires_at: expiresAt.toISOString(),
      scopes: grant.scopes,
    });
    return { ...made, policy };
  });
  if (outcome instanceof DomainError) throw outcome;
  // The one place this key leaves the server; it is not stored or logged anywhere.
  return createdApiKeyOutput.parse({ ...toOutput(outcome.row, outcome.policy), key: outcome.key });
}

/** The key's name: "tt CLI on <hostname>", within the 100 characters a name may have. */
export const keyName = (hostname: string) => `tt CLI on ${hostname}`.slice(0, 100);

/** What the approval page shows about a pending request. */
export type PendingLogin = { userCode: string; scopes: Scope[]; hostname: string; os: string; version: string; expiresAt: Date };

/** A pending, unexpired request by its user code (as stored: normalizeUserCode), or null. */
export async function findPendingLogin(db: Db, userCode: string, now = new Date()): Promise<PendingLogin | null> {
  const [row] = await db<{ scopes: string[]; client_hostname: string; client_os: string; client_version: string; expires_at: Date }[]>`
    select scopes, client_hostname, client_os, client_version, expires_at
    from internal.cli_device_codes
    where user_code = ${userCode} and status = 'pending' and expires_at > ${now}`;
  if (!row) return null;
  return { userCode, scopes: canonicalScopes(row.scopes), hostname: row.client_hostname, os: row.client_os, version: row.client_version, expiresAt: row.expires_at };
}

/**
 * Approves or denies a pending request, once: the first decision wins, by one user. False
 * when there is no such pending, unexpired request (a wrong, used or expired code). The
 * decision is recorded (cli_login.approved / cli_login.denied, by `actor`: the deciding
 * browser's session, its address and user agent) in the transaction that makes it.
 */
export async function decideLogin(
  db: Db,
  params: { userCode: string; userId: string; approve: boolean; actor: AuditActor; sessionId: string | null; now?: Date },
): Promise<boolean> {
  const now = params.now ?? new Date();
  return db.begin(async (tx) => {
    const [row] = await tx<{ scopes: string[]; client_hostname: string; client_os: string; client_version: string }[]>`
      update internal.cli_device_codes
      set status = ${params.approve ? "approved" : "denied"}, user_id = ${params.userId}, decided_at = ${now}
      where user_code = ${params.userCode} and status = 'pending' and expires_at > ${now}
      returning scopes, client_hostname, client_os, client_version`;
    if (!row) return false;
    await recordAuditEvent(tx, {
      organizationId: null,
      userId: params.userId,
      actor: params.actor,
      type: params.approve ? "cli_login.approved" : "cli_login.denied",
      details: {
        hostname: row.client_hostname,
        os: row.client_os,
        version: row.client_version,
        scopes: canonicalScopes(row.scopes),
        session_id: params.sessionId,
      },
    });
    return true;
  });
}
