import { z } from "zod";

import { SCOPES, scope, scopeList } from "./scopes.ts";
import { plainText } from "./text.ts";

// Request and response shapes for /api/v1/api-keys. Responses are always built by
// parsing through these output schemas, which list their fields explicitly: a column
// such as key_hash can never reach a client by being selected by accident.

const keyName = plainText({ max: 100, singleLine: true });

export const createApiKeyInput = z.strictObject({
  name: keyName.describe("A name that tells you where the key is used"),
  expires_at: z.iso
    .datetime({ offset: true })
    .nullable()
    .optional()
    .refine((value) => value == null || Date.parse(value) > Date.now(), { message: "must be in the future" })
    .describe("When the key stops working (ISO 8601); omit or null for a key that does not expire"),
  scopes: scopeList
    .optional()
    .describe(`What the key may do: a non-empty list of distinct scopes (${SCOPES.join(", ")}); omitted, every scope`),
});
export type CreateApiKeyInput = z.output<typeof createApiKeyInput>;

export const updateApiKeyInput = z
  .strictObject({
    name: keyName.optional().describe("A new name"),
    scopes: scopeList
      .optional()
      .describe("The key's new scopes: only scopes it already has (a key can be narrowed, never widened)"),
  })
  .refine((patch) => patch.name !== undefined || patch.scopes !== undefined, {
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
  expires_at: timestamp.nullable(),
  revoked_at: timestamp.nullable(),
});
export type ApiKey = z.output<typeof apiKeyOutput>;

export const createdApiKeyOutput = apiKeyOutput.extend({
  key: z.string().describe("The full API key. Shown only in this response: store it now."),
});
export type CreatedApiKey = z.output<typeof createdApiKeyOutput>;
