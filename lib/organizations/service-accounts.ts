import "server-only";

import { answerableRows } from "@/lib/answerable-rows";
import { recordAuditEvent, type Tx } from "@/lib/activity/audit";
import type { AuditActor } from "@/lib/activity/audit-actor";
import { insertApiKey, toOutput as keyOutput } from "@/lib/api-keys/service";
import { settleKeyChange } from "@/lib/api-keys/settle-key-change";
import {
  createdApiKeyOutput,
  serviceAccountOutput,
  type CreateApiKeyInput,
  type CreatedApiKey,
  type CreateServiceAccountInput,
  isNarrowing,
  type UpdateServiceAccountInput,
  type Role,
  type ServiceAccount,
  type ServiceAccountRole,
} from "@/lib/contract";
import type { Db } from "@/lib/db";
import { DomainError, conflictError, forbiddenError, notFoundError } from "@/lib/domain-errors";

import { columnsOf, limitsFromColumns, type LimitColumns } from "@/lib/usage-limits/columns";

import { grantKey } from "./key-power";
import type { OrganizationContext } from "./membership";
import { revokeHeldKeys } from "./revoke-held-keys";

// Service accounts: named holders of keys that belong to the organization, not to a person.
// Their keys outlive whoever made them (a member leaving, an account deleted: the key lookup
// reads the service account's role, never its creator's); deleting one revokes its keys in
// the same transaction, and answers once no instance can still serve them.

type Row = {
  id: string;
  name: string;
  role: ServiceAccountRole;
  created_by: string | null;
  created_by_email: string | null;
  created_at: Date;
} & LimitColumns;

const NOT_FOUND = "Service account not found";

function toOutput(row: Row): ServiceAccount {
  return serviceAccountOutput.parse({
    id: row.id,
    name: row.name,
    role: row.role,
    created_by: row.created_by ? { id: row.created_by, email: row.created_by_email } : null,
    created_at: row.created_at.toISOString(),
    limits: limitsFromColumns(row),
  } satisfies ServiceAccount);
}

const COLUMNS = (sql: Db | Tx) => (sql as Db)`
  sa.id, sa.name, sa.role, sa.created_by, creator.email as created_by_email, sa.created_at,
  sa.limit_rate, sa.limit_rate_per, sa.limit_burst, sa.limit_quota, sa.limit_quota_per`;
const FROM = (sql: Db | Tx) => (sql as Db)`
  public.service_accounts sa left join auth.users creator on creator.id = sa.created_by`;

/** Only owners and admins manage service accounts and make their keys (members:write says the same; this says it for keys too). */
function assertManager(role: Role) {
  if (role !== "owner" && role !== "admin") throw forbiddenError("Only owners and admins manage service accounts");
}

/** One page of the organization's live service accounts, oldest first. */
export async function listServiceAccounts(
  db: Db,
  params: { organizationId: string; page: number; perPage: number; requestId?: string },
): Promise<{ items: ServiceAccount[]; total: number }> {
  const offset = (params.page - 1) * params.perPage;
  const where = db`sa.organization_id = ${params.organizationId} and sa.deleted_at is null`;
  const rows = await db<(Row & { total: number })[]>`
    select ${COLUMNS(db)}, count(*) over ()::int as total
    from ${FROM(db)}
    where ${where}
    order by sa.created_at, sa.id
    limit ${params.perPage} offset ${offset}`;
  let total = rows[0]?.total ?? 0;
  if (!rows[0] && offset > 0) {
    const [count] = await db<{ total: number }[]>`select count(*)::int as total from public.service_accounts sa where ${where}`;
    total = count?.total ?? 0;
  }
  return { items: answerableRows(rows, toOutput, "service account", params.requestId), total };
}

const isLiveNameTaken = (error: unknown) => {
  const e = error as { code?: unknown; constraint_name?: unknown } | null;
  return e?.code === "23505" && e.constraint_name === "service_accounts_live_name";
};

/** Creates a service account (owners and admins); a name a live one has is a 409. Audited as service_account.created. */
export async function createServiceAccount(
  db: Db,
  params: { organizationId: string; role: Role; creatorId: string | null; actor: AuditActor; input: CreateServiceAccountInput },
): Promise<ServiceAccount> {
  assertManager(params.role);
  const { name, role } = params.input;
  try {
    return await db.begin(async (tx) => {
      const [created] = await tx<{ id: string }[]>`
        insert into public.service_accounts (organization_id, name, role, created_by)
        values (${params.organizationId}, ${name}, ${role}, ${params.creatorId})
        returning id`;
      await recordAuditEvent(tx, {
        type: "service_account.created",
        organizationId: params.organizationId,
        userId: null,
        actor: params.actor,
        details: { service_account_id: created!.id, name, role },
      });
      const [row] = await tx<Row[]>`select ${COLUMNS(tx)} from ${FROM(tx)} where sa.id = ${created!.id}`;
      return toOutput(row!);
    });
  } catch (error) {
    if (isLiveNameTaken(error)) throw conflictError(`A service account named “${name}” already exists in this organization`);
    throw error;
  }
}

/**
 * Deletes a service account (it stays, marked deleted, for its keys' rows and the trail) and
 * revokes every key it holds, each with its key.revoked event, in one transaction; then waits
 * T (settleKeyChange), so from the answer on every instance refuses its keys. 404 for one
 * already deleted or not the organization's.
 */
export async function deleteServiceAccount(
  db: Db,
  params: { organizationId: string; id: string; actor: AuditActor },
): Promise<ServiceAccount> {
  const row = await db.begin(async (tx) => {
    const [deleted] = await tx<{ id: string }[]>`
      update public.service_accounts set deleted_at = now()
      where id = ${params.id} and organization_id = ${params.organizationId} and deleted_at is null
      returning id`;
    if (!deleted) throw notFoundError(NOT_FOUND);
    const revokedKeys = await revokeHeldKeys(tx, {
      organizationId: params.organizationId,
      holder: { serviceAccountId: params.id },
      actor: params.actor,
      details: { by: "owner", service_account_id: params.id },
    });
    const [current] = await tx<Row[]>`select ${COLUMNS(tx)} from ${FROM(tx)} where sa.id = ${params.id}`;
    await recordAuditEvent(tx, {
      type: "service_account.deleted",
      organizationId: params.organizationId,
      userId: null,
      actor: params.actor,
      details: { service_account_id: params.id, name: current!.name, role: current!.role, revoked_keys: revokedKeys },
    });
    return current!;
  });
  // Committed; now T, so no instance still holds one of its keys as it was.
  await settleKeyChange();
  return toOutput(row);
}

/**
 * Changes a service account's limits (shared by its keys). Lowering them is narrowing (members:write
 * is enough); raising or removing them calls `authorizeWidening` first, in the transaction, which
 * throws unless the caller may widen (a session, re-checked). The row is locked, so two changes
 * cannot both judge against the same "before". Commit with its audit event, then T
 * (settleKeyChange): from the answer on, every instance holds the service account's keys to the
 * new limits. 404 for a deleted one or one of another organization.
 */
export async function updateServiceAccount(
  db: Db,
  params: {
    organizationId: string;
    role: Role;
    id: string;
    actor: AuditActor;
    input: UpdateServiceAccountInput;
    authorizeWidening: (field: string) => Promise<void>;
  },
): Promise<ServiceAccount> {
  assertManager(params.role);
  const row = await db.begin(async (tx) => {
    const [current] = await tx<Row[]>`
      select ${COLUMNS(tx)} from ${FROM(tx)}
      where sa.id = ${params.id} and sa.organization_id = ${params.organizationId} and sa.deleted_at is null
      for update of sa`;
    if (!current) throw notFoundError(NOT_FOUND);
    const before = limitsFromColumns(current);
    const after = params.input.limits && (params.input.limits.rate || params.input.limits.quota) ? params.input.limits : null;
    if (JSON.stringify(before) === JSON.stringify(after)) return current;
    if (!isNarrowing(before, after)) await params.authorizeWidening("limits");
    const columns = columnsOf(after);
    await tx`
      update public.service_accounts set
        limit_rate = ${columns.limit_rate}, limit_rate_per = ${columns.limit_rate_per}, limit_burst = ${columns.limit_burst},
        limit_quota = ${columns.limit_quota}, limit_quota_per = ${columns.limit_quota_per}
      where id = ${params.id}`;
    await recordAuditEvent(tx, {
      type: "service_account.limits_changed",
      organizationId: params.organizationId,
      userId: null,
      actor: params.actor,
      details: { service_account_id: params.id, name: current.name, from: before, to: after },
    });
    const [updated] = await tx<Row[]>`select ${COLUMNS(tx)} from ${FROM(tx)} where sa.id = ${params.id}`;
    return updated!;
  });
  await settleKeyChange();
  return toOutput(row);
}

/**
 * A new key held by the service account `id` (owners and admins, signed in): its scopes at
 * most the service account's role's, its lifetime within the organization's maximum
 * (grantKey). The service account's row is held (`for share`) until the insert commits, so a
 * delete running at the same time either waits and revokes this key too, or commits first and
 * this finds no live service account. 404 for a deleted one or one of another organization. The answer is the only time the full key is sent.
 */
export async function createServiceAccountKey(
  db: Db,
  params: { organization: OrganizationContext; role: Role; id: string; actor: AuditActor; input: CreateApiKeyInput; now?: number },
): Promise<CreatedApiKey> {
  assertManager(params.role);
  const { organization, input } = params;
  const now = params.now ?? Date.now();
  return db.begin(async (tx) => {
    const [account] = await tx<{ role: ServiceAccountRole }[]>`
      select role from public.service_accounts
      where id = ${params.id} and organization_id = ${organization.id} and deleted_at is null
      for share`;
    if (!account) throw notFoundError(NOT_FOUND);
    const grant = grantKey(
      { scopes: input.scopes, expiresAt: input.expires_at ? Date.parse(input.expires_at) : null, now },
      { role: params.role, serviceAccountRole: account.role },
      organization,
    );
    if ("refused" in grant) {
      throw new DomainError(grant.refused, grant.message, grant.path ? [{ path: grant.path, message: grant.message }] : undefined);
    }
    const policy = { maxKeyLifetimeDays: organization.maxKeyLifetimeDays, memberKeyScopes: organization.memberKeyScopes, defaultKeyLimits: organization.defaultKeyLimits };
    const { row, key } = await insertApiKey(tx, {
      ...input,
      organizationId: organization.id,
      holder: { serviceAccountId: params.id },
      scopes: grant.scopes,
      actor: params.actor,
      policy,
    });
    return createdApiKeyOutput.parse({ ...keyOutput(row, policy), key });
  });
}
