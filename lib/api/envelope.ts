import { ApiError, AUTH_CHALLENGE, INVALID_TOKEN_CHALLENGE, REQUEST_ID_HEADER, type ErrorCode, type ErrorDetail, type PageMeta } from "@/lib/contract";
import { DomainError } from "@/lib/domain-errors";

// Every /api/v1 response is built here, so the envelope has exactly one shape:
//   { data }                                 success
//   { data, meta: { page, per_page, total } } paginated success
//   { error: { code, message, details? } }   failure
// API responses carry user data: never cache them anywhere along the way.
const BASE_HEADERS = { "cache-control": "no-store" } as const;

export type { PageMeta };

export function ok(data: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return Response.json({ data }, { status: init.status ?? 200, headers: { ...BASE_HEADERS, ...init.headers } });
}

export function page(data: unknown[], meta: PageMeta): Response {
  return Response.json({ data, meta }, { headers: BASE_HEADERS });
}

export function errorBody(code: ErrorCode, message: string, details?: ErrorDetail[]) {
  return { error: { code, message, ...(details?.length ? { details } : {}) } };
}

/**
 * A write for a user who was deleted a moment ago (their token still verifies until the
 * session check notices): Postgres refuses the row's `user_id` reference (23503 on a
 * `*_user_id_fkey` constraint), or its `organization_id` — their personal workspace went with
 * the account. That is the caller's credential gone, not a server fault.
 */
function isOwnerGone(error: unknown): boolean {
  const e = error as { code?: unknown; constraint_name?: unknown } | null;
  return e?.code === "23503" && typeof e.constraint_name === "string" && /_(user_id|organization_id)_fkey$/.test(e.constraint_name);
}

/**
 * Turns anything thrown into the error envelope. An ApiError is answered as it says;
 * anything else is logged with the request id and answered with a generic 500, so no
 * stack trace, SQL or driver message ever reaches a client.
 */
export function toErrorResponse(error: unknown, requestId: string): Response {
  if (isOwnerGone(error)) error = new ApiError("unauthorized", "This account no longer exists", undefined, { "www-authenticate": INVALID_TOKEN_CHALLENGE });
  // A domain service's refusal, in the API's words: the kinds map one to one onto codes.
  if (error instanceof DomainError) error = new ApiError(error.kind, error.message, error.details);
  if (error instanceof ApiError) {
    // RFC 6750 §3: no 401 without a challenge, whoever threw it.
    const challenge: Record<string, string> = error.status === 401 && !error.headers?.["www-authenticate"] ? { "www-authenticate": AUTH_CHALLENGE } : {};
    return Response.json(errorBody(error.code, error.message, error.details), {
      status: error.status,
      headers: { ...BASE_HEADERS, ...challenge, ...error.headers, [REQUEST_ID_HEADER]: requestId },
    });
  }
  console.error(`[api] request ${requestId} failed:`, error);
  return Response.json(errorBody("internal_error", `Internal server error (request ${requestId})`), {
    status: 500,
    headers: { ...BASE_HEADERS, [REQUEST_ID_HEADER]: requestId },
  });
}
