import { z } from "zod";

// Before any schema: no eval in the browser (./jitless.ts); a client component may import this module alone.
import "./jitless.ts";

import { isoDateTime } from "./dates.ts";
import { SCOPES, scope, scopeList } from "./scopes.ts";
import { mintedByOutput } from "./minted-by.ts";
import { plainText } from "./text.ts";
import { effectiveLimits, usageLimits } from "./usage-limits.ts";

// Request and response shapes for /api/v1/api-keys. Responses are always built by
// parsing through these output schemas, which list their fields explicitly: a column
// such as key_hash can never reach a client by being selected by accident.

const keyName = plainText({ max: 100, singleLine: true });

/**
 * The furthest a key's expiry may be: 10 years from when it is set (calendar years, as
 * Postgres' `interval '10 years'`). A key that should never expire says so with null. The
 * database holds every key to the same horizon from its `created_at`, with a day's slack for
 * the clocks (supabase/migrations/20261206000200_api_key_expiry_horizon.sql), and a roll
 * caps its successor's expiry there.
 */
export const MAX_KEY_LIFETIME_YEARS = 10;
/** The latest expiry a key created at `now` (ms since the epoch) may have. */
export const keyExpiryHorizon = (now: number) => {
  const at = new Date(now);
  at.setUTCFullYear(at.getUTCFullYear() + MAX_KEY_LIFETIME_YEARS);
  return at.getTime();
};

// Checked only on a well-formed date-time: one problem, one message.
const onlyProblem = (payload: { issues: readonly unknown[] }) => payload.issues.length === 0;

export const createApiKeyInput = z.strictObject({
  name: keyName.describe("A name that tells you where the key is used"),
  expires_at: isoDateTime()
    .nullable()
    .optional()
    .refine((value) => value == null || Date.parse(value) > Date.now(), { message: "must be in the future", when: onlyProblem })
    .refine((value) => value == null || Date.parse(value) <= keyExpiryHorizon(Date.now()), {
      message: `must be at most ${MAX_KEY_LIFETIME_YEARS} years from now; omit it or send null for a key that does not expire`,
      when: onlyProblem,
    })
    .describe(
      `When the key stops working (ISO 8601): in the future, at most ${MAX_KEY_LIFETIME_YEARS} years from now; omit or null for a key that does not expire`,
    ),
  scopes: scopeList
    .optional()
    .describe(`What the key may do: a non-empty list of distinct scopes (${SCOPES.join(", ")}); omitted, every scope`),
  limits: usageLimits
    .optional()
    .describe("The key's own rate limit and quota; omitted, the key follows the organization's default limits for keys"),
});
export type CreateApiKeyInput = z.output<typeof createApiKeyInput>;

export const updateApiKeyInput = z
  .strictObject({
    name: keyName.optional().describe("A new name"),
    scopes: scopeList
      .optional()
      .describe("The key's new scopes: only scopes it already has (a key can be narrowed, never widened)"),
    limits: usageLimits
      .nullable()
      .optional()
      .describe(
        "The key's own limits; null: follow the organization's default. Lowering them (narrowing) needs keys:write; " +
          "raising or removing them (widening) needs a signed-in session (with its second factor when the user has one)",
      ),
  })
  .refine((patch) => patch.name !== undefined || patch.scopes !== undefined || patch.limits !== undefined, {
    message: "must contain at least one field to change",
    // Only when nothing else is wrong: `{"nme": …}` is an unknown field, not also an empty patch.
    when: (payload) => payload.issues.length === 0,
  })
  .meta({ minProperties: 1 })
  .describe("The fields to change; the others keep their values");
export type UpdateApiKeyInput = z.output<typeof updateApiKeyInput>;

const timestamp = z.iso.datetime({ offset: true });

export const apiKeyOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  key_prefix: z.string().describe("tt_ and the first 8 characters of the key, to tell keys apart"),
  scopes: z.array(scope).describe("What the key may do"),
  scopes_used: z.array(scope).describe("The scopes the key exercised in the last 30 days (recorded at most once a minute)"),
  created_at: timestamp,
  last_used_at: timestamp.nullable().describe("Updated at most once a minute"),
  expires_at: timestamp.nullable().describe("When the key stops working; for a rolled key, the end of its grace window"),
  revoked_at: timestamp.nullable(),
  revoked_reason: z
    .enum(["leaked"])
    .nullable()
    .describe("Why the key was revoked when not by its owner: `leaked`, found exposed (GitHub secret scanning or the public revocation endpoint)"),
  exposed_url: z.string().nullable().describe("Where a leaked key was found, when the report said"),
  replaced_by: z.uuid().nullable().describe("The key this one was rolled into; it stops working at `expires_at`"),
  replaces: z.uuid().nullable().describe("The key this one was rolled from"),
  holder: z
    .discriminatedUnion("type", [
      z.object({ type: z.literal("member"), id: z.uuid().describe("The member's user id") }),
      z.object({ type: z.literal("service_account"), id: z.uuid().describe("The service account's id") }),
    ])
    .describe("Who the key acts as: a member (it never does more than their role allows) or a service account of the organization"),
  out_of_policy: z
    .string()
    .nullable()
    .describe("Why the key breaks the organization's policy as it is now (e.g. it outlives the maximum key lifetime), else null"),
  limits: usageLimits.nullable().describe("The key's own limits; null: it follows the organization's default"),
  effective_limits: effectiveLimits,
  minted_by: mintedByOutput
    .nullable()
    .describe("For a key minted by token exchange (keyless CI): the trust policy and the CI run it was minted for; else null"),
});
export type ApiKey = z.output<typeof apiKeyOutput>;

/** The longest grace window of a roll: 7 days. */
export const MAX_ROLL_GRACE_SECONDS = 604_800;
export const DEFAULT_ROLL_GRACE_SECONDS = 86_400;

export const rollApiKeyInput = z
  .strictObject({
    grace_seconds: z
      .int()
      .min(0)
      .max(MAX_ROLL_GRACE_SECONDS)
      .optional()
      .default(DEFAULT_ROLL_GRACE_SECONDS)
      .describe("How long the old key keeps working, in seconds: 0 (it stops now) to 604800 (7 days); 86400 when omitted"),
  })
  .describe("The grace window");
export type RollApiKeyInput = z.output<typeof rollApiKeyInput>;

export const createdApiKeyOutput = apiKeyOutput.extend({
  key: z.string().describe("The full API key. Shown only in this response: store it now."),
});
export type CreatedApiKey = z.output<typeof createdApiKeyOutput>;

export const rolledApiKeyOutput = createdApiKeyOutput
  .extend({
    previous: apiKeyOutput.describe("The old key as it is now: `replaced_by` set, `expires_at` the end of its grace window"),
  })
  .describe("The new key (with its full `key`, shown only in this response) and the old one");
export type RolledApiKey = z.output<typeof rolledApiKeyOutput>;
