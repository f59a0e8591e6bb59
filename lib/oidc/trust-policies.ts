import "server-only";

import { answerableRows } from "@/lib/answerable-rows";
import { recordAuditEvent, type Tx } from "@/lib/activity/audit";
import type { AuditActor } from "@/lib/activity/audit-actor";
import { settleKeyChange } from "@/lib/api-keys/settle-key-change";
import {
  canonicalScopes,
  conditionProblems,
  DEFAULT_ISSUERS,
  trustPolicyOutput,
  trustPolicyTestOutput,
  type CreateTrustPolicyInput,
  type Role,
  type Scope,
  type ServiceAccountRole,
  type TestTrustPoliciesInput,
  type TrustConditions,
  type TrustPolicy,
  type TrustPolicyProvider,
  type TrustPolicyTest,
  type UpdateTrustPolicyInput,
} from "@/lib/contract";
import type { Db } from "@/lib/db";
import { DomainError, forbiddenError, notFoundError, refusedChange } from "@/lib/domain-errors";
import { mintableScopes } from "@/lib/organizations/key-power";

import { issuerUrlAllowed } from "./issuer-url";
import type { JwksCache } from "./jwks-cache";
import { matchPolicy, policyWarnings, withPresetConditions, type MatchablePolicy } from "./policy-matcher";
import { readUnverified, TokenRejected, verifyToken } from "./verify-token";

// Trust policies: which CI jobs may trade their OIDC token for a key of a service account
// (docs/ARCHITECTURE.md, "Keyless CI"). Owners and admins manage them; each change is
// audited in its own transaction. Turning one off (disabled or deleted) is the kill switch:
// the key lookup joins the policy (lib/api-keys/service.ts, findApiKeyByHash), so after the
// commit and T (settleKeyChange) no instance serves a key it minted.

export type PolicyRow = {
  id: string;
  organization_id: string;
  service_account_id: string;
  name: string;
  provider: TrustPolicyProvider;
  issuer: string;
  audience: string;
  conditions: TrustConditions;
  allowed_events: string[];
  scopes: string[];
  token_lifetime_seconds: number;
  enabled: boolean;
  created_by: string | null;
  created_by_email: string | null;
  created_at: Date;
  last_used_at: Date | null;
};

const NOT_FOUND = "Trust policy not found";
const SERVICE_ACCOUNT_NOT_FOUND = "Service account not found";

export const POLICY_COLUMNS = (sql: Db | Tx) => (sql as Db)`
  tp.id, tp.organization_id, tp.service_account_id, tp.name, tp.provider, tp.issuer, tp.audience, tp.conditions, tp.allowed_events,
  tp.scopes, tp.token_lifetime_seconds, tp.enabled, tp.created_by, creator.email as created_by_email, tp.created_at, tp.last_used_at`;
export const POLICY_FROM = (sql: Db | Tx) => (sql as Db)`
  public.service_account_trust_policies tp left join auth.users creator on creator.id = tp.created_by`;

export const matchable = (row: PolicyRow): MatchablePolicy => ({
  provider: row.provider,
  issuer: row.issuer,
  audience: row.audience,
  conditions: row.conditions,
  allowedEvents: row.allowed_events,
});

/** What a policy says, as its output and its audit events both give it. */
const policyFields = (row: PolicyRow) => ({
  service_account_id: row.service_account_id,
  name: row.name,
  provider: row.provider,
  issuer: row.issuer,
  audience: row.audience,
  conditions: row.conditions,
  allowed_events: row.allowed_events,
  scopes: canonicalScopes(row.scopes),
  token_lifetime_seconds: row.token_lifetime_seconds,
  enabled: row.enabled,
});

function toOutput(row: PolicyRow): TrustPolicy {
  return trustPolicyOutput.parse({
    id: row.id,
    ...policyFields(row),
    created_by: row.created_by ? { id: row.created_by, email: row.created_by_email } : null,
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at ? row.last_used_at.toISOString() : null,
    warnings: policyWarnings(matchable(row)),
  } satisfies TrustPolicy);
}

/** Only owners and admins manage trust policies (members:write says the same; this says it for a key's holder too). */
function assertManager(role: Role) {
  if (role !== "owner" && role !== "admin") throw forbiddenError("Only owners and admins manage trust policies");
}

/** The scopes a policy may give: within its service account's role. */
function policyScopes(asked: readonly Scope[] | undefined, accountRole: ServiceAccountRole): Scope[] {
  const bound = mintableScopes(accountRole, null);
  if (asked === undefined) return bound;
  const beyond = asked.filter((scope) => !bound.includes(scope));
  if (beyond.length > 0) {
    const message = `${beyond.join(", ")} ${beyond.length === 1 ? "is" : "are"} beyond what the service account's role (${accountRole}) allows`;
    throw new DomainError("forbidden", message, [{ path: "scopes", message }]);
  }
  return canonicalScopes(asked);
}

async function liveServiceAccount(sql: Db | Tx, organizationId: string, id: string, lock: boolean): Promise<{ role: ServiceAccountRole }> {
  const db = sql as Db;
  const [account] = await db<{ role: ServiceAccountRole }[]>`
    select role from public.service_accounts
    where id = ${id} and organization_id = ${organizationId} and deleted_at is null
    ${lock ? db`for share` : db``}`;
  if (!account) throw notFoundError(SERVICE_ACCOUNT_NOT_FOUND);
  return account;
}

/** A service account's live policies, oldest first; 404 for a deleted service account or another organization's. */
export async function listTrustPolicies(db: Db, params: { organizationId: string; role: Role; serviceAccountId: string; requestId?: string }): Promise<TrustPolicy[]> {
  assertManager(params.role);
  await liveServiceAccount(db, params.organizationId, params.serviceAccountId, false);
  const rows = await db<PolicyRow[]>`
    select ${POLICY_COLUMNS(db)} from ${POLICY_FROM(db)}
    where tp.organization_id = ${params.organizationId} and tp.service_account_id = ${params.serviceAccountId} and tp.deleted_at is null
    order by tp.created_at, tp.id`;
  return answerableRows(rows, toOutput, "trust policy", params.requestId);
}

const auditDetails = (row: PolicyRow) => ({ policy_id: row.id, ...policyFields(row) });

/**
 * A new policy on service account `serviceAccountId` (owners and admins): the provider's
 * issuer when none is sent, the app's URL as the audience when none is sent, the provider's
 * preset conditions (withPresetConditions), scopes within the service account's role (all of
 * them when none are sent). Audited as trust_policy.created in the same transaction.
 */
export async function createTrustPolicy(
  db: Db,
  params: {
    organizationId: string;
    role: Role;
    creatorId: string | null;
    actor: AuditActor;
    serviceAccountId: string;
    input: CreateTrustPolicyInput;
    appUrl: string;
    allowLoopbackIssuers: boolean;
  },
): Promise<TrustPolicy> {
  assertManager(params.role);
  const { input } = params;
  const issuer = input.issuer ?? DEFAULT_ISSUERS[input.provider]!;
  if (!issuerUrlAllowed(issuer, params.allowLoopbackIssuers)) {
    throw refusedChange("The issuer must be an https URL", [{ path: "issuer", message: "must be an https URL (http only on a loopback address, for tests)" }]);
  }
  const conditions = withPresetConditions(input.provider, input.conditions);
  return db.begin(async (tx) => {
    const account = await liveServiceAccount(tx, params.organizationId, params.serviceAccountId, true);
    const scopes = policyScopes(input.scopes, account.role);
    const [created] = await tx<{ id: string }[]>`
      insert into public.service_account_trust_policies
        (organization_id, service_account_id, name, provider, issuer, audience, conditions, allowed_events, scopes, token_lifetime_seconds, enabled, created_by)
      values (${params.organizationId}, ${params.serviceAccountId}, ${input.name}, ${input.provider}, ${issuer}, ${input.audience ?? params.appUrl},
              ${tx.json(conditions)}, ${input.allowed_events ?? []}::text[], ${scopes}::text[], ${input.token_lifetime_seconds}, ${input.enabled},
              ${params.creatorId})
      returning id`;
    const [row] = await tx<PolicyRow[]>`select ${POLICY_COLUMNS(tx)} from ${POLICY_FROM(tx)} where tp.id = ${created!.id}`;
    await recordAuditEvent(tx, { type: "trust_policy.created", organizationId: params.organizationId, userId: null, actor: params.actor, details: auditDetails(row!) });
    return toOutput(row!);
  });
}

/**
 * Changes a policy (owners and admins). `enabled: false` is the kill switch: committed with its
 * trust_policy.changed event, then T (settleKeyChange), so every key the policy minted is
 * refused on every instance when this answers. Other changes apply to keys minted from then on.
 */
export async function updateTrustPolicy(
  db: Db,
  params: { organizationId: string; role: Role; id: string; actor: AuditActor; input: UpdateTrustPolicyInput },
): Promise<TrustPolicy> {
  assertManager(params.role);
  const { input } = params;
  const row = await db.begin(async (tx) => {
    const [current] = await tx<PolicyRow[]>`
      select ${POLICY_COLUMNS(tx)} from ${POLICY_FROM(tx)}
      where tp.id = ${params.id} and tp.organization_id = ${params.organizationId} and tp.deleted_at is null
      for update of tp`;
    if (!current) throw notFoundError(NOT_FOUND);
    if (input.conditions) {
      const problems = conditionProblems(current.provider, input.conditions);
      if (problems.length > 0) throw refusedChange(`The conditions ${problems.join("; ")}`, problems.map((message) => ({ path: "conditions", message })));
    }
    const scopes = input.scopes ? policyScopes(input.scopes, (await liveServiceAccount(tx, params.organizationId, current.service_account_id, true)).role) : null;
    await tx`
      update public.service_account_trust_policies tp
      set name = coalesce(${input.name ?? null}::text, tp.name),
          enabled = coalesce(${input.enabled ?? null}::boolean, tp.enabled),
          audience = coalesce(${input.audience ?? null}::text, tp.audience),
          conditions = coalesce(${input.conditions ? tx.json(input.conditions) : null}::jsonb, tp.conditions),
          allowed_events = coalesce(${input.allowed_events ?? null}::text[], tp.allowed_events),
          scopes = coalesce(${scopes}::text[], tp.scopes),
          token_lifetime_seconds = coalesce(${input.token_lifetime_seconds ?? null}::integer, tp.token_lifetime_seconds)
      where tp.id = ${params.id}`;
    const [updated] = await tx<PolicyRow[]>`select ${POLICY_COLUMNS(tx)} from ${POLICY_FROM(tx)} where tp.id = ${params.id}`;
    const before = auditDetails(current);
    const after = auditDetails(updated!);
    const changes = Object.fromEntries(
      Object.entries(after)
        .filter(([field, value]) => JSON.stringify(value) !== JSON.stringify(before[field as keyof typeof before]))
        .map(([field, value]) => [field, { from: before[field as keyof typeof before], to: value }]),
    );
    if (Object.keys(changes).length > 0) {
      await recordAuditEvent(tx, {
        type: "trust_policy.changed",
        organizationId: params.organizationId,
        userId: null,
        actor: params.actor,
        details: { policy_id: current.id, service_account_id: current.service_account_id, name: updated!.name, changes },
      });
    }
    return updated!;
  });
  // Disabled (or sent disabled while another request disables it): T, so no instance still
  // serves a key the policy minted.
  if (input.enabled === false) await settleKeyChange();
  return toOutput(row);
}

/**
 * Deletes a policy (it stays, marked deleted, for its keys' attribution and the trail): the
 * kill switch, like disabling. Audited as trust_policy.deleted; answers after T.
 */
export async function deleteTrustPolicy(db: Db, params: { organizationId: string; role: Role; id: string; actor: AuditActor }): Promise<TrustPolicy> {
  assertManager(params.role);
  const row = await db.begin(async (tx) => {
    const [deleted] = await tx<{ id: string }[]>`
      update public.service_account_trust_policies set deleted_at = now()
      where id = ${params.id} and organization_id = ${params.organizationId} and deleted_at is null
      returning id`;
    if (!deleted) throw notFoundError(NOT_FOUND);
    const [current] = await tx<PolicyRow[]>`select ${POLICY_COLUMNS(tx)} from ${POLICY_FROM(tx)} where tp.id = ${params.id}`;
    const [count] = await tx<{ minted: number }[]>`
      select count(*)::int as minted from public.api_keys where trust_policy_id = ${params.id} and revoked_at is null and expires_at > now()`;
    await recordAuditEvent(tx, {
      type: "trust_policy.deleted",
      organizationId: params.organizationId,
      userId: null,
      actor: params.actor,
      details: { ...auditDetails(current!), live_keys_refused: count?.minted ?? 0 },
    });
    return current!;
  });
  // Committed; now T, so no instance still serves a key it minted.
  await settleKeyChange();
  return toOutput(row);
}

/**
 * The live check: every live policy of the organization against a token (its signature and
 * times verified against its issuer's keys, when a policy names that issuer) or bare claims,
 * each with its reasons. Spends nothing: the token can still be exchanged.
 */
export async function testTrustPolicies(
  db: Db,
  params: { organizationId: string; role: Role; input: TestTrustPoliciesInput; keys: JwksCache; nowSeconds: number },
): Promise<TrustPolicyTest> {
  assertManager(params.role);
  const rows = await db<PolicyRow[]>`
    select ${POLICY_COLUMNS(db)} from ${POLICY_FROM(db)}
    join public.service_accounts sa on sa.id = tp.service_account_id and sa.deleted_at is null
    where tp.organization_id = ${params.organizationId} and tp.deleted_at is null
    order by tp.created_at, tp.id`;
  let claims: Record<string, unknown>;
  let signature: TrustPolicyTest["signature"] = "not_checked";
  let signatureError: string | null = null;
  if (params.input.token !== undefined) {
    let unverified: Record<string, unknown> | null = null;
    try {
      unverified = readUnverified(params.input.token).claims;
    } catch (error) {
      // Not a JWT: that is the check's answer (no claims, so no policy matches), not a bad request.
      signatureError = (error as Error).message;
    }
    claims = unverified ?? {};
    // Only an issuer a policy names is fetched from: a pasted token cannot make the app call anywhere else.
    if (unverified === null) {
      signature = "invalid";
    } else if (rows.some((row) => row.issuer === claims.iss)) {
      try {
        claims = await verifyToken(params.input.token, { keys: params.keys, nowSeconds: params.nowSeconds });
        signature = "verified";
      } catch (error) {
        if (!(error instanceof TokenRejected)) throw error;
        signature = "invalid";
        signatureError = error.message;
      }
    } else {
      signature = "invalid";
      signatureError = "no trust policy of this organization names the token's issuer, so its keys were not fetched";
    }
  } else {
    claims = params.input.claims!;
  }
  return trustPolicyTestOutput.parse({
    signature,
    signature_error: signatureError,
    results: rows.map((row) => {
      const { matches, reasons } = matchPolicy(matchable(row), claims);
      return { policy_id: row.id, name: row.name, service_account_id: row.service_account_id, enabled: row.enabled, matches, reasons };
    }),
  } satisfies TrustPolicyTest);
}
