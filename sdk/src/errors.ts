// Every failure the client reports, as a class: an API error by its code (the contract's
// error codes, lib/contract/errors.ts), the server out of reach, or an answer that is not
// the API's. Each API error carries the status, the code, the field-level `details`, the
// response's request id (quote it to support) and `Retry-After`, in seconds.
import { ERROR_STATUS, type ErrorCode, type Scope } from "./generated/contract.ts";
import { exhaustedPolicy, type RateLimitPolicy, type RateLimitState } from "./rate-limit.ts";

/** One field-level problem of a `validation_error`: `path` names the field (`examples.3.output`, `page`, `body`). */
export type ErrorDetail = { path: string; message: string };

/** The base class of everything the SDK throws on purpose. */
export class TunedTensorError extends Error {}
TunedTensorError.prototype.name = "TunedTensorError";

export type ApiErrorInit = {
  status: number;
  /** The contract's code (a newer server may answer with one this SDK does not know yet). */
  code: ErrorCode | (string & {});
  message: string;
  details?: ErrorDetail[];
  requestId?: string | null;
  retryAfter?: number | null;
  /** The limits the answer announced (`RateLimit-Policy`, `RateLimit`). */
  rateLimit?: RateLimitState | null;
  wwwAuthenticate?: string | null;
  method?: string;
  url?: string;
};

/** The server answered with an error in its envelope: `{error: {code, message, details}}`. */
export class ApiError extends TunedTensorError {
  readonly status: number;
  readonly code: ErrorCode | (string & {});
  readonly details: ErrorDetail[];
  /** The response's `x-request-id`: what the server's logs know the request by. */
  readonly requestId: string | null;
  /** Seconds to wait before trying again (`Retry-After`), when the server said. */
  readonly retryAfter: number | null;
  /** The limits the error answer announced, else null. */
  readonly rateLimit: RateLimitState | null;
  readonly wwwAuthenticate: string | null;
  readonly method: string | undefined;
  readonly url: string | undefined;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.requestId = init.requestId ?? null;
    this.retryAfter = init.retryAfter ?? null;
    this.rateLimit = init.rateLimit ?? null;
    this.wwwAuthenticate = init.wwwAuthenticate ?? null;
    this.method = init.method;
    this.url = init.url;
  }

  /** The scope an API key lacks (a 403 with RFC 6750's `insufficient_scope` challenge), else null. */
  get missingScope(): Scope | null {
    return missingScopeOf(this.wwwAuthenticate);
  }

  /** The session must pass its second factor first (403 with RFC 9470's step-up challenge). */
  get secondFactorRequired(): boolean {
    return asksForSecondFactor(this.wwwAuthenticate);
  }
}
ApiError.prototype.name = "ApiError";

export class ValidationError extends ApiError {}
ValidationError.prototype.name = "ValidationError";
export class UnauthorizedError extends ApiError {}
UnauthorizedError.prototype.name = "UnauthorizedError";
export class ForbiddenError extends ApiError {}
ForbiddenError.prototype.name = "ForbiddenError";
export class NotFoundError extends ApiError {}
NotFoundError.prototype.name = "NotFoundError";
export class MethodNotAllowedError extends ApiError {}
MethodNotAllowedError.prototype.name = "MethodNotAllowedError";
export class ConflictError extends ApiError {}
ConflictError.prototype.name = "ConflictError";
export class PayloadTooLargeError extends ApiError {}
PayloadTooLargeError.prototype.name = "PayloadTooLargeError";
export class UnsupportedMediaTypeError extends ApiError {}
UnsupportedMediaTypeError.prototype.name = "UnsupportedMediaTypeError";
/** A 429 for a limit: `retryAfter` says when its window refills, `policy` which limit it was. */
export class TooManyRequestsError extends ApiError {
  /** The limit the answer said was used up, when it said (e.g. 60 requests a minute). */
  get policy(): RateLimitPolicy | null {
    return exhaustedPolicy(this.rateLimit);
  }
}
TooManyRequestsError.prototype.name = "TooManyRequestsError";
/** 429 `rate_limited`: too many requests in the current second or minute. */
export class RateLimitedError extends TooManyRequestsError {}
RateLimitedError.prototype.name = "RateLimitedError";
/** 429 `quota_exceeded`: the day's or the month's quota is used up, until its refill at 00:00 UTC. */
export class QuotaExceededError extends TooManyRequestsError {}
QuotaExceededError.prototype.name = "QuotaExceededError";
export class InternalError extends ApiError {}
InternalError.prototype.name = "InternalError";
/** A device-flow poll's answer (RFC 8628 §3.5): `code` says which (authorization_pending, slow_down, …). */
export class DeviceFlowError extends ApiError {}
DeviceFlowError.prototype.name = "DeviceFlowError";

type ApiErrorClass = new (init: ApiErrorInit) => ApiError;

// Every code of the contract has its class: a code added there fails to compile here.
const CLASSES: Record<ErrorCode, ApiErrorClass> = {
  validation_error: ValidationError,
  unauthorized: UnauthorizedError,
  forbidden: ForbiddenError,
  not_found: NotFoundError,
  method_not_allowed: MethodNotAllowedError,
  conflict: ConflictError,
  payload_too_large: PayloadTooLargeError,
  unsupported_media_type: UnsupportedMediaTypeError,
  rate_limited: RateLimitedError,
  quota_exceeded: QuotaExceededError,
  authorization_pending: DeviceFlowError,
  slow_down: DeviceFlowError,
  expired_token: DeviceFlowError,
  access_denied: DeviceFlowError,
  invalid_grant: DeviceFlowError,
  internal_error: InternalError,
};

const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_STATUS, code);

/** The class for an answer's code; a code this SDK does not know (a newer server) is a plain ApiError. */
export function apiErrorFor(init: ApiErrorInit): ApiError {
  const Class = isErrorCode(init.code) ? CLASSES[init.code] : ApiError;
  return new Class(init);
}

/** The server could not be reached, or did not answer in time. */
export class NetworkError extends TunedTensorError {
  constructor(
    readonly url: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`could not reach ${url}: ${reason}`, options);
  }
}
NetworkError.prototype.name = "NetworkError";

/** An answer that is not the API's: not JSON, an error without the envelope, a success without `data`, or a redirect (never followed with a key). */
export class UnexpectedResponseError extends TunedTensorError {
  constructor(
    message: string,
    readonly status: number,
    readonly requestId: string | null,
    readonly url: string,
    /** For a redirect: where it pointed. */
    readonly location: string | null = null,
  ) {
    super(message);
  }
}
UnexpectedResponseError.prototype.name = "UnexpectedResponseError";

/** The scope named by an RFC 6750 `insufficient_scope` challenge, if that is what it is. */
export function missingScopeOf(challenge: string | null | undefined): Scope | null {
  if (!challenge || !/\berror="insufficient_scope"/.test(challenge)) return null;
  return (/\bscope="([^"]*)"/.exec(challenge)?.[1] as Scope | undefined) ?? null;
}

/** Whether a `WWW-Authenticate` asks for a second factor (RFC 9470's `insufficient_user_authentication`). */
export function asksForSecondFactor(challenge: string | null | undefined): boolean {
  return typeof challenge === "string" && /\berror="insufficient_user_authentication"/.test(challenge);
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "DNS lookup failed",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_SOCKET: "connection closed unexpectedly",
};

/** Why fetch failed, in words (Node's undici puts the system error in `cause`). */
export function networkReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === "TimeoutError") return `no answer within ${timeoutMs / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  if (code && NETWORK_REASONS[code]) return `${NETWORK_REASONS[code]} (${code})`;
  // fetch refuses some ports outright (the Fetch standard's "bad ports": 1, 9, 25, 6000…).
  if (cause?.message === "bad port") return "fetch does not connect to this port (it is on the Fetch standard's list of blocked ports)";
  if (cause && typeof cause.message === "string") return code ? `${cause.message} (${code})` : cause.message;
  return error instanceof Error ? error.message : String(error);
}
