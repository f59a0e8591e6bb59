// Keyless CI: a pipeline's OIDC token (GitHub Actions, GitLab, any OIDC issuer) traded for a
// short-lived API key at POST /api/v1/oauth/token (RFC 8693 token exchange), and a credential
// that does it lazily and again before the key expires. The exchange answers in RFC 6749's
// shape (`{access_token, expires_in, scope}` or `{error, error_description}`), not the API's
// envelope, because OAuth clients expect it: so it is its own fetch here, not `client.call`.
// fetch only, like the client (./client.ts): the CI token itself is found in ./ci-token.ts.
import { NetworkError, networkReason, TunedTensorError, UnexpectedResponseError } from "./errors.ts";
import { OPERATIONS } from "./generated/contract.ts";

export const TOKEN_EXCHANGE_PATH = OPERATIONS.exchangeToken.path;
export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
/** What a CI provider signs is an OpenID Connect ID token. */
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";

/** A minted key: the key, when it stops working, and what it may do. */
export type ExchangedKey = {
  /** The `tt_…` key; send it as `Authorization: Bearer`. Never log it. */
  apiKey: string;
  /** When the key stops working (ms since the epoch), from `expires_in` and the clock. */
  expiresAt: number;
  expiresIn: number;
  scopes: string[];
  /** The trust policy asked for (`audience` of the exchange), or null: the one the server matched. */
  policy: string | null;
};

/**
 * The server refused the exchange (RFC 6749 §5.2): `invalid_grant` (the token is not valid,
 * or matches no trust policy), `invalid_target` (several policies match: name one),
 * `invalid_request`, `unsupported_grant_type`…
 */
export class TokenExchangeError extends TunedTensorError {
  constructor(
    readonly status: number,
    /** RFC 6749's `error`. */
    readonly error: string,
    /** RFC 6749's `error_description`, the server's words. */
    readonly description: string,
    readonly requestId: string | null,
  ) {
    super(description ? `${error}: ${description}` : error);
  }
}
TokenExchangeError.prototype.name = "TokenExchangeError";

export type ExchangeOptions = {
  /** The server, e.g. `https://tunedtensor.com`. */
  baseUrl: string;
  /** The CI's OIDC token (a JWT). Never logged. */
  subjectToken: string;
  /** The trust policy to use (its id), sent as RFC 8693's `audience`; needed when several of the organization's policies match the token. */
  policy?: string;
  fetch?: typeof fetch;
  /** The clock (ms since the epoch) for `expiresAt`. */
  now?: () => number;
  timeoutMs?: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Trades a CI's OIDC token for a short-lived API key (RFC 8693). Never retried: a token is good for one exchange. */
export async function exchangeOidcToken(options: ExchangeOptions): Promise<ExchangedKey> {
  const url = `${options.baseUrl.replace(/\/+$/, "")}${TOKEN_EXCHANGE_PATH}`;
  const form = new URLSearchParams({ grant_type: TOKEN_EXCHANGE_GRANT, subject_token: options.subjectToken, subject_token_type: ID_TOKEN_TYPE });
  const policy = options.policy?.trim() || null;
  if (policy) form.set("audience", policy);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const signals = [options.signal, timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined].filter((s): s is AbortSignal => s !== undefined);
  const now = options.now ?? Date.now;
  let response: Response;
  try {
    response = await (options.fetch ?? globalThis.fetch)(url, {
      method: "POST",
      headers: { accept: "application/json", ...options.headers, "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
      redirect: "manual",
      ...(signals.length ? { signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new NetworkError(url, networkReason(error, timeoutMs), { cause: error });
  }
  const requestId = response.headers.get("x-request-id");
  const text = await response.text().catch(() => "");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UnexpectedResponseError(`unexpected response from ${url}: HTTP ${response.status}, not JSON`, response.status, requestId, url);
  }
  if (!response.ok) {
    if (isObject(json) && typeof json.error === "string") {
      throw new TokenExchangeError(response.status, json.error, typeof json.error_description === "string" ? json.error_description : "", requestId);
    }
    throw new UnexpectedResponseError(`unexpected response from ${url}: HTTP ${response.status} without an OAuth error`, response.status, requestId, url);
  }
  if (!isObject(json) || typeof json.access_token !== "string" || typeof json.expires_in !== "number" || !(json.expires_in > 0)) {
    throw new UnexpectedResponseError(`unexpected response from ${url}: no access_token and expires_in`, response.status, requestId, url);
  }
  return {
    apiKey: json.access_token,
    expiresIn: json.expires_in,
    expiresAt: now() + json.expires_in * 1000,
    scopes: typeof json.scope === "string" ? json.scope.split(/\s+/).filter(Boolean) : [],
    policy,
  };
}

export type OidcOptions = {
  /** Gets a fresh OIDC token from the CI (e.g. ciIdToken from `@tuned-tensor/sdk/node`); called for every exchange. */
  token: () => Promise<string>;
  /** The trust policy to use (its id); see ExchangeOptions.policy. */
  policy?: string;
  /** Exchange again this long before the key expires (default: 30 s, or a tenth of its lifetime when that is shorter). */
  refreshBeforeMs?: number;
};

/**
 * A key minted from a CI token, exchanged on first use and again when it is about to expire.
 * Calls in flight together share one exchange (a CI token is good for one exchange only).
 */
export class OidcCredential {
  private current: ExchangedKey | null = null;
  private pending: Promise<ExchangedKey> | null = null;

  constructor(
    private readonly options: OidcOptions & Pick<ExchangeOptions, "baseUrl" | "fetch" | "now" | "timeoutMs" | "headers">,
  ) {}

  /** The key minted last, without exchanging (null before the first exchange). */
  get last(): ExchangedKey | null {
    return this.current;
  }

  /** A key good for a while yet: the one held, or a new one. */
  async get(): Promise<ExchangedKey> {
    const now = (this.options.now ?? Date.now)();
    const held = this.current;
    if (held) {
      const margin = this.options.refreshBeforeMs ?? Math.min(30_000, (held.expiresIn * 1000) / 10);
      if (now < held.expiresAt - margin) return held;
    }
    this.pending ??= this.exchange().finally(() => (this.pending = null));
    return this.pending;
  }

  private async exchange(): Promise<ExchangedKey> {
    const { token, policy, baseUrl, fetch, now, timeoutMs, headers } = this.options;
    const subjectToken = await token();
    this.current = await exchangeOidcToken({ baseUrl, subjectToken, policy, fetch, now, timeoutMs, headers });
    return this.current;
  }
}
