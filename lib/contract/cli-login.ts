import { z } from "zod";

// Before any schema: no eval in the browser (./jitless.ts); a client component may import this module alone.
import "./jitless.ts";

import { SCOPES, scopeList } from "./scopes.ts";
import { plainText } from "./text.ts";

// `tt auth login` through the browser: the OAuth 2.0 Device Authorization Grant (RFC 8628)
// in the project's envelope. The CLI asks for a device code (no credentials), the person
// approves the user code at /cli/authorize in a signed-in browser, and the CLI's next poll
// gets a new API key once. lib/cli-login/device-codes.ts serves it.

/** The approval page, on the app's origin (verification_uri). */
export const CLI_AUTHORIZE_PATH = "/cli/authorize";

/** RFC 8628 §6.1's alphabet: consonants only (no vowels, so no words; no 0/O, 1/I, 5/S look-alikes). */
export const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
export const USER_CODE_LENGTH = 8;
/** How long a device code lives, in seconds. */
export const DEVICE_CODE_TTL_S = 600;
/** The shortest wait between two polls, in seconds; RFC 8628 adds 5 to it after each slow_down. */
export const POLL_INTERVAL_S = 5;
/** The device code: this many random bytes, in base64url without padding (43 characters). */
export const DEVICE_CODE_BYTES = 32;
const DEVICE_CODE_LENGTH = Math.ceil((DEVICE_CODE_BYTES * 4) / 3);
/** What a device code looks like, so a malformed one is a validation error and only a well-formed unknown one is invalid_grant. */
export const DEVICE_CODE_PATTERN = new RegExp(`^[A-Za-z0-9_-]{${DEVICE_CODE_LENGTH}}$`);
/** A key minted by the device flow stops working after this many days. */
export const DEVICE_KEY_TTL_DAYS = 90;

/** `ABCDEFGH` as people read it: `ABCD-EFGH`. */
export const formatUserCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;
/** What a person typed (any case, dashes and spaces anywhere) as stored, or null when it cannot be a user code. */
export function normalizeUserCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, "");
  if (code.length !== USER_CODE_LENGTH) return null;
  return [...code].every((c) => USER_CODE_ALPHABET.includes(c)) ? code : null;
}

const clientText = (max: number) => plainText({ max, singleLine: true });

export const createDeviceCodeInput = z.strictObject({
  scopes: scopeList.optional().describe(`The scopes the key is asked for (${SCOPES.join(", ")}); omitted, every scope`),
  client: z
    .strictObject({
      hostname: clientText(100).describe("The machine's name, shown to the person approving and in the key's name"),
      os: clientText(100).describe("Operating system, e.g. `linux x64`"),
      version: clientText(50).describe("The CLI's version"),
    })
    .describe("What is asking, shown on the approval page"),
});
export type CreateDeviceCodeInput = z.output<typeof createDeviceCodeInput>;

export const deviceCodeOutput = z.object({
  device_code: z.string().regex(DEVICE_CODE_PATTERN).describe("The CLI's secret for polling (256 bits, base64url); never shown to people"),
  user_code: z.string().describe("What the person compares on the approval page, as `ABCD-EFGH`"),
  verification_uri: z.string().describe("Where to enter the user code"),
  verification_uri_complete: z.string().describe("The same page with the user code filled in"),
  expires_in: z.number().int().describe("Seconds until the device code and the user code expire"),
  interval: z.number().int().describe("Seconds to wait between polls"),
});
export type DeviceCode = z.output<typeof deviceCodeOutput>;

export const deviceTokenInput = z.strictObject({
  device_code: z
    .string()
    .length(DEVICE_CODE_LENGTH)
    .regex(DEVICE_CODE_PATTERN, { message: `must be the device code from POST /api/v1/cli/device-codes: ${DEVICE_CODE_LENGTH} characters of A–Z, a–z, 0–9, - and _` })
    .describe(`The device code from POST /api/v1/cli/device-codes (${DEVICE_CODE_BYTES} random bytes in base64url: ${DEVICE_CODE_LENGTH} characters of A–Z, a–z, 0–9, - and _)`),
});
