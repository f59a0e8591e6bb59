import { z } from "zod";

// Before any schema: no eval in the browser (./jitless.ts); a client component may import this module alone.
import "./jitless.ts";

// The error half of the contract: every code the API answers with, its status, the
// envelope it comes in, and how a schema's issues become `details`. Pure (zod only): the
// server, the dashboard and the OpenAPI document share it; the CLI its types.

// The one map from error code to HTTP status. The first five are the spec's table;
// the rest are the HTTP-level refusals a careful API also needs.
export const ERROR_STATUS = {
  validation_error: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  // The request is well-formed but the resource's state refuses it (rolling a key that was
  // already rolled, revoked or has expired).
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  // A key's (or its service account's) quota for the day or month is used up (lib/usage-limits/).
  quota_exceeded: 429,
  // RFC 8628 §3.5's answers to a device-flow poll (POST /api/v1/cli/token), by their names,
  // with OAuth's status: keep polling, poll slower, the code expired, the person said no;
  // and RFC 6749's for a device code that is unknown or was already used.
  authorization_pending: 400,
  slow_down: 400,
  expired_token: 400,
  access_denied: 400,
  invalid_grant: 400,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

// RFC 6750 §3: every 401 carries a Bearer challenge naming the realm; when a credential was
// sent and refused it says so. (A missing scope's 403 challenge: scopes.ts.)
export const AUTH_CHALLENGE = 'Bearer realm="tunedtensor"';
export const INVALID_TOKEN_CHALLENGE = 'Bearer realm="tunedtensor", error="invalid_token"';
// A session that may mint a credential only after a second factor (a user with a verified
// TOTP factor whose session is at aal1) gets 403 `forbidden` with this challenge: RFC 9470's
// step-up error code, and the level it needs (Supabase Auth's authenticator assurance level).
export const SECOND_FACTOR_CHALLENGE = 'Bearer realm="tunedtensor", error="insufficient_user_authentication", acr_values="aal2"';
/** Whether a response's WWW-Authenticate asks for a second factor (SECOND_FACTOR_CHALLENGE). */
export const asksForSecondFactor = (wwwAuthenticate: string | null | undefined) =>
  typeof wwwAuthenticate === "string" && wwwAuthenticate.includes('error="insufficient_user_authentication"');
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

export const errorDetail = z.object({
  path: z.string().describe("The offending field as a dotted path (`examples.3.output`), or `body`, `query`, `id`"),
  message: z.string(),
});
/** One field-level problem: `path` names the field (`examples.3.output`, `page`, `body`). */
export type ErrorDetail = z.output<typeof errorDetail>;

export const errorEnvelope = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).describe("Stable, machine-readable; branch on this"),
      message: z.string().describe("For people; its wording may change"),
      details: z.array(errorDetail).optional().describe("validation_error only: one entry per offending field"),
    }),
  })
  .describe("The error envelope every /api/v1 failure is answered with");
export type ErrorEnvelope = z.output<typeof errorEnvelope>;

/** The only error a handler, service or check throws on purpose; anything else is a 500. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details?: ErrorDetail[];
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, message: string, details?: ErrorDetail[], headers?: Record<string, string>) {
    // An ApiError is an expected answer (a bad key, a missing spec), not a bug: capturing a
    // stack trace through Next's deep call stack would only cost time on the hottest
    // rejection path — every bad key (docs/BENCHMARKS.md, scenario c).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
ApiError.prototype.name = "ApiError";


// Enough to fix a request; a body with 90,000 unknown keys must not get a 4 MB answer.
const MAX_DETAILS = 100;

/** Whether `path` names a key that `value` does not have at all (a missing field). */
function isAbsent(value: unknown, path: readonly PropertyKey[]): boolean {
  let node = value;
  for (const [i, key] of path.entries()) {
    if (typeof node !== "object" || node === null) return false;
    if (!Object.hasOwn(node, key)) return i === path.length - 1;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return false;
}

/**
 * zod's issues as `details`, one per offending field, named by its dotted path. `input` is
 * what was parsed: a field it lacks is reported as "is required", decided from the input
 * and the issue's code, never from zod's wording.
 */
export function issueDetails(error: z.ZodError, input: unknown, root = "body"): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) details.push({ path: base ? `${base}.${key}` : key, message: "Unknown field" });
    } else {
      const missing = issue.code === "invalid_type" && issue.path.length > 0 && isAbsent(input, issue.path);
      details.push({ path: base || root, message: missing ? "is required" : issue.message });
    }
  }
  if (details.length > MAX_DETAILS) {
    const more = details.length - MAX_DETAILS;
    details.splice(MAX_DETAILS, more, { path: root, message: `…and ${more} more problems` });
  }
  return details;
}

/** A 400 `validation_error` for what `schema` refused in `input`. */
export function validationError(error: z.ZodError, input: unknown, message = "Invalid request body", root = "body"): ApiError {
  return new ApiError("validation_error", message, issueDetails(error, input, root));
}
