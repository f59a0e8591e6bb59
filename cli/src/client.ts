// HTTP to the API through the SDK (sdk/: the contract's operations by id, the envelope, the
// errors by code, retries of idempotent requests, the key's expiry header), and the errors
// the CLI reports: the SDK's failures, in the CLI's words and with its hints. Exit codes: 1
// for API, authentication and network errors, 2 for usage errors.
import {
  ApiError as SdkApiError,
  createClient,
  keyPrefix,
  maskKey,
  NetworkError as SdkNetworkError,
  REQUEST_ID_HEADER,
  UnexpectedResponseError,
  type CallArgs,
  type ErrorDetail,
  type OperationId,
  type ResultOf,
  type TunedTensor,
} from "../../sdk/src/index.js";
import { now, warnIfExpiringSoon } from "./expiry.js";
import { debugLog } from "./output.js";

export type { ErrorDetail };

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

export type ClientOptions = {
  baseUrl: string;
  /** None for the public operations (the device flow). */
  apiKey?: string;
  debug: boolean;
  userAgent: string;
  /** Said after a network failure, e.g. where the base URL came from. */
  networkHint?: string;
  /** How to start using a new key after this one was refused (401, revoked), e.g. "run: tt auth login". */
  useNewKey?: string;
};

const TIMEOUT_MS = 30_000;
// A person is waiting: a server that asks for a longer pause than this gets an error saying so, not a silent wait.
const MAX_RETRY_DELAY_MS = 10_000;

export class Client {
  private readonly sdk: TunedTensor;

  constructor(private readonly options: ClientOptions) {
    const { apiKey, debug } = options;
    this.sdk = createClient({
      baseUrl: options.baseUrl,
      apiKey,
      headers: { "user-agent": options.userAgent },
      timeoutMs: TIMEOUT_MS,
      retry: { maxDelayMs: MAX_RETRY_DELAY_MS },
      // The CLI's clock (TUNED_TENSOR_NOW in tests) decides when the key expires "soon".
      now: () => now(),
      onKeyExpiry: apiKey ? (expiry) => warnIfExpiringSoon(keyPrefix(apiKey), expiry) : undefined,
      ...(debug
        ? {
            onRequest: (e) => {
              debugLog(`→ ${e.method} ${e.url}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ""}`);
              if (apiKey) debugLog(`  authorization: Bearer ${maskKey(apiKey) ?? "…(hidden)"}`);
              if (e.bodyBytes !== null) debugLog(`  body: ${e.bodyBytes} bytes of JSON`);
            },
            onResponse: (e) => debugLog(`← ${e.status} ${e.statusText} in ${e.durationMs} ms${e.requestId ? ` (${REQUEST_ID_HEADER} ${e.requestId})` : ""}`),
            onNetworkFailure: (e) => debugLog(`✗ ${e.method} ${e.url}: ${e.reason}`),
            onRetry: (e) => debugLog(`  trying again in ${(e.delayMs / 1000).toFixed(1)} s`),
          }
        : {}),
    });
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** When the key stops working, as the last answer said (`Tt-Key-Expires-At`); null if it does not expire. */
  get keyExpiresAt(): string | null {
    return this.sdk.keyExpiresAt;
  }

  /** Calls operation `id` of the API; its failures are thrown as the CLI's errors, with hints. */
  async call<K extends OperationId>(id: K, ...args: CallArgs<K>): Promise<ResultOf<K>> {
    try {
      return await this.sdk.call(id, ...args);
    } catch (error) {
      throw this.report(error);
    }
  }

  private report(error: unknown): unknown {
    if (error instanceof SdkApiError) {
      const missingScope = error.status === 403 ? error.missingScope : null;
      const hints = missingScope
        ? [missingScopeHint(missingScope)]
        : this.options.useNewKey
          ? rejectedKeyHints(error.status, error.code, error.message, this.options.baseUrl, this.options.useNewKey)
          : [];
      return new ApiError(error.status, error.code, error.message, error.details, error.requestId, hints, missingScope);
    }
    if (error instanceof SdkNetworkError) return new NetworkError(error.url, error.reason, this.options.networkHint ? [this.options.networkHint] : []);
    if (error instanceof UnexpectedResponseError) {
      if (error.status >= 300 && error.status < 400) {
        return new CliError(`${error.message} with your key`, 1, ["Point --base-url (or TUNED_TENSOR_BASE_URL) at the API's own address."]);
      }
      return new CliError(error.message, 1, /not JSON/.test(error.message) ? ["Is the base URL a Tuned Tensor server? Check --base-url / TUNED_TENSOR_BASE_URL."] : []);
    }
    return error;
  }
}
