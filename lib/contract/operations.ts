import { apiKeyOutput, createApiKeyInput, createdApiKeyOutput, rolledApiKeyOutput, rollApiKeyInput, updateApiKeyInput } from "./api-keys.ts";
import { auditEventOutput, auditEventsQuery, keyUsageOutput, keyUsageQuery } from "./activity.ts";
import { behaviorSpecOutput, createBehaviorSpecInput, updateBehaviorSpecInput } from "./behavior-specs.ts";
import { healthOutput, meOutput, pageMeta, paginationQuery } from "./common.ts";
import { createDeviceCodeInput, DEVICE_CODE_TTL_S, DEVICE_KEY_TTL_DAYS, deviceCodeOutput, deviceTokenInput, POLL_INTERVAL_S } from "./cli-login.ts";
import { errorEnvelope } from "./errors.ts";
import { MAX_REVOKE_CREDENTIALS, revokeCredentialsInput, revokeCredentialsOutput, SECRET_SCANNING_RESPONSE_SCHEMA, secretScanningReport } from "./leaks.ts";
import { defineOperation, type OperationDefinition } from "./operation.ts";
import { organizationOperations } from "./organization-operations.ts";
import { trustPolicyOperations } from "./trust-policy-operations.ts";
import {
  acceptInvitationInput,
  createInvitationInput,
  createOrganizationInput,
  createServiceAccountInput,
  deleteOrganizationInput,
  invitationOutput,
  memberOutput,
  organizationOutput,
  organizationPolicy,
  serviceAccountOutput,
  updateMemberInput,
  updateOrganizationInput,
  updateOrganizationPolicyInput,
} from "./organizations.ts";
import { idParam } from "./params.ts";
import { SCOPES } from "./scopes.ts";
import {
  createTrustPolicyInput,
  exchangeTokenInput,
  exchangeTokenOutput,
  mintedByOutput,
  oauthErrorOutput,
  testTrustPoliciesInput,
  trustPolicyListOutput,
  trustPolicyOutput,
  trustPolicyTestOutput,
  updateTrustPolicyInput,
} from "./trust-policies.ts";

// Every operation of /api/v1, one definition each, keyed by its OpenAPI operationId.
// app/api/v1/**/route.ts serves each with lib/api/serve.ts, lib/api/openapi.ts describes
// each, the dashboard calls them with lib/ui/api.ts and the CLI takes its types from here.
// `scope` is what an API key needs to call the operation (lib/contract/scopes.ts), or null:
// any key (or none at all, for a public operation). A session has every scope.

// Examples for the document (not live data). Not a well-formed key on purpose in
// createApiKey's example: an example must never look like a live secret to secret scanners.
const SPEC_EXAMPLE = {
  id: "6f1d3c2e-8a4b-4c1d-9e7f-0a1b2c3d4e5f",
  name: "Support tone",
  description: "Polite, short answers for customer support",
  system_prompt: "You are a helpful support agent.",
  guidelines: ["Greet the customer by name"],
  constraints: ["Never promise refunds"],
  examples: [{ input: "Where is my order?", output: "Sorry for the wait! Could you share your order number?" }],
  base_model: "meta-llama/Llama-3.2-3B-Instruct",
  created_at: "2026-01-15T10:00:00.000Z",
  updated_at: "2026-01-15T10:00:00.000Z",
};
const KEY_EXAMPLE = {
  id: "0b7c9f8e-2d3a-4e5b-8c6d-7e8f9a0b1c2d",
  name: "CI",
  key_prefix: "tt_Gs6WOD23",
  scopes: [...SCOPES],
  scopes_used: ["specs:read"],
  created_at: "2026-01-15T10:00:00.000Z",
  last_used_at: null,
  expires_at: null,
  revoked_at: null,
  revoked_reason: null,
  exposed_url: null,
  replaced_by: null,
  replaces: null,
  holder: { type: "member", id: "2b1e4c7a-9d3f-4e8b-a6c5-1f0e9d8c7b6a" },
  out_of_policy: null,
  minted_by: null,
};

/** The fields of SPEC_EXAMPLE a client sends. */
const SPEC_INPUT_EXAMPLE = {
  name: SPEC_EXAMPLE.name,
  description: SPEC_EXAMPLE.description,
  system_prompt: SPEC_EXAMPLE.system_prompt,
  guidelines: SPEC_EXAMPLE.guidelines,
  constraints: SPEC_EXAMPLE.constraints,
  examples: SPEC_EXAMPLE.examples,
  base_model: SPEC_EXAMPLE.base_model,
};
const DEVICE_CODE_EXAMPLE = "example-device-code-00000000000000000000000";

const BOTH = ["api_key", "session"] as const;

export const operations = {
  getHealth: defineOperation({
    method: "GET",
    path: "/api/v1/health",
    summary: "Liveness check",
    description: "For load balancers and monitors: no credentials, no database.",
    tag: "Meta",
    credentials: [],
    scope: null,
    response: { envelope: "data", status: 200, schema: healthOutput, description: "The app is up", example: { status: "ok" } },
  }),
  getOpenApiDocument: defineOperation({
    method: "GET",
    path: "/api/v1/openapi.json",
    summary: "This OpenAPI 3.1 document",
    description: "The document itself, as plain JSON (not in the `{data}` envelope), cacheable for 5 minutes.",
    tag: "Meta",
    credentials: [],
    scope: null,
    response: { envelope: "none", status: 200, jsonSchema: { type: "object", description: "An OpenAPI 3.1.0 document" }, description: "The OpenAPI document" },
  }),
  getMe: defineOperation({
    method: "GET",
    path: "/api/v1/me",
    summary: "Who is calling",
    description:
      "The authenticated user and how the request was authenticated (which API key, with its scopes, or the session). " +
      'With the session cookie, `authentication` is `{"method": "session", "scopes": […]}`: a session has its role\'s scopes in the organization. ' +
      "`organization` is the one the request acts in (a key's own; for a session, the `Tt-Organization` header's, else the personal workspace). " +
      "No scope is needed: any valid key may ask.",
    tag: "Account",
    credentials: BOTH,
    scope: null,
    response: {
      envelope: "data",
      status: 200,
      schema: meOutput,
      description: "The caller",
      example: {
        user: { id: "2b1e4c7a-9d3f-4e8b-a6c5-1f0e9d8c7b6a", email: "ada@example.com" },
        organization: { id: "3c9a2f1e-5b7d-4e8a-9c6b-2d1f0e9a8b7c", slug: "acme", name: "Acme", personal: false, role: "developer" },
        service_account: null,
        authentication: {
          method: "api_key",
          key_id: KEY_EXAMPLE.id,
          key_prefix: KEY_EXAMPLE.key_prefix,
          scopes: ["specs:read", "keys:read"],
          scopes_used: ["specs:read"],
        },
      },
    },
  }),
  listApiKeys: defineOperation({
    method: "GET",
    path: "/api/v1/api-keys",
    summary: "List API keys",
    description: "The caller's keys, newest first, revoked and expired ones included. Never the key itself or its hash: `key_prefix` tells keys apart.",
    tag: "API keys",
    credentials: BOTH,
    scope: "keys:read",
    query: paginationQuery,
    requestExample: { query: { page: "1", per_page: "20" } },
    response: { envelope: "page", status: 200, schema: apiKeyOutput, description: "One page of keys", example: [KEY_EXAMPLE] },
  }),
  createApiKey: defineOperation({
    method: "POST",
    path: "/api/v1/api-keys",
    summary: "Create an API key",
    description:
      "**Session only**: an API key cannot create keys (403), so a leaked key cannot mint its own replacements. " +
      "Call it from the dashboard or browser JavaScript on the app's origin. The response is the only time the full key is sent: store it now.",
    tag: "API keys",
    // A leaked key must not be able to mint its own replacements and outlive revocation.
    credentials: ["session"],
    scope: null,
    forbiddenMessage: "API keys cannot create API keys; create one in the dashboard (Settings → API Keys)",
    mintsCredential: true,
    body: createApiKeyInput,
    bodyDescription: "The new key's name, optional expiry and scopes (every scope when omitted).",
    requestExample: { body: { name: "CI", expires_at: "2027-01-01T00:00:00Z", scopes: ["specs:read", "keys:read"] } },
    response: {
      envelope: "data",
      status: 201,
      schema: createdApiKeyOutput,
      description: "The created key, including the full `key` (shown only this once)",
      example: { ...KEY_EXAMPLE, key: "tt_Gs6WOD23-example-the-full-key-appears-here-once" },
    },
  }),
  updateApiKey: defineOperation({
    method: "PATCH",
    path: "/api/v1/api-keys/{id}",
    summary: "Rename an API key or narrow its scopes",
    description:
      "**Session only**, like creating keys: an API key cannot change keys (403). Renames the key, or narrows it: `scopes` may only " +
      "drop scopes the key has. A scope the key does not have is a `400 validation_error` saying scopes can only be narrowed, and " +
      "nothing changes — not even a name sent with it. A leaked key never gains power: make a new key instead. " +
      "A revoked key cannot be changed (404).",
    tag: "API keys",
    credentials: ["session"],
    scope: null,
    forbiddenMessage: "API keys cannot change API keys; rename or narrow keys in the dashboard (Settings → API Keys)",
    params: idParam,
    body: updateApiKeyInput,
    bodyDescription: "The new name and/or the narrower scopes.",
    requestExample: { params: { id: KEY_EXAMPLE.id }, body: { scopes: ["specs:read"] } },
    response: {
      envelope: "data",
      status: 200,
      schema: apiKeyOutput,
      description: "The key as it is now",
      example: { ...KEY_EXAMPLE, scopes: ["specs:read"] },
    },
  }),
  revokeApiKey: defineOperation({
    method: "DELETE",
    path: "/api/v1/api-keys/{id}",
    summary: "Revoke an API key",
    description:
      "Revokes the key at once: from this response on, requests with it get `403 forbidden`. " +
      "A key may revoke itself. Revoking an already revoked key succeeds and keeps the first `revoked_at`. The key stays listed, with " +
      "`revoked_at` set (a soft delete), so a revoked key is recognised and answered with `403` rather than `401`.",
    tag: "API keys",
    credentials: BOTH,
    scope: "keys:write",
    params: idParam,
    requestExample: { params: { id: KEY_EXAMPLE.id } },
    response: {
      envelope: "data",
      status: 200,
      schema: apiKeyOutput,
      description: "The revoked key",
      example: { ...KEY_EXAMPLE, revoked_at: "2026-01-16T09:30:00.000Z" },
    },
  }),
  rollApiKey: defineOperation({
    method: "POST",
    path: "/api/v1/api-keys/{id}/roll",
    summary: "Roll an API key: a new key now, the old one until the grace window ends",
    description:
      "**Session only**, like creating keys (it mints one). Makes a new key with the same name and scopes, and an expiry as long " +
      "as the old key's original lifetime counted from now (none if it had none; at most 10 years from now); the full key is in this response only. The old key keeps working " +
      "until `now + grace_seconds` (or its own earlier expiry), then is refused like any expired key (`401`). The two point at each " +
      "other (`replaced_by`, `replaces`). A key is rolled once: roll its replacement next time. A key that is revoked, expired or " +
      "already rolled cannot be rolled: `409 conflict`, and nothing is created; of two rolls of one key at the same moment, one " +
      "succeeds and the other is the `409`.",
    tag: "API keys",
    credentials: ["session"],
    scope: null,
    forbiddenMessage: "API keys cannot roll API keys; roll keys in the dashboard (Settings → API Keys)",
    mintsCredential: true,
    params: idParam,
    body: rollApiKeyInput,
    bodyDescription: "The grace window of the old key (`{}` for the default, 24 hours).",
    errors: ["conflict"],
    requestExample: { params: { id: KEY_EXAMPLE.id }, body: { grace_seconds: 3600 } },
    response: {
      envelope: "data",
      status: 201,
      schema: rolledApiKeyOutput,
      description: "The new key, including the full `key` (shown only this once), and the old key as it is now",
      example: {
        ...KEY_EXAMPLE,
        id: "5d2e8f3a-6b1c-4d7e-9a0f-1b2c3d4e5f60",
        key_prefix: "tt_Hq71PLx2",
        replaces: KEY_EXAMPLE.id,
        key: "tt_Hq71PLx2-example-the-full-key-appears-here-once",
        previous: { ...KEY_EXAMPLE, replaced_by: "5d2e8f3a-6b1c-4d7e-9a0f-1b2c3d4e5f60", expires_at: "2026-01-16T10:00:00.000Z" },
      },
    },
  }),
  revokeCredentials: defineOperation({
    method: "POST",
    path: "/api/v1/credentials/revoke",
    summary: "Report exposed API keys: every live one is revoked at once",
    description:
      "**No authentication**: whoever finds a Tuned Tensor key (in a paste, a log, a public repository) can hand it in, as with " +
      `GitHub's credential revocation API. At most ${MAX_REVOKE_CREDENTIALS} credentials per request. Every live key among them is revoked at once ` +
      "(its requests then get `403` saying it was found exposed) and its owner is told by e-mail. The answer is always `202`, " +
      "whatever was sent: it never says which keys existed. Strings that are not well-formed keys (a bad checksum) cost no database " +
      "work. Rate-limited per client (`429`).",
    tag: "Leaked keys",
    credentials: [],
    scope: null,
    body: revokeCredentialsInput,
    bodyDescription: "The exposed keys, in full.",
    errors: ["rate_limited"],
    requestExample: { body: { credentials: ["tt_the-exposed-key-in-full"] } },
    response: { envelope: "data", status: 202, schema: revokeCredentialsOutput, description: "Received; nothing more is said", example: { received: 1 } },
  }),
  createDeviceCode: defineOperation({
    method: "POST",
    path: "/api/v1/cli/device-codes",
    summary: "Start a CLI login through the browser (RFC 8628 device authorization)",
    description:
      "**No authentication**: what `tt auth login` calls first. The answer's `device_code` is the CLI's secret for polling " +
      "POST /api/v1/cli/token; the person opens `verification_uri_complete` in a signed-in browser, compares `user_code` and " +
      `approves or denies. Both codes expire after ${DEVICE_CODE_TTL_S} s and are used once. Only the device code's SHA-256 is stored. ` +
      "Limited per client (a few a minute; `429` with `Retry-After`), and in the number of requests pending at once (`429` too, " +
      "with `Retry-After` when the first of them expires).",
    tag: "CLI login",
    credentials: [],
    scope: null,
    body: createDeviceCodeInput,
    errors: ["rate_limited"],
    bodyDescription: "The scopes asked for and what is asking (shown on the approval page).",
    requestExample: { body: { scopes: ["specs:read", "specs:write"], client: { hostname: "build-box", os: "linux x64", version: "0.1.0" } } },
    response: {
      envelope: "data",
      status: 201,
      schema: deviceCodeOutput,
      description: "The device code, the user code and where to approve it",
      example: {
        device_code: DEVICE_CODE_EXAMPLE,
        user_code: "BCDF-GHJK",
        verification_uri: "https://tunedtensor.com/cli/authorize",
        verification_uri_complete: "https://tunedtensor.com/cli/authorize?code=BCDF-GHJK",
        expires_in: DEVICE_CODE_TTL_S,
        interval: POLL_INTERVAL_S,
      },
    },
  }),
  exchangeDeviceCode: defineOperation({
    method: "POST",
    path: "/api/v1/cli/token",
    summary: "Poll for the key of a CLI login (RFC 8628 device access token)",
    description:
      "**No authentication**: the device code is the credential. Until the person decides, `400 authorization_pending`; polled " +
      "faster than `interval`, `400 slow_down` (and the interval grows by 5 s); after the person denied, `400 access_denied`; " +
      "after expiry, `400 expired_token`; an unknown or already used device code, `400 invalid_grant`. Once approved, the next poll " +
      `mints the key (\`tt CLI on <hostname>\`, the scopes asked for, expiring after ${DEVICE_KEY_TTL_DAYS} days) and answers it, ` +
      "once: the device code is spent. Polls with device codes nobody issued are limited per client like creations (`429` with `Retry-After`).",
    tag: "CLI login",
    credentials: [],
    scope: null,
    body: deviceTokenInput,
    bodyDescription: "The device code to poll with.",
    errors: ["authorization_pending", "slow_down", "expired_token", "access_denied", "invalid_grant", "rate_limited"],
    requestExample: { body: { device_code: DEVICE_CODE_EXAMPLE } },
    response: {
      envelope: "data",
      status: 201,
      schema: createdApiKeyOutput,
      description: "The minted key (named `tt CLI on <hostname>`, the scopes asked for, a 90-day expiry), including the full `key` (shown only this once)",
      example: { ...KEY_EXAMPLE, name: "tt CLI on build-box", expires_at: "2026-04-15T10:00:00.000Z", key: "tt_Gs6WOD23-example-the-full-key-appears-here-once" },
    },
  }),
  reportGitHubSecretScanning: defineOperation({
    method: "POST",
    path: "/api/v1/secret-scanning/github",
    summary: "GitHub secret scanning partner endpoint",
    description:
      "Called by GitHub when its secret scanning finds `tt_` keys in public content. The body is GitHub's report, signed: " +
      "`Github-Public-Key-Identifier` names one of GitHub's published public keys and `Github-Public-Key-Signature` is an ECDSA " +
      "(P-256, SHA-256, base64 DER) signature of the exact body bytes. A request that does not verify is `401` and nothing else " +
      "happens. Every live key reported is revoked within the request (reason `leaked`, with the URL where it was found) and its " +
      "owner is told by e-mail. The answer is GitHub's per-token labels.",
    tag: "Leaked keys",
    credentials: [],
    scope: null,
    body: secretScanningReport,
    verbatimBody: true,
    bodyDescription: "GitHub's report (a JSON array), exactly as signed.",
    errors: ["unauthorized"],
    requestExample: { body: [{ token: "tt_the-exposed-key-in-full", type: "tuned_tensor_api_key", url: "https://github.com/octo/repo/blob/main/.env", source: "content" }] },
    response: { envelope: "none", status: 200, jsonSchema: SECRET_SCANNING_RESPONSE_SCHEMA, description: "A label per reported token" },
  }),
  getApiKeyUsage: defineOperation({
    method: "GET",
    path: "/api/v1/api-keys/{id}/usage",
    summary: "An API key's usage",
    description:
      "Requests made with the key per day (or hour) over the last `days` days, by outcome: 2xx, 4xx, 5xx, and the key's own " +
      "refusals (401/403), plus the last address and user agent seen. Counted in memory by each instance and written once a " +
      "minute, so the last minute may be missing. Kept 90 days.",
    tag: "Activity",
    credentials: BOTH,
    // Sign-ins with their addresses and user agents: not for a key made to list keys.
    scope: "activity:read",
    params: idParam,
    query: keyUsageQuery,
    requestExample: { params: { id: KEY_EXAMPLE.id }, query: { days: "30", granularity: "day" } },
    response: {
      envelope: "data",
      status: 200,
      schema: keyUsageOutput,
      description: "The key's usage",
      example: {
        key: { id: KEY_EXAMPLE.id, key_prefix: KEY_EXAMPLE.key_prefix },
        days: 1,
        granularity: "day",
        buckets: [{ start: "2026-01-16T00:00:00.000Z", success: 41, client_error: 2, server_error: 0, refused: 1 }],
        totals: { success: 41, client_error: 2, server_error: 0, refused: 1 },
        last_seen_at: "2026-01-16T09:29:00.000Z",
        last_ip: "203.0.113.7",
        last_user_agent: "tt-cli/0.1.0",
      },
    },
  }),
  listAuditEvents: defineOperation({
    method: "GET",
    path: "/api/v1/audit-events",
    summary: "The security log",
    description:
      "The caller's audit events, newest first: keys created, renamed, narrowed, rolled and revoked (and by whom), expiry mails, " +
      "sign-ins and sign-outs, two-factor changes. Filter by `key_id` and by time (`since` inclusive, `until` exclusive). " +
      "Events are append-only and kept 400 days.",
    tag: "Activity",
    credentials: BOTH,
    // Sign-ins with their addresses and user agents: not for a key made to list keys.
    scope: "activity:read",
    query: auditEventsQuery,
    requestExample: { query: { key_id: KEY_EXAMPLE.id, since: "2026-01-01T00:00:00Z" } },
    response: {
      envelope: "page",
      status: 200,
      schema: auditEventOutput,
      description: "One page of events",
      example: [
        {
          id: "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
          type: "key.revoked",
          occurred_at: "2026-01-16T09:30:00.000Z",
          actor: { type: "session", key: null },
          ip: "203.0.113.7",
          user_agent: "Mozilla/5.0",
          key: { id: KEY_EXAMPLE.id, key_prefix: KEY_EXAMPLE.key_prefix },
          details: { by: "owner" },
        },
      ],
    },
  }),
  listBehaviorSpecs: defineOperation({
    method: "GET",
    path: "/api/v1/behavior-specs",
    summary: "List behaviour specs",
    description: "The caller's specs, newest first.",
    tag: "Behaviour specs",
    credentials: BOTH,
    scope: "specs:read",
    query: paginationQuery,
    requestExample: { query: { page: "1", per_page: "20" } },
    response: { envelope: "page", status: 200, schema: behaviorSpecOutput, description: "One page of specs", example: [SPEC_EXAMPLE] },
  }),
  createBehaviorSpec: defineOperation({
    method: "POST",
    path: "/api/v1/behavior-specs",
    summary: "Create a behaviour spec",
    tag: "Behaviour specs",
    credentials: BOTH,
    scope: "specs:write",
    body: createBehaviorSpecInput,
    bodyDescription: "The new spec.",
    requestExample: { body: SPEC_INPUT_EXAMPLE },
    response: { envelope: "data", status: 201, schema: behaviorSpecOutput, description: "The created spec", example: SPEC_EXAMPLE },
  }),
  getBehaviorSpec: defineOperation({
    method: "GET",
    path: "/api/v1/behavior-specs/{id}",
    summary: "Get a behaviour spec",
    tag: "Behaviour specs",
    credentials: BOTH,
    scope: "specs:read",
    params: idParam,
    requestExample: { params: { id: SPEC_EXAMPLE.id } },
    response: { envelope: "data", status: 200, schema: behaviorSpecOutput, description: "The spec", example: SPEC_EXAMPLE },
  }),
  updateBehaviorSpec: defineOperation({
    method: "PATCH",
    path: "/api/v1/behavior-specs/{id}",
    summary: "Update a behaviour spec",
    description:
      "Changes only the fields sent; the others keep their values. `null` clears `description` or `system_prompt`; " +
      "`[]` clears `guidelines` or `constraints`; an array sent replaces the old one whole (`examples` must still have 1–500 items). " +
      "Only `description` and `system_prompt` accept null. A body with no field is a 400.",
    tag: "Behaviour specs",
    credentials: BOTH,
    scope: "specs:write",
    params: idParam,
    body: updateBehaviorSpecInput,
    bodyDescription: "The fields to change.",
    requestExample: { params: { id: SPEC_EXAMPLE.id }, body: { name: "Support tone v2", system_prompt: null } },
    response: {
      envelope: "data",
      status: 200,
      schema: behaviorSpecOutput,
      description: "The updated spec",
      example: { ...SPEC_EXAMPLE, name: "Support tone v2", updated_at: "2026-01-16T08:00:00.000Z" },
    },
  }),
  deleteBehaviorSpec: defineOperation({
    method: "DELETE",
    path: "/api/v1/behavior-specs/{id}",
    summary: "Delete a behaviour spec",
    description: "Deletes the spec for good and answers with what was deleted; the same request again is a `404`.",
    tag: "Behaviour specs",
    credentials: BOTH,
    scope: "specs:write",
    params: idParam,
    requestExample: { params: { id: SPEC_EXAMPLE.id } },
    response: { envelope: "data", status: 200, schema: behaviorSpecOutput, description: "The deleted spec", example: SPEC_EXAMPLE },
  }),
  ...organizationOperations,
  ...trustPolicyOperations,
} as const satisfies Record<string, OperationDefinition>;

export type Operations = typeof operations;
export type OperationId = keyof Operations;

/** The methods a path has, in the order its operations are listed (for 405's `Allow`). */
export function methodsAt(path: OperationDefinition["path"]): OperationDefinition["method"][] {
  const methods = Object.values(operations as Record<string, OperationDefinition>)
    .filter((operation) => operation.path === path)
    .map((operation) => operation.method);
  if (methods.length === 0) throw new Error(`No operation of the contract has the path ${path}`);
  return methods;
}

/** The shapes' names, as clients know them: the OpenAPI document's components.schemas. */
export const NAMED_SCHEMAS = {
  Error: errorEnvelope,
  PageMeta: pageMeta,
  Health: healthOutput,
  Me: meOutput,
  ApiKey: apiKeyOutput,
  CreatedApiKey: createdApiKeyOutput,
  CreateApiKeyInput: createApiKeyInput,
  CreateDeviceCodeInput: createDeviceCodeInput,
  DeviceCode: deviceCodeOutput,
  DeviceTokenInput: deviceTokenInput,
  UpdateApiKeyInput: updateApiKeyInput,
  RollApiKeyInput: rollApiKeyInput,
  RolledApiKey: rolledApiKeyOutput,
  RevokeCredentialsInput: revokeCredentialsInput,
  CredentialsReceived: revokeCredentialsOutput,
  SecretScanningReport: secretScanningReport,
  AuditEvent: auditEventOutput,
  KeyUsage: keyUsageOutput,
  BehaviorSpec: behaviorSpecOutput,
  CreateBehaviorSpecInput: createBehaviorSpecInput,
  UpdateBehaviorSpecInput: updateBehaviorSpecInput,
  Organization: organizationOutput,
  CreateOrganizationInput: createOrganizationInput,
  UpdateOrganizationInput: updateOrganizationInput,
  DeleteOrganizationInput: deleteOrganizationInput,
  OrganizationPolicy: organizationPolicy,
  UpdateOrganizationPolicyInput: updateOrganizationPolicyInput,
  Member: memberOutput,
  UpdateMemberInput: updateMemberInput,
  Invitation: invitationOutput,
  CreateInvitationInput: createInvitationInput,
  AcceptInvitationInput: acceptInvitationInput,
  ServiceAccount: serviceAccountOutput,
  CreateServiceAccountInput: createServiceAccountInput,
  TrustPolicy: trustPolicyOutput,
  TrustPolicyList: trustPolicyListOutput,
  CreateTrustPolicyInput: createTrustPolicyInput,
  UpdateTrustPolicyInput: updateTrustPolicyInput,
  TestTrustPoliciesInput: testTrustPoliciesInput,
  TrustPolicyTest: trustPolicyTestOutput,
  MintedBy: mintedByOutput,
  TokenExchangeInput: exchangeTokenInput,
  TokenExchangeOutput: exchangeTokenOutput,
  OAuthError: oauthErrorOutput,
} as const;
