// No `server-only` here: the dashboard validates forms in the browser with the same
// schemas and turns their issues into fields with validationError(), as the API does.
import { z } from "zod";

// The one map from error code to HTTP status. The first five are the spec's table;
// the rest are the HTTP-level refusals a careful API also needs.
export const ERROR_STATUS = {
  validation_error: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

/** One field-level problem: `path` names the field (`examples.3.output`, `page`, `body`). */
export type ErrorDetail = { path: string; message: string };

/** The only error a handler or service throws on purpose; anything else is a 500. */
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

export const notFound = (message: string) => new ApiError("not_found", message);

// Enough to fix a request; a body with 90,000 unknown keys must not get a 4 MB answer.
const MAX_DETAILS = 100;

/** zod's issues as `details`, one per offending field, named by its dotted path. */
export function validationError(error: z.ZodError, message = "Invalid request body", root = "body"): ApiError {
  const details: ErrorDetail[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) details.push({ path: base ? `${base}.${key}` : key, message: "Unknown field" });
    } else {
      // zod's "Invalid input: expected string, received undefined" means a missing field.
      const missing = issue.code === "invalid_type" && issue.message.endsWith("received undefined");
      details.push({ path: base || root, message: missing ? "is required" : issue.message });
    }
  }
  if (details.length > MAX_DETAILS) {
    const more = details.length - MAX_DETAILS;
    details.splice(MAX_DETAILS, more, { path: root, message: `…and ${more} more problems` });
  }
  return new ApiError("validation_error", message, details);
}
