// GoTrue's error answers. GoTrue formats an error by the API version the client asks for
// (X-Supabase-Api-Version): 2024-01-01 and later get {code: "<error_code>", message};
// everyone else (curl, older clients) the legacy {code: <status>, error_code, msg}.
// auth-js understands both. A few /token failures are OAuth errors {error,
// error_description}, and an unknown route is Go's plain-text "404 page not found".
import type { ServerResponse } from "node:http";

/** GoTrue's HTTPError: an HTTP status, an error code (errorcodes.go) and a message. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** weak_password's {reasons}, sent beside the error as GoTrue does. */
  readonly weakPassword?: { reasons: string[] };
  constructor(status: number, code: string, message: string, weakPassword?: { reasons: string[] }) {
    super(message);
    this.status = status;
    this.code = code;
    this.weakPassword = weakPassword;
  }
}

/** GoTrue's OAuthError (RFC 6749 style). */
export class OAuthError extends Error {
  readonly error: string;
  constructor(error: string, description: string) {
    super(description);
    this.error = error;
  }
}

/** What chi answers for a route it does not know: 404, text/plain. */
export class RouteNotFound extends Error {}
/** What chi answers for a known route and another method: 405, no body. */
export class MethodNotAllowed extends Error {}

export const badRequest = (code: string, message: string) => new ApiError(400, code, message);
export const badJson = (detail?: string) =>
  new ApiError(400, "bad_json", detail ? `Could not parse request body as JSON: ${detail}` : "Could not parse request body as JSON");
export const unprocessable = (code: string, message: string) => new ApiError(422, code, message);
export const tooManyRequests = (code: string, message: string) => new ApiError(429, code, message);
export const forbidden = (code: string, message: string) => new ApiError(403, code, message);
export const emailExists = () => unprocessable("email_exists", "A user with this email address has already been registered");

export const API_VERSION_HEADER = "X-Supabase-Api-Version";
export const API_VERSION_2024 = "2024-01-01";
export type ApiVersion = "initial" | typeof API_VERSION_2024;

/** The API version a request asks for, as GoTrue's DetermineClosestAPIVersion decides it. */
export function requestedApiVersion(raw: unknown): ApiVersion {
  if (typeof raw !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) return "initial";
  const parsed = new Date(`${raw}T00:00:00Z`);
  // Go's time.Parse rejects impossible dates like 2024-02-30.
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== raw) return "initial";
  return raw >= API_VERSION_2024 ? API_VERSION_2024 : "initial";
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.headersSent || res.destroyed) return;
  const payload = status === 204 ? undefined : JSON.stringify(body);
  const out: Record<string, string | number> = { ...headers };
  if (payload !== undefined) {
    out["Content-Type"] = "application/json";
    out["Content-Length"] = Buffer.byteLength(payload);
  }
  res.writeHead(status, out);
  res.end(payload);
}

/** Writes `err` as GoTrue would; anything unexpected becomes a logged 500. */
export function sendError(res: ServerResponse, err: unknown, { apiVersion, requestId, what }: { apiVersion: ApiVersion; requestId: string; what: string }) {
  if (res.headersSent || res.destroyed) return;
  if (apiVersion === API_VERSION_2024) res.setHeader(API_VERSION_HEADER, API_VERSION_2024);
  if (err instanceof RouteNotFound) {
    const text = "404 page not found\n";
    res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  if (err instanceof MethodNotAllowed) {
    res.writeHead(405, { "Content-Length": 0 });
    res.end();
    return;
  }
  if (err instanceof OAuthError) {
    sendJson(res, 400, { error: err.error, error_description: err.message });
    return;
  }
  let e: ApiError;
  if (err instanceof ApiError) {
    e = err;
  } else if (typeof (err as { code?: unknown })?.code === "string" && (err as { code: string }).code.startsWith("22")) {
    // Postgres "data exception" (value too long, bad encoding, …): only request data causes these.
    e = badRequest("validation_failed", "The request contains a value that cannot be stored");
  } else {
    // The stack only: never the request, its body or its query (tokens).
    console.error(`auth server: unexpected error (error_id ${requestId}) on ${what}:`, (err as Error)?.stack ?? String(err));
    e = new ApiError(500, "unexpected_failure", "Unexpected failure, please check server logs for more information");
  }
  const body: Record<string, unknown> =
    apiVersion === API_VERSION_2024 ? { code: e.code, message: e.message } : { code: e.status, error_code: e.code, msg: e.message };
  if (apiVersion !== API_VERSION_2024 && e.status >= 500) body.error_id = requestId;
  if (e.weakPassword) body.weak_password = e.weakPassword;
  sendJson(res, e.status, body, { "x-sb-error-code": e.code });
}
