// HTTP to /api/v1: one request function, the envelope ({data, meta?} or
// {error: {code, message, details?}}) parsed by hand (no zod on the CLI's hot path),
// and the errors the CLI reports. Exit codes: 1 for API, authentication and network
// errors, 2 for usage errors.
import { EXPIRES_HEADER, warnIfExpiringSoon } from "./expiry.js";
import { debugLog, maskKey, type PageMeta } from "./output.js";

/** An error the CLI reports and exits on; `hints` are printed after the message. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
    readonly hints: string[] = [],
  ) {
    super(message);
  }
}

/** The command line was wrong: exit 2, like commander's own usage errors. */
export class UsageError extends CliError {
  constructor(message: string, hints: string[] = []) {
    super(message, 2, hints);
  }
}

export type ErrorDetail = { path: string; message: string };

/** The server answered with its error envelope. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly serverMessage: string,
    readonly details: ErrorDetail[],
    readonly requestId: string | null,
    hints: string[] = [],
    /** The scope the key lacks, from a 403's `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"`. */
    readonly missingScope: string | null = null,
  ) {
    super(`${status} ${code}: ${serverMessage}`, 1, hints);
  }
}

/** The scope named by an RFC 6750 `insufficient_scope` challenge, if that is what it is. */
export function missingScopeOf(challenge: string | null): string | null {
  if (!challenge || !/\berror="insufficient_scope"/.test(challenge)) return null;
  return /\bscope="([^"]*)"/.exec(challenge)?.[1] ?? null;
}

/** What to do about a key without the scope a command needs. */
export function missingScopeHint(scope: string): string {
  return `This API key does not have the scope ${scope}. Keys are made in the dashboard (Settings → API Keys): create one with ${scope}, then run: tt auth login`;
}

/**
 * What to do about a key the server refused as a credential: expired (401), revoked (403
 * "API key revoked"; a 401 saying "revoked" reads the same), or unknown to this server
 * (any other 401). `useNewKey` says how this run's key is replaced, which depends on where
 * it came from (a stored key: tt auth login; the environment: the variable).
 */
export function rejectedKeyHints(status: number, code: string, message: string, server: string, useNewKey: string): string[] {
  const newKey = `Create a new key in the dashboard (Settings → API Keys), then ${useNewKey}.`;
  if ((status === 401 || (status === 403 && code === "forbidden")) && /\brevoked\b/i.test(message)) return [`This API key has been revoked. ${newKey}`];
  if (status !== 401) return [];
  if (/\bexpired\b/i.test(message)) return [`This API key has expired. ${newKey}`];
  return [`${server} does not know this API key: mistyped, deleted, or issued by another server (see tt auth status). ${newKey}`];
}

/** The server could not be reached at all. */
export class NetworkError extends CliError {
  constructor(
    readonly url: string,
    readonly reason: string,
    hints: string[] = [],
  ) {
    super(`could not reach ${url}: ${reason}`, 1, hints);
  }
}

export type Page<T> = { data: T[]; meta: PageMeta };

export type ClientOptions = {
  baseUrl: string;
  apiKey: string;
  debug: boolean;
  userAgent: string;
  /** Said after a network failure, e.g. where the base URL came from. */
  networkHint?: string;
  /** How to start using a new key after this one was refused (401, revoked), e.g. "run: tt auth login". */
  useNewKey?: string;
};

const TIMEOUT_MS = 30_000;

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

function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  if (code && NETWORK_REASONS[code]) return `${NETWORK_REASONS[code]} (${code})`;
  // fetch refuses some ports outright (the Fetch standard's "bad ports": 1, 9, 25, 6000…).
  if (cause?.message === "bad port") return "fetch does not connect to this port (it is on the Fetch standard's list of blocked ports)";
  if (cause && typeof cause.message === "string") return code ? `${cause.message} (${code})` : cause.message;
  return error instanceof Error ? error.message : String(error);
}

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

export class Client {
  /** When the key stops working, as the last answer said (`Tt-Key-Expires-At`); null if it does not expire. */
  keyExpiresAt: string | null = null;

  constructor(private readonly options: ClientOptions) {}

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  async get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T> {
    return (await this.request<T>("GET", path, { query })).data;
  }

  async list<T>(path: string, query: Record<string, string | number | undefined>): Promise<Page<T>> {
    const { data, meta, url } = await this.request<T[]>("GET", path, { query });
    if (!Array.isArray(data) || !meta) throw new CliError(`unexpected response from ${url}: a list without pagination`);
    return { data, meta };
  }

  async post<T>(path: string, body: string): Promise<T> {
    return (await this.request<T>("POST", path, { body })).data;
  }

  async delete<T>(path: string): Promise<T> {
    return (await this.request<T>("DELETE", path)).data;
  }

  private async request<T>(
    method: string,
    path: string,
    { query, body }: { query?: Record<string, string | number | undefined>; body?: string } = {},
  ): Promise<{ data: T; meta?: PageMeta; url: string }> {
    const url = new URL(this.options.baseUrl + path);
    for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = {
      accept: "application/json",
      authorization: `Bearer ${this.options.apiKey}`,
      "user-agent": this.options.userAgent,
    };
    if (body !== undefined) headers["content-type"] = "application/json";
    const shown = url.toString();
    const started = Date.now();
    if (this.options.debug) {
      debugLog(`→ ${method} ${shown}`);
      debugLog(`  authorization: Bearer ${maskKey(this.options.apiKey)}`);
      if (body !== undefined) debugLog(`  body: ${Buffer.byteLength(body)} bytes of JSON`);
    }

    let res: Response;
    try {
      // No redirects: a key is sent only to the server it was meant for. A 3xx is reported.
      res = await fetch(url, { method, headers, body, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      if (this.options.debug) debugLog(`✗ ${method} ${shown}: ${networkReason(error)}`);
      throw new NetworkError(shown, networkReason(error), this.options.networkHint ? [this.options.networkHint] : []);
    }
    const text = await res.text().catch(() => "");
    const requestId = res.headers.get("x-request-id");
    const expiresAt = res.headers.get(EXPIRES_HEADER);
    if (expiresAt) {
      this.keyExpiresAt = expiresAt;
      warnIfExpiringSoon(this.options.apiKey.slice(0, 11), expiresAt);
    }
    if (this.options.debug) debugLog(`← ${res.status} ${res.statusText} in ${Date.now() - started} ms${requestId ? ` (x-request-id ${requestId})` : ""}`);

    if (res.status >= 300 && res.status < 400) {
      const location = res.headers.get("location");
      throw new CliError(`${shown} answered with a redirect (${res.status})${location ? ` to ${location}` : ""}; not following it with your key`, 1, [
        "Point --base-url (or TUNED_TENSOR_BASE_URL) at the API's own address.",
      ]);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CliError(`unexpected response from ${shown}: HTTP ${res.status}, not JSON`, 1, [
        "Is the base URL a Tuned Tensor server? Check --base-url / TUNED_TENSOR_BASE_URL.",
      ]);
    }
    if (!res.ok) {
      const error = isObject(json) && isObject(json.error) ? json.error : undefined;
      if (!error || typeof error.code !== "string") throw new CliError(`unexpected response from ${shown}: HTTP ${res.status} without an error envelope`);
      const message = String(error.message ?? "");
      const missingScope = res.status === 403 ? missingScopeOf(res.headers.get("www-authenticate")) : null;
      const hints = missingScope
        ? [missingScopeHint(missingScope)]
        : this.options.useNewKey
          ? rejectedKeyHints(res.status, error.code, message, this.options.baseUrl, this.options.useNewKey)
          : [];
      throw new ApiError(res.status, error.code, message, parseDetails(error.details), requestId, hints, missingScope);
    }
    if (!isObject(json) || !("data" in json)) throw new CliError(`unexpected response from ${shown}: no "data" in the envelope`);
    return { data: json.data as T, meta: parseMeta(json.meta), url: shown };
  }
}
