import { z } from "zod";

import { plainText } from "./text.ts";

// Request and response shapes for /api/v1/api-keys. Responses are always built by
// parsing through these output schemas, which list their fields explicitly: a column
// such as key_hash can never reach a client by being selected by accident.

export const createApiKeyInput = z.strictObject({
  name: plainText({ max: 100, singleLine: true }).describe("A name that tells you where the key is used"),
  expires_at: z.iso
    .datetime({ offset: true })
    .nullable()
    .optional()
    .refine((value) => value == null || Date.parse(value) > Date.now(), { message: "must be in the future" })
    .describe("When the key stops working (ISO 8601); omit or null for a key that does not expire"),
});
export type CreateApiKeyInput = z.output<typeof createApiKeyInput>;

const timestamp = z.iso.datetime({ offset: true });

export const apiKeyOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  key_prefix: z.string().describe("tt_ and the first 8 characters of the key, to tell keys apart"),
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
