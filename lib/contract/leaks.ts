import { z } from "zod";

// Before any schema: no eval in the browser (./jitless.ts); a client component may import this module alone.
import "./jitless.ts";

// Reports of exposed keys: GitHub's secret scanning partner format, and the public
// revocation endpoint (anyone who finds a key may hand it in). Neither is authenticated by
// a key or a session; neither ever says which of the reported keys existed, except to
// GitHub, whose report is signed.

/** At most this many credentials in one public revocation request. */
export const MAX_REVOKE_CREDENTIALS = 100;
/** At most this many matches in one GitHub report (GitHub batches matches; a bound keeps a request's work bounded). */
export const MAX_SCANNING_MATCHES = 1000;

const credential = z.string().max(1024);

export const revokeCredentialsInput = z.strictObject({
  credentials: z
    .array(credential)
    .min(1)
    .max(MAX_REVOKE_CREDENTIALS)
    .describe(`The exposed credentials, in full (tt_…): 1 to ${MAX_REVOKE_CREDENTIALS}`),
});
export type RevokeCredentialsInput = z.output<typeof revokeCredentialsInput>;

export const revokeCredentialsOutput = z
  .object({
    received: z.int().min(0).describe("How many credentials the request carried (not how many existed: that is never said)"),
  })
  .describe("The report was received; every live key among the credentials is revoked");

/** One match in GitHub's report (docs.github.com: "Secret scanning partner program"). */
export const secretScanningMatch = z.object({
  token: z.string().max(1024).describe("The matched string"),
  type: z.string().max(200).describe("The secret type GitHub matched, e.g. `tuned_tensor_api_key`"),
  url: z.string().max(2048).optional().describe("Where it was found (a commit's file, an issue, …)"),
  source: z.string().max(200).optional().describe("What kind of place: `content`, `commit`, `issue_comment`, …"),
});
export const secretScanningReport = z
  .array(secretScanningMatch)
  .max(MAX_SCANNING_MATCHES)
  .describe("GitHub's report: one object per match, signed with `Github-Public-Key-Signature`");
export type SecretScanningReport = z.output<typeof secretScanningReport>;

/**
 * GitHub's expected answer: a label per reported token. The token is named by its SHA-256
 * (`token_hash`, which GitHub's format accepts instead of `token_raw`): a full key is never
 * sent back in any response, this one included.
 */
export const SECRET_SCANNING_RESPONSE_SCHEMA = {
  type: "array",
  description: "One label per reported token: `true_positive` for a key we issued (now revoked), `false_positive` for anything else",
  items: {
    type: "object",
    required: ["token_hash", "token_type", "label"],
    properties: {
      token_hash: { type: "string", pattern: "^[0-9a-f]{64}$", description: "SHA-256 of the token, hex" },
      token_type: { type: "string" },
      label: { type: "string", enum: ["true_positive", "false_positive"] },
    },
  },
} as const;
