import { ApiError, type ErrorCode, type ErrorDetail } from "./errors";

// Every /api/v1 response is built here, so the envelope has exactly one shape:
//   { data }                                 success
//   { data, meta: { page, per_page, total } } paginated success
//   { error: { code, message, details? } }   failure
// API responses carry user data: never cache them anywhere along the way.
const BASE_HEADERS = { "cache-control": "no-store" } as const;

export type PageMeta = { page: number; per_page: number; total: number };

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
 * Turns anything thrown into the error envelope. An ApiError is answered as it says;
 * anything else is logged with the request id and answered with a generic 500, so no
 * stack trace, SQL or driver message ever reaches a client.
 */
export function toErrorResponse(error: unknown, requestId: string): Response {
  if (error instanceof ApiError) {
    return Response.json(errorBody(error.code, error.message, error.details), {
      status: error.status,
      headers: { ...BASE_HEADERS, ...error.headers, "x-request-id": requestId },
    });
  }
  console.error(`[api] request ${requestId} failed:`, error);
  return Response.json(errorBody("internal_error", `Internal server error (request ${requestId})`), {
    status: 500,
    headers: { ...BASE_HEADERS, "x-request-id": requestId },
  });
}
