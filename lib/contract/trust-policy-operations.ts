import { z } from "zod";

import { defineOperation, type OperationDefinition } from "./operation.ts";
import { idParam } from "./params.ts";
import {
  createTrustPolicyInput,
  DEFAULT_TOKEN_LIFETIME_S,
  exchangeTokenOutput,
  GITHUB_ACTIONS_ISSUER,
  ISSUED_TOKEN_TYPE,
  MAX_TOKEN_LIFETIME_S,
  MIN_TOKEN_LIFETIME_S,
  oauthErrorOutput,
  testTrustPoliciesInput,
  exchangeTokenInput,
  TOKEN_EXCHANGE_GRANT,
  trustPolicyListOutput,
  trustPolicyOutput,
  trustPolicyTestOutput,
  updateTrustPolicyInput,
} from "./trust-policies.ts";

// Keyless CI: trust policies on a service account, and the RFC 8693 token exchange that mints
// a short-lived key of that service account for a CI job (spread into ./operations.ts).

const BOTH = ["api_key", "session"] as const;
const SERVICE_ACCOUNT_ID = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
const POLICY_ID = "5e4d3c2b-1a09-4f8e-8d7c-6b5a4f3e2d1c";
const POLICY_EXAMPLE = {
  id: POLICY_ID,
  service_account_id: SERVICE_ACCOUNT_ID,
  name: "deploy from main",
  provider: "github",
  issuer: GITHUB_ACTIONS_ISSUER,
  audience: "https://tunedtensor.com",
  conditions: { repository_id: "892734561", repository_owner_id: "1234567", ref: "refs/heads/main" },
  allowed_events: [],
  scopes: ["specs:read", "specs:write"],
  token_lifetime_seconds: DEFAULT_TOKEN_LIFETIME_S,
  enabled: true,
  created_by: { id: "2b1e4c7a-9d3f-4e8b-a6c5-1f0e9d8c7b6a", email: "ada@example.com" },
  created_at: "2026-01-15T10:00:00.000Z",
  last_used_at: null,
  warnings: [],
};
const MANAGERS = "Owners and admins (`members:write`).";
const KILL_SWITCH =
  "Every key the policy minted is refused (`403`) from this response on, on every instance: the request answers only once no instance can still serve them.";

/** A schema as JSON Schema, for embedding in the document (which says its dialect once). */
function bareJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

export const trustPolicyOperations = {
  listTrustPolicies: defineOperation({
    method: "GET",
    path: "/api/v1/organization/service-accounts/{id}/trust-policies",
    summary: "List a service account's trust policies",
    description: `${MANAGERS} Oldest first; deleted ones are not listed.`,
    tag: "Keyless CI",
    credentials: BOTH,
    scope: "members:write",
    params: idParam,
    requestExample: { params: { id: SERVICE_ACCOUNT_ID } },
    response: { envelope: "data", status: 200, schema: trustPolicyListOutput, description: "The trust policies", example: [POLICY_EXAMPLE] },
  }),
  createTrustPolicy: defineOperation({
    method: "POST",
    path: "/api/v1/organization/service-accounts/{id}/trust-policies",
    summary: "Let CI jobs trade their OIDC token for a key of this service account",
    description:
      `${MANAGERS} The policy names the token's issuer, its audience (the app's URL by default) and conditions on its claims, ` +
      "compared exactly: a github policy must name the numeric `repository_id` and `repository_owner_id`, a gitlab policy " +
      "`project_id` and `namespace_id`, a custom one `sub` (names can be registered again by someone else; ids cannot). " +
      "Tokens from GitHub's `pull_request_target` and `workflow_run` events are refused unless `allowed_events` lists them " +
      "(code from a fork runs there with the repository's identity); such a policy is answered with a warning. " +
      `Scopes at most the service account's role's; minted keys live ${MIN_TOKEN_LIFETIME_S}–${MAX_TOKEN_LIFETIME_S} s ` +
      `(${DEFAULT_TOKEN_LIFETIME_S} by default). Audited as \`trust_policy.created\`.`,
    tag: "Keyless CI",
    credentials: BOTH,
    scope: "members:write",
    params: idParam,
    body: createTrustPolicyInput,
    bodyDescription: "The issuer, conditions, scopes and lifetime.",
    requestExample: {
      params: { id: SERVICE_ACCOUNT_ID },
      body: {
        name: "deploy from main",
        provider: "github",
        conditions: { repository_id: "892734561", repository_owner_id: "1234567", ref: "refs/heads/main" },
        scopes: ["specs:read", "specs:write"],
      },
    },
    response: { envelope: "data", status: 201, schema: trustPolicyOutput, description: "The trust policy", example: POLICY_EXAMPLE },
  }),
  updateTrustPolicy: defineOperation({
    method: "PATCH",
    path: "/api/v1/organization/trust-policies/{id}",
    summary: "Change or disable a trust policy",
    description:
      `${MANAGERS} \`enabled: false\` turns the trust off: ${KILL_SWITCH} Other changes apply to the keys minted from then on. ` +
      "Audited as `trust_policy.changed`.",
    tag: "Keyless CI",
    credentials: BOTH,
    scope: "members:write",
    params: idParam,
    body: updateTrustPolicyInput,
    bodyDescription: "The fields to change.",
    requestExample: { params: { id: POLICY_ID }, body: { enabled: false } },
    response: { envelope: "data", status: 200, schema: trustPolicyOutput, description: "The trust policy as it is now", example: { ...POLICY_EXAMPLE, enabled: false } },
  }),
  deleteTrustPolicy: defineOperation({
    method: "DELETE",
    path: "/api/v1/organization/trust-policies/{id}",
    summary: "Delete a trust policy",
    description: `${MANAGERS} ${KILL_SWITCH} The keys stay listed, with their attribution. Audited as \`trust_policy.deleted\`.`,
    tag: "Keyless CI",
    credentials: BOTH,
    scope: "members:write",
    params: idParam,
    requestExample: { params: { id: POLICY_ID } },
    response: { envelope: "data", status: 200, schema: trustPolicyOutput, description: "The deleted trust policy", example: POLICY_EXAMPLE },
  }),
  testTrustPolicies: defineOperation({
    method: "POST",
    path: "/api/v1/organization/trust-policies/test",
    summary: "Which trust policy would a token match, and why",
    description:
      `${MANAGERS} Matches a token (its signature and times checked against its issuer's keys too) or bare claims against every ` +
      "policy of the organization, each with the claim-by-claim reasons. Mints nothing and spends no token.",
    tag: "Keyless CI",
    credentials: BOTH,
    scope: "members:write",
    body: testTrustPoliciesInput,
    bodyDescription: "A token, or claims.",
    requestExample: { body: { claims: { iss: GITHUB_ACTIONS_ISSUER, repository_id: "892734561", repository_owner_id: "1234567", ref: "refs/heads/main" } } },
    response: {
      envelope: "data",
      status: 200,
      schema: trustPolicyTestOutput,
      description: "Per policy: whether it matches, and why",
      example: {
        signature: "not_checked",
        signature_error: null,
        results: [
          {
            policy_id: POLICY_ID,
            name: POLICY_EXAMPLE.name,
            service_account_id: SERVICE_ACCOUNT_ID,
            enabled: true,
            matches: true,
            reasons: [
              { claim: "iss", expected: GITHUB_ACTIONS_ISSUER, actual: GITHUB_ACTIONS_ISSUER, ok: true },
              { claim: "repository_id", expected: "892734561", actual: "892734561", ok: true },
            ],
          },
        ],
      },
    },
  }),
  exchangeToken: defineOperation({
    method: "POST",
    path: "/api/v1/oauth/token",
    summary: "Trade a CI job's OIDC token for a short-lived key (RFC 8693 token exchange)",
    description:
      "**No authentication**: the CI's token is the credential. Sent `application/x-www-form-urlencoded` as RFC 8693 has it " +
      `(JSON is accepted too): \`grant_type=${TOKEN_EXCHANGE_GRANT}\`, \`subject_token\` the job's OIDC token, ` +
      "`subject_token_type` `urn:ietf:params:oauth:token-type:id_token` (or `…:jwt`), and `audience` a trust policy's id when the " +
      "token matches more than one. The token's signature is checked against its issuer's published keys (RS256 or ES256), its " +
      "`exp`, `nbf` and `iat` with 60 s of clock skew, its `aud` against the policy's audience; each token (`iss`, `jti`) is " +
      "exchanged once. The answer is a `tt_` key of the policy's service account (`access_token`), expiring after the policy's " +
      `lifetime, with \`issued_token_type\` \`${ISSUED_TOKEN_TYPE}\`; it records the run's claims (\`minted_by\`) and is audited ` +
      "as `key.minted_by_oidc`. **Outside the envelope**, as OAuth clients expect: refusals are RFC 6749 §5.2's " +
      "`{error, error_description}` with `400` — `invalid_request` (a parameter missing or malformed), `unsupported_grant_type`, " +
      "`invalid_grant` (the token does not verify, has expired, was already exchanged, or matches no trust policy: which condition " +
      "failed is never said), `invalid_target` (`audience` names no policy, or the token matches several and `audience` must choose), " +
      "`invalid_scope` (a `scope` beyond the policy's). Every answer carries `Cache-Control: no-store`.",
    tag: "Keyless CI",
    credentials: [],
    scope: null,
    oauth: true,
    body: exchangeTokenInput,
    bodyDescription: "RFC 8693's parameters.",
    requestExample: {
      body: {
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token: "eyJhbGciOiJSUzI1NiIsImtpZCI6ImV4YW1wbGUifQ.the-ci-token.signature",
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      },
    },
    response: {
      envelope: "none",
      status: 200,
      jsonSchema: bareJsonSchema(exchangeTokenOutput),
      description: "The minted key (RFC 8693 §2.2.1), shown only in this response",
    },
  }),
} as const satisfies Record<string, OperationDefinition>;

/** RFC 6749 §5.2's error body, for the OpenAPI document. */
export const OAUTH_ERROR_JSON_SCHEMA = bareJsonSchema(oauthErrorOutput);
