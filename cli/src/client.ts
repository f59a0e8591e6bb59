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
  OidcCredential,
  ORGANIZATION_HEADER,
  ROLE_SCOPES,
  REQUEST_ID_HEADER,
  TooManyRequestsError,
  UnexpectedResponseError,
  type CallArgs,
  type ErrorDetail,
  type Me,
  type OperationId,
  type ResultOf,
  type TunedTensor,
} from "../../sdk/src/index.js";
import type { ResolvedOrganization } from "../../sdk/src/node.js";
import { now, warnIfExpiringSoon } from "./expiry.js";
import { debugLog, note } from "./output.js";
import { retryLaterHint, retryNotice } from "./waits.js";

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

/**
 * The key was sent naming another organization than its own (a key acts only in its own):
 * the server's 403, with the key's own organization, which a second request without the
 * header found out.
 */
export class WrongOrganizationError extends ApiError {
  constructor(
    readonly me: Me,
    readonly requested: ResolvedOrganization,
    message: string,
    requestId: string | null,
    hints: string[],
  ) {
    super(403, "forbidden", message, [], requestId, hints);
  }
}

/** An organization as people read it: its slug, or "your personal workspace". */
export const organizationLabel = (org: { slug: string; personal: boolean }) => (org.personal ? `your personal workspace (${org.slug})` : org.slug);

/** The organization this run names, as people read it: the slug stored with an id, else what was given. */
export const requestedLabel = (org: ResolvedOrganization) => org.slug ?? org.ref;

/** Where --org, TUNED_TENSOR_ORG or the stored organization came from, and how to stop naming it. */
const STOP_NAMING: Record<ResolvedOrganization["source"], (own: string) => string> = {
  flag: () => "leave out --org",
  environment: () => "unset TUNED_TENSOR_ORG",
  file: (own) => `run: tt orgs switch ${own}   (or tt orgs switch --clear)`,
};
const NAMED_BY: Record<ResolvedOrganization["source"], string> = { flag: "--org", environment: "TUNED_TENSOR_ORG", file: "tt orgs switch" };

/** Why the key cannot act in the organization this run names, and the two ways out. */
export function wrongOrganization(keyPrefixText: string, me: Me, requested: ResolvedOrganization, useNewKey: string): { message: string; hints: string[] } {
  const wanted = requestedLabel(requested);
  const own = me.organization;
  return {
    message: `this API key (${keyPrefixText}) belongs to ${organizationLabel(own)}, not ${wanted} (named by ${NAMED_BY[requested.source]}): a key acts only in its own organization`,
    hints: [
      `To work in ${wanted}: create a key there in the dashboard (switch to ${wanted}, then Settings → API Keys), then ${useNewKey}.`,
      `To use this key in ${own.personal ? "your personal workspace" : own.slug}: ${STOP_NAMING[requested.source](own.slug)}.`,
    ],
  };
}

/** What to do about a key without the scope a command needs. */
export function missingScopeHint(scope: string): string {
  return `This API key does not have the scope ${scope}. Keys are made in the dashboard (Settings → API Keys): create one with ${scope}, then run: tt auth login`;
}

/**
 * What to do when no key of this holder can have the scope: their role in the organization
 * (or the service account's) does not include it, so a new key would not help.
 */
export function roleLacksScopeHint(scope: string, me: Me): string | null {
  const role = me.organization.role;
  if ((ROLE_SCOPES[role] as readonly string[]).includes(scope)) return null;
  const where = organizationLabel(me.organization);
  return me.service_account
    ? `The service account "${me.service_account.name}" is a ${role} in ${where}, which does not allow ${scope}: no key of it can have it. An owner or admin can do this, or give the work to a service account with a role that allows it.`
    : `Your role in ${where} (${role}) does not allow ${scope}, so no key of yours can have it there. Ask an owner or admin of the organization.`;
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
  /** The organization every request names (Tt-Organization), or none: the key's own. */
  organization?: ResolvedOrganization | null;
  /** A key minted from the CI job's OIDC token (`apiKey` is its first): exchanged again if it expires mid-run. */
  credential?: OidcCredential;
};

const TIMEOUT_MS = 30_000;
// A person is waiting: a server that asks for a longer pause than this gets an error saying so, not a silent wait.
const MAX_RETRY_DELAY_MS = 10_000;

export class Client {
  private readonly sdk: TunedTensor;

  constructor(private readonly options: ClientOptions) {
    this.sdk = this.build(options.organization ?? null);
  }

  private build(organization: ResolvedOrganization | null): TunedTensor {
    const { apiKey, debug, organization: named, credential } = this.options;
    return createClient({
      baseUrl: this.options.baseUrl,
      ...(credential ? { oidc: credential } : { apiKey }),
      ...(organization ? { organization: organization.ref } : {}),
      headers: { "user-agent": this.options.userAgent },
      timeoutMs: TIMEOUT_MS,
      retry: { maxDelayMs: MAX_RETRY_DELAY_MS },
      // The CLI's clock (TUNED_TENSOR_NOW in tests) decides when the key expires "soon".
      now: () => now(),
      // A minted key lives minutes by design: nothing to warn about.
      onKeyExpiry: apiKey && !credential ? (expiry) => warnIfExpiringSoon(keyPrefix(apiKey), expiry) : undefined,
      // Said always, not only with --debug: a person is waiting and should know for what.
      onRetry: (e) => note(retryNotice(e)),
      ...(debug
        ? {
            onRequest: (e) => {
              debugLog(`→ ${e.method} ${e.url}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ""}`);
              const sent = credential?.last?.apiKey ?? apiKey;
              if (sent) debugLog(`  authorization: Bearer ${maskKey(sent) ?? "…(hidden)"}${credential ? " (minted from the CI job's OIDC token)" : ""}`);
              if (organization) debugLog(`  ${ORGANIZATION_HEADER}: ${organization.ref} (named by ${NAMED_BY[organization.source]})`);
              else if (named) debugLog(`  (without ${ORGANIZATION_HEADER})`);
              if (e.bodyBytes !== null) debugLog(`  body: ${e.bodyBytes} bytes of JSON`);
            },
            onResponse: (e) => debugLog(`← ${e.status} ${e.statusText} in ${e.durationMs} ms${e.requestId ? ` (${REQUEST_ID_HEADER} ${e.requestId})` : ""}`),
            onNetworkFailure: (e) => debugLog(`✗ ${e.method} ${e.url}: ${e.reason}`),
            onRetry: (e) => {
              debugLog(`  trying again in ${(e.delayMs / 1000).toFixed(1)} s`);
              note(retryNotice(e));
            },
          }
        : {}),
    });
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** The organization this client names in every request, or null (the key's own). */
  get organization(): ResolvedOrganization | null {
    return this.options.organization ?? null;
  }

  /**
   * Calls an operation without naming the organization: the list of every organization,
   * and the key's own, are not about the one this run names (which may be wrong).
   */
  async callUnscoped<K extends OperationId>(id: K, ...args: CallArgs<K>): Promise<ResultOf<K>> {
    const sdk = this.options.organization ? (this.unscoped ??= this.build(null)) : this.sdk;
    try {
      return await sdk.call(id, ...args);
    } catch (error) {
      throw this.report(error);
    }
  }

  private unscoped: TunedTensor | undefined;

  /** When the key stops working, as the last answer said (`Tt-Key-Expires-At`); null if it does not expire. */
  get keyExpiresAt(): string | null {
    return this.sdk.keyExpiresAt;
  }

  /** Calls operation `id` of the API; its failures are thrown as the CLI's errors, with hints. */
  async call<K extends OperationId>(id: K, ...args: CallArgs<K>): Promise<ResultOf<K>> {
    try {
      return await this.sdk.call(id, ...args);
    } catch (error) {
      throw (await this.wrongOrganization(error)) ?? (await this.roleLacksScope(error)) ?? this.report(error);
    }
  }

  /**
   * A key without the scope a command needs, whose holder's role does not allow it either:
   * "make a key with it" would not help, so say whose permission it takes (asking who the key
   * is: one more request, on this failure only). Null otherwise.
   */
  private async roleLacksScope(error: unknown): Promise<ApiError | null> {
    if (!this.options.apiKey || !(error instanceof SdkApiError) || error.status !== 403 || !error.missingScope) return null;
    let me: Me;
    try {
      me = await this.sdk.call("getMe");
    } catch {
      return null;
    }
    const hint = roleLacksScopeHint(error.missingScope, me);
    return hint ? new ApiError(error.status, error.code, error.message, error.details, error.requestId, [hint], error.missingScope) : null;
  }

  /**
   * A 403 to a request naming an organization may be the key's own refusal to act outside
   * its organization: asking who the key is without the header tells (one more request, on
   * this failure only). Null when that is not what happened.
   */
  private async wrongOrganization(error: unknown): Promise<WrongOrganizationError | null> {
    const requested = this.options.organization;
    const { apiKey } = this.options;
    if (!requested || !apiKey || !(error instanceof SdkApiError) || error.status !== 403 || error.missingScope) return null;
    let me: Me;
    try {
      me = await (this.unscoped ??= this.build(null)).call("getMe");
    } catch {
      return null;
    }
    const ref = requested.ref.toLowerCase();
    if (ref === me.organization.slug || ref === me.organization.id) return null;
    const { message, hints } = wrongOrganization(`${keyPrefix(apiKey)}…`, me, requested, this.options.useNewKey ?? "run: tt auth login");
    return new WrongOrganizationError(me, requested, message, error.requestId, hints);
  }

  private report(error: unknown): unknown {
    if (error instanceof SdkApiError) {
      const missingScope = error.status === 403 ? error.missingScope : null;
      const policy = error instanceof TooManyRequestsError ? error.policy : null;
      const later = retryLaterHint({ status: error.status, code: error.code, retryAfter: error.retryAfter, policy, method: error.method }, now());
      const hints = missingScope
        ? [missingScopeHint(missingScope)]
        : later
          ? [later]
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
