import { z } from "zod";

// Before any schema: no eval in the browser (./jitless.ts); a client component may import this module alone.
import "./jitless.ts";
import { distinctList } from "./distinct-list.ts";

import { TRUST_POLICY_PROVIDERS } from "./minted-by.ts";
import { scope, scopeList } from "./scopes.ts";
import { plainText } from "./text.ts";

// Keyless CI (docs/ARCHITECTURE.md, "Keyless CI"): a trust policy on a service account says
// which CI jobs may trade the OIDC token their provider signs for a short-lived key of that
// service account (POST /api/v1/oauth/token, RFC 8693). A job is named by its token's claims,
// compared exactly with the policy's conditions; the numeric ids are required because names
// (a repository's, a GitLab project's path) can be registered again by someone else.

export { MINTED_BY_CLAIMS, mintedByOutput, TRUST_POLICY_PROVIDERS, type MintedBy } from "./minted-by.ts";
export type TrustPolicyProvider = (typeof TRUST_POLICY_PROVIDERS)[number];

export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";
export const GITLAB_COM_ISSUER = "https://gitlab.com";
/** The issuer a provider's policy gets when none is sent (custom has none: it must be sent). */
export const DEFAULT_ISSUERS: Record<TrustPolicyProvider, string | null> = {
  github: GITHUB_ACTIONS_ISSUER,
  gitlab: GITLAB_COM_ISSUER,
  custom: null,
};

/** The conditions a policy of each provider must have (numeric ids: names can be re-registered). */
export const REQUIRED_CONDITIONS: Record<TrustPolicyProvider, readonly string[]> = {
  github: ["repository_id", "repository_owner_id"],
  gitlab: ["project_id", "namespace_id"],
  custom: ["sub"],
};
/** Conditions whose value must be a decimal number (as a string). */
export const NUMERIC_CONDITIONS: readonly string[] = ["repository_id", "repository_owner_id", "project_id", "namespace_id"];
/** The optional conditions the forms offer for each provider (any claim may be a condition). */
export const OPTIONAL_CONDITIONS: Record<TrustPolicyProvider, readonly string[]> = {
  github: ["ref", "environment", "workflow_ref", "event_name"],
  gitlab: ["ref", "ref_protected", "environment", "ref_type"],
  custom: [],
};

/**
 * GitHub events in which code the repository did not approve runs with the repository's
 * identity (a fork's pull request against `pull_request_target`, anything that triggers
 * `workflow_run`): a token from them is refused unless the policy lists the event in
 * `allowed_events`, and such a policy is answered with a warning.
 */
export const UNTRUSTED_EVENTS = ["pull_request_target", "workflow_run"] as const;

export const MIN_TOKEN_LIFETIME_S = 60;
export const MAX_TOKEN_LIFETIME_S = 3600;
export const DEFAULT_TOKEN_LIFETIME_S = 900;

/** RFC 8693's names. */
export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const SUBJECT_TOKEN_TYPES = ["urn:ietf:params:oauth:token-type:id_token", "urn:ietf:params:oauth:token-type:jwt"] as const;
export const ISSUED_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

const timestamp = z.iso.datetime({ offset: true });

// A claim's name (`repository_id`, `ref_protected`, `namespace_path`) and its exact value.
const CLAIM_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;
const claimName = z.string().regex(CLAIM_NAME, { message: "must be a claim name: a letter or _, then letters, digits, _ . : - (at most 64)" });
const claimValue = z.string().min(1, { message: "must not be empty" }).max(512);
export const trustConditions = z
  .record(claimName, claimValue)
  .refine((conditions) => Object.keys(conditions).length <= 20, { message: "must have at most 20 conditions" })
  .describe("Claim → the exact value the token's claim must have (numbers and booleans as strings: \"123456\", \"true\")");
export type TrustConditions = z.output<typeof trustConditions>;

const GITHUB_EVENT = /^[a-z_]{1,64}$/;
const allowedEvents = distinctList(z.array(z.string().regex(GITHUB_EVENT, { message: "must be a GitHub event name such as push" })).max(50), "an event").describe(
    "GitHub `event_name`s a token may come from; empty: any event except pull_request_target and workflow_run, " +
      "which are refused unless listed here",
  );

const lifetime = z
  .int()
  .min(MIN_TOKEN_LIFETIME_S)
  .max(MAX_TOKEN_LIFETIME_S)
  .describe(`How long a minted key lives, in seconds: ${MIN_TOKEN_LIFETIME_S}–${MAX_TOKEN_LIFETIME_S}; ${DEFAULT_TOKEN_LIFETIME_S} when omitted`);

// An issuer is an https URL without query or fragment; http only on a loopback address, which
// the server accepts only when it runs for tests (docs/DEPLOYMENT.md, OIDC_ALLOW_LOOPBACK_ISSUERS).
const issuerUrl = z
  .url({ protocol: /^https?$/, message: "must be an https URL" })
  .max(300)
  .refine(
    (value) => {
      if (!URL.canParse(value)) return false;
      const url = new URL(value);
      if (url.search || url.hash || url.username || url.password) return false;
      return url.protocol === "https:" || ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
    },
    // Only on a URL: one problem, one message.
    { message: "must be an https URL without query, fragment or credentials", when: (payload) => payload.issues.length === 0 },
  );

const policyName = plainText({ max: 100, singleLine: true });

/** Which required conditions are missing, or a numeric one is not a number. */
export function conditionProblems(provider: TrustPolicyProvider, conditions: TrustConditions): string[] {
  const problems: string[] = [];
  for (const name of REQUIRED_CONDITIONS[provider]) if (conditions[name] === undefined) problems.push(`must include ${name}`);
  for (const name of NUMERIC_CONDITIONS) {
    const value = conditions[name];
    if (value !== undefined && !/^[0-9]{1,20}$/.test(value)) problems.push(`${name} must be a number (the numeric id, not a name)`);
  }
  return problems;
}

export const createTrustPolicyInput = z
  .strictObject({
    name: policyName.describe("What it is for, e.g. \"deploy from main\""),
    provider: z.enum(TRUST_POLICY_PROVIDERS).describe("github (GitHub Actions), gitlab (gitlab.com or self-managed) or custom (any OIDC issuer)"),
    issuer: issuerUrl
      .optional()
      .describe(`The token's \`iss\`, exactly; omitted: ${GITHUB_ACTIONS_ISSUER} for github, ${GITLAB_COM_ISSUER} for gitlab (custom must send it)`),
    audience: z.string().min(1).max(300).optional().describe("The `aud` the token must carry; omitted: the app's own URL"),
    conditions: trustConditions,
    allowed_events: allowedEvents.optional(),
    scopes: scopeList.optional().describe("What minted keys may do: at most the service account's role; omitted, all of its role's scopes"),
    token_lifetime_seconds: lifetime.optional().default(DEFAULT_TOKEN_LIFETIME_S),
    enabled: z.boolean().optional().default(true),
  })
  .superRefine((input, context) => {
    if (input.provider === "custom" && input.issuer === undefined) {
      context.addIssue({ code: "custom", path: ["issuer"], message: "is required for a custom provider" });
    }
    for (const message of conditionProblems(input.provider, input.conditions)) context.addIssue({ code: "custom", path: ["conditions"], message });
  })
  .describe("A new trust policy");
export type CreateTrustPolicyInput = z.output<typeof createTrustPolicyInput>;

export const updateTrustPolicyInput = z
  .strictObject({
    name: policyName.optional(),
    enabled: z.boolean().optional().describe("false: every key the policy minted is refused from the answer on, and it mints no more"),
    audience: z.string().min(1).max(300).optional(),
    conditions: trustConditions.optional().describe("The new conditions, whole (the required ones included)"),
    allowed_events: allowedEvents.optional(),
    scopes: scopeList.optional().describe("What keys minted from now on may do (keys already minted keep theirs until they expire)"),
    token_lifetime_seconds: lifetime.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: "must contain at least one field to change",
    when: (payload) => payload.issues.length === 0,
  })
  .meta({ minProperties: 1 })
  .describe("The fields to change; the others keep their values. The provider and the issuer stay: make a new policy for another");
export type UpdateTrustPolicyInput = z.output<typeof updateTrustPolicyInput>;

export const trustPolicyOutput = z.object({
  id: z.uuid(),
  service_account_id: z.uuid(),
  name: z.string(),
  provider: z.enum(TRUST_POLICY_PROVIDERS),
  issuer: z.string(),
  audience: z.string(),
  conditions: z.record(z.string(), z.string()),
  allowed_events: z.array(z.string()),
  scopes: z.array(scope),
  token_lifetime_seconds: z.int(),
  enabled: z.boolean(),
  created_by: z.object({ id: z.uuid(), email: z.string().nullable() }).nullable(),
  created_at: timestamp,
  last_used_at: timestamp.nullable().describe("When it last minted a key"),
  warnings: z.array(z.string()).describe("What makes the policy risky (an untrusted event allowed), for people to read"),
});
export type TrustPolicy = z.output<typeof trustPolicyOutput>;
/** A service account's policies: few, so all at once (no pages). */
export const trustPolicyListOutput = z.array(trustPolicyOutput).describe("A service account's trust policies, oldest first");

export const testTrustPoliciesInput = z
  .strictObject({
    token: z.string().min(1).max(16_384).optional().describe("A CI's OIDC token (a JWT): its signature is checked too"),
    claims: z.record(z.string(), z.unknown()).optional().describe("Claims to match as they are, without a signature"),
  })
  .refine((input) => (input.token === undefined) !== (input.claims === undefined), {
    message: "must contain either token or claims",
    when: (payload) => payload.issues.length === 0,
  })
  .describe("A token, or its claims");
export type TestTrustPoliciesInput = z.output<typeof testTrustPoliciesInput>;

export const trustReason = z.object({
  claim: z.string().describe("A claim (`iss`, `aud`, `exp`, a condition's claim, `event_name`)"),
  expected: z.string(),
  actual: z.string().nullable().describe("The token's value, or null when it has none"),
  ok: z.boolean(),
});
export type TrustReason = z.output<typeof trustReason>;

export const trustPolicyTestOutput = z.object({
  signature: z
    .enum(["verified", "invalid", "not_checked"])
    .describe("verified: the token's signature verifies against its issuer's keys; not_checked: claims were sent, not a token"),
  signature_error: z.string().nullable().describe("Why the signature or the token's times did not verify"),
  results: z.array(
    z.object({
      policy_id: z.uuid(),
      name: z.string(),
      service_account_id: z.uuid(),
      enabled: z.boolean(),
      matches: z.boolean().describe("Every reason ok (a disabled policy never mints, even when it matches)"),
      reasons: z.array(trustReason),
    }),
  ),
});
export type TrustPolicyTest = z.output<typeof trustPolicyTestOutput>;

/** The body of POST /api/v1/oauth/token (sent form-encoded as RFC 8693 has it, or as JSON). */
export const exchangeTokenInput = z
  .object({
    grant_type: z.literal(TOKEN_EXCHANGE_GRANT),
    subject_token: z.string().min(1).max(16_384).describe("The CI's OIDC token (a JWT)"),
    subject_token_type: z.enum(SUBJECT_TOKEN_TYPES),
    audience: z
      .guid({ message: "must be a trust policy's id" })
      .optional()
      .describe("The trust policy to use (its id); needed when the token matches more than one"),
    scope: z.string().max(300).optional().describe("Space-separated scopes, to ask for fewer than the policy grants"),
    requested_token_type: z.literal(ISSUED_TOKEN_TYPE).optional(),
  })
  .describe("RFC 8693 token exchange: parameters unknown to it are ignored, as RFC 6749 says");
export type ExchangeTokenInput = z.output<typeof exchangeTokenInput>;

export const exchangeTokenOutput = z.object({
  access_token: z.string().describe("A `tt_` API key of the policy's service account, expiring after `expires_in` seconds"),
  issued_token_type: z.literal(ISSUED_TOKEN_TYPE),
  token_type: z.literal("Bearer"),
  expires_in: z.int(),
  scope: z.string().describe("The key's scopes, space-separated"),
});
export type ExchangeTokenOutput = z.output<typeof exchangeTokenOutput>;

/** RFC 6749 §5.2 and RFC 8693 §2.2.2: the error codes of the token endpoint. */
export const OAUTH_ERRORS = ["invalid_request", "invalid_grant", "invalid_target", "invalid_scope", "unsupported_grant_type"] as const;
export type OAuthErrorCode = (typeof OAUTH_ERRORS)[number];
export const oauthErrorOutput = z.object({
  error: z.enum(OAUTH_ERRORS),
  error_description: z.string(),
});
export type OAuthErrorBody = z.output<typeof oauthErrorOutput>;
