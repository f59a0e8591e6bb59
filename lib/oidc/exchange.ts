import "server-only";

import type { AuditActor } from "@/lib/activity/audit-actor";
import { insertApiKey } from "@/lib/api-keys/service";
import {
  canonicalScopes,
  exchangeTokenOutput,
  ISSUED_TOKEN_TYPE,
  SCOPES,
  type ExchangeTokenInput,
  type ExchangeTokenOutput,
  type OAuthErrorCode,
  type Scope,
} from "@/lib/contract";
import type { Db } from "@/lib/db";

import type { JwksCache } from "./jwks-cache";
import { matchPolicy, mintedBy, mintedKeyName } from "./policy-matcher";
import { matchable, POLICY_COLUMNS, POLICY_FROM, type PolicyRow } from "./trust-policies";
import { readUnverified, TokenRejected, verifyToken } from "./verify-token";

// The token exchange (RFC 8693): a CI job's OIDC token for a short-lived key of the service
// account whose trust policy the token matches. In order: the token read unverified for its
// issuer — only an issuer an enabled policy names is ever fetched from, so a token cannot
// make the app call anywhere else; the signature and times (lib/oidc/verify-token.ts); the
// policies of that issuer matched (lib/oidc/policy-matcher.ts), never saying which condition
// failed; then, in one transaction, the token spent (public.oidc_token_uses: one exchange per
// issuer and jti), the policy re-read under a share lock (a disable or delete either commits
// first and this refuses, or waits for this key and then turns it off with the others) and
// the key inserted with its attribution and its key.minted_by_oidc event.

/** A refusal in RFC 6749 §5.2's terms: the route answers `{ error, error_description }` with 400. */
export class OAuthError extends Error {
  readonly code: OAuthErrorCode;
  constructor(code: OAuthErrorCode, description: string) {
    super(description);
    this.code = code;
  }
}
OAuthError.prototype.name = "OAuthError";

export const NO_POLICY = "the token matches no trust policy";

type LivePolicy = PolicyRow & { organization_id: string };

export async function exchangeToken(
  db: Db,
  params: { input: ExchangeTokenInput; keys: JwksCache; nowMs: number; actor: AuditActor },
): Promise<ExchangeTokenOutput> {
  const { input } = params;
  let issuer: string;
  try {
    issuer = readUnverified(input.subject_token).claims.iss as string;
  } catch (error) {
    throw new OAuthError("invalid_request", `subject_token: ${(error as Error).message}`);
  }
  const candidates = await db<LivePolicy[]>`
    select ${POLICY_COLUMNS(db)} from ${POLICY_FROM(db)}
    join public.service_accounts sa on sa.id = tp.service_account_id and sa.deleted_at is null
    where tp.issuer = ${issuer} and tp.enabled and tp.deleted_at is null
      ${input.audience ? db`and tp.id = ${input.audience}` : db``}`;
  if (candidates.length === 0) {
    if (input.audience) throw new OAuthError("invalid_target", "audience names no enabled trust policy for this token's issuer");
    throw new OAuthError("invalid_grant", NO_POLICY);
  }

  let claims: Record<string, unknown>;
  try {
    claims = await verifyToken(input.subject_token, { keys: params.keys, nowSeconds: Math.floor(params.nowMs / 1000) });
  } catch (error) {
    if (error instanceof TokenRejected) throw new OAuthError("invalid_grant", error.message);
    throw error;
  }
  if (typeof claims.jti !== "string" || claims.jti.length === 0 || claims.jti.length > 256) {
    throw new OAuthError("invalid_grant", "the token has no jti, so it could be exchanged more than once");
  }

  const matching = candidates.filter((policy) => matchPolicy(matchable(policy), claims).matches);
  if (matching.length === 0) throw new OAuthError("invalid_grant", NO_POLICY);
  if (matching.length > 1) {
    throw new OAuthError("invalid_target", `the token matches ${matching.length} trust policies: send audience=<the trust policy's id> to choose one`);
  }
  const policy = matching[0]!;
  const scopes = grantedScopes(input.scope, policy.scopes);

  const by = mintedBy(policy, claims);
  const expiresAt = new Date(params.nowMs + policy.token_lifetime_seconds * 1000);
  const key = await db.begin(async (tx) => {
    const [spent] = await tx<{ jti: string }[]>`
      insert into public.oidc_token_uses (issuer, jti, expires_at)
      values (${issuer}, ${claims.jti as string}, to_timestamp(${Number(claims.exp)}))
      on conflict do nothing
      returning jti`;
    if (!spent) throw new OAuthError("invalid_grant", "the token was already exchanged (each token is exchanged once)");
    // Held until the key is inserted: a concurrent disable or delete either waits for this key
    // (and then turns it off with the others) or commits first and is seen here. The policy's
    // row is locked for the update of its last_used_at below: two exchanges holding a share
    // lock on it would each wait for the other's to update it (a deadlock); this lock makes the
    // exchanges of one policy take turns for the few milliseconds of their transactions.
    const [live] = await tx<{ organization_id: string }[]>`
      select tp.organization_id from public.service_account_trust_policies tp
      join public.service_accounts sa on sa.id = tp.service_account_id and sa.deleted_at is null
      where tp.id = ${policy.id} and tp.enabled and tp.deleted_at is null
      for no key update of tp for share of sa`;
    if (!live) throw new OAuthError("invalid_grant", NO_POLICY);
    await tx`update public.service_account_trust_policies set last_used_at = now() where id = ${policy.id}`;
    const { key: fullKey } = await insertApiKey(tx, {
      organizationId: policy.organization_id,
      holder: { serviceAccountId: policy.service_account_id },
      name: mintedKeyName(by),
      expires_at: expiresAt.toISOString(),
      scopes,
      actor: params.actor,
      // Not read for a new key's row here (no answer is built from it).
      policy: { maxKeyLifetimeDays: null, memberKeyScopes: SCOPES },
      mintedBy: by,
    });
    return fullKey;
  });
  return exchangeTokenOutput.parse({
    access_token: key,
    issued_token_type: ISSUED_TOKEN_TYPE,
    token_type: "Bearer",
    expires_in: policy.token_lifetime_seconds,
    scope: scopes.join(" "),
  } satisfies ExchangeTokenOutput);
}

/** The scopes the key gets: the policy's, or the fewer the request asks for (`scope`, space-separated). */
function grantedScopes(asked: string | undefined, policyScopes: readonly string[]): Scope[] {
  const granted = canonicalScopes(policyScopes);
  if (asked === undefined || asked.trim() === "") return granted;
  const names = asked.trim().split(/\s+/);
  const beyond = names.filter((name) => !granted.includes(name as Scope));
  if (beyond.length > 0) throw new OAuthError("invalid_scope", `${beyond.join(", ")} ${beyond.length === 1 ? "is" : "are"} not among the trust policy's scopes (${granted.join(" ")})`);
  return canonicalScopes(names);
}
