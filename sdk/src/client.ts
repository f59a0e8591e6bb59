// The client: one `request` for every operation of the contract (./generated/contract.ts),
// and a method per operation built from the same table. fetch only — no Node, browser or
// framework API beyond it — so it runs in Node ≥ 22, browsers and edge runtimes.
//
// A request: the operation's path with its parameters, the query, `Authorization: Bearer`
// when there is a key (else the browser's cookies, with `credentials`), a JSON body; no
// redirects followed (a key goes only to the server it was meant for). The answer: the
// envelope `{data, meta?}` unwrapped, or `{error: {code, message, details}}` thrown as its
// class (./errors.ts). `organization` names the organization of every request
// (`Tt-Organization`): a session's choice among its own; a key acts only in its own, so
// for a key it is a check (another organization is a 403). 429 and 503 and network failures are retried for idempotent
// requests only (./retry.ts), and `onRetry` says what the wait is for: the status, the
// error's code (`rate_limited`, `quota_exceeded`) and the limit the answer ran out of. Every
// answer's `Tt-Key-Expires-At` is kept and reported, and its `RateLimit-Policy`/`RateLimit`
// fields (./rate-limit.ts) kept as the last seen limits.
import {
  apiErrorFor,
  NetworkError,
  networkReason,
  UnexpectedResponseError,
  type ErrorDetail,
} from "./errors.ts";
import {
  KEY_EXPIRES_HEADER,
  OPERATIONS,
  ORGANIZATION_HEADER,
  REQUEST_ID_HEADER,
  RETRY_AFTER_HEADER,
  type OperationId,
  type OperationTypes,
} from "./generated/contract.ts";
import { keyExpiry, type KeyExpiry } from "./keys.ts";
import { exhaustedPolicy, parseRateLimit, RATE_LIMIT_HEADER, RATE_LIMIT_POLICY_HEADER, type RateLimitPolicy, type RateLimitState } from "./rate-limit.ts";
// Types only: the exchange's code is loaded on a client's first request with `oidc`, so a
// page that never uses it (the dashboard) does not carry it.
import type { ExchangedKey, OidcCredential, OidcOptions } from "./oidc.ts";
import { parseRetryAfter, retryDecision, type RetryOptions } from "./retry.ts";

/** Where a page sits in the whole list. */
export type PageMeta = { page: number; per_page: number; total: number };
/** One page of a list operation: its items and where it sits. */
export type Page<T> = { data: T[]; meta: PageMeta };

type Types<K extends OperationId> = OperationTypes[K];
type Has<T> = [T] extends [never] ? false : true;

/** A query as sent: the contract's strings, or numbers for them (`page: 2`). */
export type QueryInput<Q> = { [P in keyof Q]?: string extends NonNullable<Q[P]> ? Q[P] | number : Q[P] };

/** What a call of operation K takes: its path parameters, query and body, as the contract types them. */
export type CallInit<K extends OperationId> = {
  /** Cancels the request (and any wait before a retry). */
  signal?: AbortSignal;
  /** Extra request headers (e.g. a GitHub signature for the secret-scanning endpoint). */
  headers?: Record<string, string>;
} & (Has<Types<K>["params"]> extends true ? { params: Types<K>["params"] } : { params?: undefined }) &
  (Has<Types<K>["query"]> extends true ? { query?: QueryInput<Types<K>["query"]> } : { query?: undefined }) &
  (Has<Types<K>["body"]> extends true ? { body: Types<K>["body"] } : { body?: undefined });

/** `init` may be left out when nothing in it is required. */
export type CallArgs<K extends OperationId> = object extends CallInit<K> ? [init?: CallInit<K>] : [init: CallInit<K>];

/** What `data` holds: a page's items with their meta, or the one value. */
export type ResultOf<K extends OperationId> = Types<K>["envelope"] extends "page" ? Page<Types<K>["data"]> : Types<K>["data"];

/** A whole answer: the result and what the response said besides. */
export type ApiResponse<K extends OperationId> = {
  status: number;
  result: ResultOf<K>;
  requestId: string | null;
  /** `Tt-Key-Expires-At` of this answer (a key that expires), else null. */
  keyExpiresAt: string | null;
  /** The limits this answer announced (`RateLimit-Policy`, `RateLimit`), else null. */
  rateLimit: RateLimitState | null;
  headers: Headers;
};

export type RequestEvent = { method: string; url: string; attempt: number; /** The body's size in bytes, or null without one. */ bodyBytes: number | null };
export type ResponseEvent = RequestEvent & { status: number; statusText: string; requestId: string | null; durationMs: number };
export type NetworkFailureEvent = RequestEvent & { reason: string; durationMs: number };
/**
 * A failed attempt about to be tried again after `delayMs`: because of `status` (null: a
 * network failure) and the error's `code` (e.g. `rate_limited`, `quota_exceeded`, null
 * without an error envelope); `retryAfter` is the server's `Retry-After` in seconds, and
 * `policy` the limit the answer said was used up (its `RateLimit` field), when it said.
 */
export type RetryEvent = RequestEvent & {
  status: number | null;
  code: string | null;
  delayMs: number;
  retryAfter: number | null;
  policy: RateLimitPolicy | null;
};

export type ClientOptions = {
  /** The server, e.g. `https://tunedtensor.com`; "" (the default) for the page's own origin in a browser. */
  baseUrl?: string;
  /** An API key (`tt_…`), sent as `Authorization: Bearer`. Without one, a browser's cookies authenticate (see `credentials`). */
  apiKey?: string;
  /**
   * Keyless CI instead of `apiKey`: the CI's OIDC token traded for a short-lived key
   * (exchangeOidcToken, ./oidc.ts) on the first request, and again before that key expires.
   * An OidcCredential already made (e.g. to read `last`) is used as it is.
   */
  oidc?: OidcOptions | OidcCredential;
  /**
   * The organization every request is about (its slug or id), sent as `Tt-Organization`. A
   * session picks one of its own with it (its personal workspace without it); an API key acts
   * only in its own organization, so naming another is answered 403. Blank counts as unset.
   * A call's own `headers` can still name another.
   */
  organization?: string;
  /** fetch's `credentials`: "same-origin" (the default) sends the dashboard's session cookie on its own origin; "include" across origins. */
  credentials?: "omit" | "same-origin" | "include";
  /** fetch's `cache` (e.g. "no-store" in a browser); left to the runtime when unset. */
  cache?: RequestInit["cache"];
  /** Headers on every request, e.g. `user-agent` (Node and edge runtimes; browsers set their own). */
  headers?: Record<string, string>;
  /** Gives up on an attempt after this long (a network failure, retried when idempotent). Default 30 s; 0 for never. */
  timeoutMs?: number;
  /** Retries of idempotent requests (./retry.ts); `false` for none. */
  retry?: RetryOptions | false;
  /** Another fetch (a test double, an instrumented one). */
  fetch?: typeof fetch;
  /** Waits before a retry; injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The clock (ms since the epoch), for Retry-After dates and the key's expiry. */
  now?: () => number;
  /** Called on every answer that carries `Tt-Key-Expires-At` (a key that expires), with how long is left. */
  onKeyExpiry?: (expiry: KeyExpiry) => void;
  onRequest?: (event: RequestEvent) => void;
  onResponse?: (event: ResponseEvent) => void;
  onNetworkFailure?: (event: NetworkFailureEvent) => void;
  onRetry?: (event: RetryEvent) => void;
};

const DEFAULT_TIMEOUT_MS = 30_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function parseDetails(value: unknown): ErrorDetail[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((d) => ({ path: String(d.path ?? ""), message: String(d.message ?? "") }));
}

function parseMeta(value: unknown): PageMeta | undefined {
  if (!isObject(value)) return undefined;
  const { page, per_page, total } = value;
  if (typeof page !== "number" || typeof per_page !== "number" || typeof total !== "number") return undefined;
  return { page, per_page, total };
}

/** The `error.code` of an error envelope's text, else null. */
function errorCodeOf(text: string): string | null {
  try {
    const json: unknown = JSON.parse(text);
    const error = isObject(json) && isObject(json.error) ? json.error : undefined;
    return typeof error?.code === "string" ? error.code : null;
  } catch {
    return null;
  }
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", abort, { once: true });
  });

/** The operation's path with its parameters filled in: `/api/v1/api-keys/{id}` → `/api/v1/api-keys/0b7c…`. */
export function pathOf(id: OperationId, params: Record<string, string> = {}): string {
  const template: string = OPERATIONS[id].path;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (typeof value !== "string") throw new TypeError(`${id} (${template}) needs the path parameter ${name}`);
    return encodeURIComponent(value);
  });
}

export class TunedTensorClient {
  /** When the key stops working, as the last answer said (`Tt-Key-Expires-At`); null until one says, or for a key that does not expire. */
  keyExpiresAt: string | null = null;
  /** The limits the last answer that carried `RateLimit-Policy`/`RateLimit` announced; null until one does. */
  rateLimit: RateLimitState | null = null;
  readonly baseUrl: string;
  /** The organization sent with every request (`Tt-Organization`), or null for none. */
  readonly organization: string | null;

  /** The OIDC credential (the `oidc` option) once made (on the first request), or null for a client with a key or a session. */
  credential: OidcCredential | null = null;
  private credentialMade: Promise<OidcCredential> | null = null;

  constructor(private readonly options: ClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? "").replace(/\/+$/, "");
    this.organization = options.organization?.trim() || null;
    if (options.apiKey !== undefined && options.oidc) throw new TypeError("give apiKey or oidc, not both");
    const { oidc } = options;
    if (oidc && "get" in oidc) this.credential = oidc;
  }

  /** A key from the `oidc` option: exchanged on first use, again before it expires (./oidc.ts). */
  private async oidcKey(): Promise<ExchangedKey> {
    const { oidc } = this.options;
    if (!this.credential) {
      this.credentialMade ??= import("./oidc.ts").then(
        ({ OidcCredential }) =>
          (this.credential ??= new OidcCredential({
            ...(oidc as OidcOptions),
            baseUrl: this.baseUrl,
            fetch: this.options.fetch,
            now: this.options.now,
            timeoutMs: this.options.timeoutMs,
            headers: this.options.headers,
          })),
      );
      await this.credentialMade;
    }
    return this.credential!.get();
  }

  /** Calls operation `id`; resolves to its result (a page: `{data, meta}`), throws an ApiError subclass for an error answer. */
  async call<K extends OperationId>(id: K, ...[init]: CallArgs<K>): Promise<ResultOf<K>> {
    return (await this.request(id, ...([init] as CallArgs<K>))).result;
  }

  /** Like `call`, with the whole answer: status, request id, expiry header, headers. */
  async request<K extends OperationId>(id: K, ...[init]: CallArgs<K>): Promise<ApiResponse<K>> {
    const operation = OPERATIONS[id];
    const given = (init ?? {}) as { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown; signal?: AbortSignal; headers?: Record<string, string> };
    const origin = this.baseUrl ? undefined : (globalThis as { location?: { href: string } }).location?.href;
    if (!this.baseUrl && origin === undefined) throw new TypeError("baseUrl is required outside a browser (e.g. https://tunedtensor.com)");
    const url = new URL(this.baseUrl + pathOf(id, given.params), origin);
    for (const [name, value] of Object.entries(given.query ?? {})) if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
    const shown = url.toString();

    const headers: Record<string, string> = {
      accept: "application/json",
      ...this.options.headers,
      ...(this.organization !== null ? { [ORGANIZATION_HEADER]: this.organization } : {}),
      ...given.headers,
    };
    const apiKey = this.options.apiKey ?? (this.options.oidc ? (await this.oidcKey()).apiKey : undefined);
    if (apiKey !== undefined) headers.authorization = `Bearer ${apiKey}`;
    let body: string | undefined;
    if (operation.body !== null && given.body !== undefined) {
      body = operation.body === "verbatim" ? String(given.body) : JSON.stringify(given.body);
      headers["content-type"] ??= "application/json";
    }

    const bodyBytes = body === undefined ? null : new TextEncoder().encode(body).length;
    const now = this.options.now ?? Date.now;
    const sleep = this.options.sleep ?? defaultSleep;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const fetcher = this.options.fetch ?? globalThis.fetch;
    const retry = this.options.retry;

    for (let attempt = 1; ; attempt++) {
      const event = { method: operation.method, url: shown, attempt, bodyBytes };
      this.options.onRequest?.(event);
      const started = now();
      const signals = [given.signal, timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined].filter((s): s is AbortSignal => s !== undefined);
      let response: Response;
      try {
        response = await fetcher(url, {
          method: operation.method,
          headers,
          body,
          redirect: "manual",
          ...(this.options.credentials ? { credentials: this.options.credentials } : {}),
          ...(this.options.cache ? { cache: this.options.cache } : {}),
          ...(signals.length ? { signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) } : {}),
        });
      } catch (error) {
        // The caller's own abort is not a network failure: it ends the call as it is.
        if (given.signal?.aborted) throw error;
        const reason = networkReason(error, timeoutMs);
        this.options.onNetworkFailure?.({ ...event, reason, durationMs: now() - started });
        const decision = retry === false ? { retry: false as const } : retryDecision(attempt, { idempotent: operation.idempotent, status: null, retryAfter: null }, retry, Math.random());
        if (decision.retry) {
          this.options.onRetry?.({ ...event, status: null, code: null, delayMs: decision.delayMs, retryAfter: null, policy: null });
          await sleep(decision.delayMs, given.signal);
          continue;
        }
        throw new NetworkError(shown, reason, { cause: error });
      }

      const requestId = response.headers.get(REQUEST_ID_HEADER);
      this.options.onResponse?.({ ...event, status: response.status, statusText: response.statusText, requestId, durationMs: now() - started });
      const keyExpiresAt = response.headers.get(KEY_EXPIRES_HEADER);
      if (keyExpiresAt) {
        this.keyExpiresAt = keyExpiresAt;
        const expiry = keyExpiry(keyExpiresAt, now());
        if (expiry) this.options.onKeyExpiry?.(expiry);
      }
      const retryAfter = parseRetryAfter(response.headers.get(RETRY_AFTER_HEADER), now());
      const rateLimit = parseRateLimit(response.headers.get(RATE_LIMIT_POLICY_HEADER), response.headers.get(RATE_LIMIT_HEADER), now());
      if (rateLimit) this.rateLimit = rateLimit;

      if (!response.ok && retry !== false) {
        const decision = retryDecision(attempt, { idempotent: operation.idempotent, status: response.status, retryAfter }, retry, Math.random());
        if (decision.retry) {
          // The error's code says what is waited for (a rate, a quota, an outage).
          const code = errorCodeOf(await response.text().catch(() => ""));
          this.options.onRetry?.({ ...event, status: response.status, code, delayMs: decision.delayMs, retryAfter, policy: exhaustedPolicy(rateLimit) });
          await sleep(decision.delayMs, given.signal);
          continue;
        }
      }

      if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
        const location = response.headers.get("location");
        throw new UnexpectedResponseError(
          `${shown} answered with a redirect (${response.status || "opaque"})${location ? ` to ${location}` : ""}; not following it`,
          response.status,
          requestId,
          shown,
          location,
        );
      }

      const text = await response.text().catch(() => "");
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        // A proxy's error page, another server altogether: not an answer of the API's.
        throw new UnexpectedResponseError(`unexpected response from ${shown}: HTTP ${response.status}, not JSON`, response.status, requestId, shown);
      }

      if (!response.ok) {
        const error = isObject(json) && isObject(json.error) ? json.error : undefined;
        if (!error || typeof error.code !== "string") {
          throw new UnexpectedResponseError(`unexpected response from ${shown}: HTTP ${response.status} without an error envelope`, response.status, requestId, shown);
        }
        throw apiErrorFor({
          status: response.status,
          code: error.code,
          message: typeof error.message === "string" ? error.message : "",
          details: parseDetails(error.details),
          requestId,
          retryAfter,
          rateLimit,
          wwwAuthenticate: response.headers.get("www-authenticate"),
          method: operation.method,
          url: shown,
        });
      }

      let result: unknown;
      if (operation.envelope === "none") result = json;
      else if (!isObject(json) || !("data" in json)) throw new UnexpectedResponseError(`unexpected response from ${shown}: no "data" in the envelope`, response.status, requestId, shown);
      else if (operation.envelope === "page") {
        const meta = parseMeta(json.meta);
        if (!Array.isArray(json.data) || !meta) throw new UnexpectedResponseError(`unexpected response from ${shown}: a list without pagination`, response.status, requestId, shown);
        result = { data: json.data, meta };
      } else result = json.data;

      return { status: response.status, result: result as ResultOf<K>, requestId, keyExpiresAt, rateLimit, headers: response.headers };
    }
  }
}

/** A method per operation of the contract: `client.listBehaviorSpecs({ query: { page: 2 } })`. */
export type OperationMethods = { [K in OperationId]: (...args: CallArgs<K>) => Promise<ResultOf<K>> };

export type TunedTensor = TunedTensorClient & OperationMethods;

/** A client with a method per operation (see TunedTensorClient for `call` and `request`). */
export function createClient(options: ClientOptions = {}): TunedTensor {
  const client = new TunedTensorClient(options);
  for (const id of Object.keys(OPERATIONS) as OperationId[]) {
    Object.defineProperty(client, id, { value: (init?: unknown) => client.call(id, ...([init] as CallArgs<typeof id>)), enumerable: false });
  }
  return client as TunedTensor;
}
