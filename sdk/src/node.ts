// @tuned-tensor/sdk/node: the documented key precedence for Node scripts, the same the tt
// CLI follows (docs/CLI.md):
//
//   key:    an explicit key (a flag), then TUNED_TENSOR_API_KEY, then keyless CI when
//           TUNED_TENSOR_OIDC_POLICY is set (the job's OIDC token exchanged: ./ci-token.ts,
//           ./oidc.ts), then the stored file
//   server: an explicit URL, then TUNED_TENSOR_BASE_URL, then the stored file, then https://tunedtensor.com
//   organization: an explicit one, then TUNED_TENSOR_ORG, then the stored file (`tt orgs switch`
//           writes it), then none: the key's own organization
//   file:   $XDG_CONFIG_HOME/tuned-tensor/config.json (~/.config/… when unset, empty or relative),
//           written by `tt auth login`
//
// A separate entry point, so that the main one imports nothing of Node.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

import { ciIdToken, ENV_OIDC_POLICY, oidcAudience } from "./ci-token.ts";
import { createClient, type ClientOptions, type TunedTensor } from "./client.ts";
import { TunedTensorError } from "./errors.ts";

export * from "./ci-token.ts";

export const ENV_API_KEY = "TUNED_TENSOR_API_KEY";
export const ENV_BASE_URL = "TUNED_TENSOR_BASE_URL";
export const ENV_ORGANIZATION = "TUNED_TENSOR_ORG";
/** The production service. */
export const DEFAULT_BASE_URL = "https://tunedtensor.com";

export type Env = Record<string, string | undefined>;
export type StoredCredentials = {
  api_key?: string;
  base_url?: string;
  /** The organization `tt orgs switch` chose: its id (a slug can be renamed). */
  organization?: string;
  /** Its slug when it was chosen, for messages only. */
  organization_slug?: string;
};
export type KeySource = "flag" | "environment" | "file";
export type BaseUrlSource = KeySource | "default";
export type ResolvedKey = { key: string; source: KeySource };
export type ResolvedBaseUrl = { url: string; source: BaseUrlSource };
/** An organization named by a flag, the environment or the file (null from resolveOrganization: none, the key's own). */
export type ResolvedOrganization = { ref: string; source: KeySource; /** The slug stored with it, when the file names it by id. */ slug?: string };

/** The stored file cannot be used: unreadable, not JSON, not an object. */
export class CredentialsFileError extends TunedTensorError {
  constructor(
    message: string,
    readonly path: string,
    /** unreadable: the file system refused; invalid: not a JSON object (logging in again rewrites it). */
    readonly reason: "unreadable" | "invalid",
  ) {
    super(message);
  }
}
CredentialsFileError.prototype.name = "CredentialsFileError";

/** The directory of the credentials file. A relative XDG_CONFIG_HOME is ignored, as the XDG spec says. */
export function configDir(env: Env = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".config");
  return join(base, "tuned-tensor");
}

/** The credentials file `tt auth login` writes. */
export const configPath = (env: Env = process.env) => join(configDir(env), "config.json");

/** The stored credentials, or null when there is no file. */
export function readStoredCredentials(path: string = configPath()): StoredCredentials | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new CredentialsFileError(`cannot read ${path}: ${(error as Error).message}`, path, "unreadable");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CredentialsFileError(`${path} is not valid JSON`, path, "invalid");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new CredentialsFileError(`${path} is not a JSON object`, path, "invalid");
  const { api_key, base_url, organization, organization_slug } = value as Record<string, unknown>;
  return {
    ...(typeof api_key === "string" && api_key ? { api_key } : {}),
    ...(typeof base_url === "string" && base_url ? { base_url } : {}),
    ...(typeof organization === "string" && organization ? { organization } : {}),
    ...(typeof organization_slug === "string" && organization_slug ? { organization_slug } : {}),
  };
}

export type ResolveOptions = {
  /** An explicit key (a command-line flag): wins over everything. */
  apiKey?: string;
  /** An explicit server URL. */
  baseUrl?: string;
  /** An explicit organization (slug or id). */
  organization?: string;
  env?: Env;
  /** The credentials file; by default configPath(env). */
  path?: string;
  /** Reads the stored credentials instead of readStoredCredentials(path), e.g. with checks of one's own; called only when needed. */
  stored?: () => StoredCredentials | null;
};

const storedOf = (options: ResolveOptions) => (options.stored ? options.stored() : readStoredCredentials(options.path ?? configPath(options.env ?? process.env)));

/**
 * The key to use, and where it came from: `apiKey`, then TUNED_TENSOR_API_KEY, then the
 * stored file (read only when needed, so a flag or the environment works even when the
 * file is unreadable); null when none is set anywhere. Blank values count as unset.
 */
export function resolveApiKey(options: ResolveOptions = {}): ResolvedKey | null {
  const explicit = options.apiKey?.trim();
  if (explicit) return { key: explicit, source: "flag" };
  const env = options.env ?? process.env;
  const fromEnv = env[ENV_API_KEY]?.trim();
  if (fromEnv) return { key: fromEnv, source: "environment" };
  const fromFile = storedOf(options)?.api_key?.trim();
  return fromFile ? { key: fromFile, source: "file" } : null;
}

/** The server to use, and where it came from: `baseUrl`, then TUNED_TENSOR_BASE_URL, then the stored file, then the default. */
export function resolveBaseUrl(options: ResolveOptions = {}): ResolvedBaseUrl {
  const explicit = options.baseUrl?.trim();
  if (explicit) return { url: explicit, source: "flag" };
  const env = options.env ?? process.env;
  const fromEnv = env[ENV_BASE_URL]?.trim();
  if (fromEnv) return { url: fromEnv, source: "environment" };
  const fromFile = storedOf(options)?.base_url?.trim();
  return fromFile ? { url: fromFile, source: "file" } : { url: DEFAULT_BASE_URL, source: "default" };
}

/**
 * The organization to name in every request, and where it came from: `organization`, then
 * TUNED_TENSOR_ORG, then the stored file; null when none is set (a key then acts in its own
 * organization, which is also the only one it may name). Blank values count as unset.
 */
export function resolveOrganization(options: ResolveOptions = {}): ResolvedOrganization | null {
  const explicit = options.organization?.trim();
  if (explicit) return { ref: explicit, source: "flag" };
  const env = options.env ?? process.env;
  const fromEnv = env[ENV_ORGANIZATION]?.trim();
  if (fromEnv) return { ref: fromEnv, source: "environment" };
  const stored = storedOf(options);
  const fromFile = stored?.organization?.trim();
  if (!fromFile) return null;
  const slug = stored?.organization_slug?.trim();
  return slug ? { ref: fromFile, source: "file", slug } : { ref: fromFile, source: "file" };
}

/** No key anywhere: not passed, not in TUNED_TENSOR_API_KEY, not stored. */
export class NoApiKeyError extends TunedTensorError {}
NoApiKeyError.prototype.name = "NoApiKeyError";

/** The trust policy TUNED_TENSOR_OIDC_POLICY names (keyless CI), or null when it is unset or blank. */
export function oidcPolicyFromEnv(env: Env = process.env): string | null {
  return env[ENV_OIDC_POLICY]?.trim() || null;
}

/**
 * A client with the credential, server and organization the precedence picks (see
 * resolveApiKey, resolveBaseUrl, resolveOrganization): an explicit key or
 * TUNED_TENSOR_API_KEY first; then, when TUNED_TENSOR_OIDC_POLICY is set, the CI job's OIDC
 * token exchanged for a short-lived key (lazily, and again before it expires; never stored);
 * then the stored key.
 */
export function clientFromEnvironment(options: ResolveOptions & Omit<ClientOptions, "apiKey" | "baseUrl" | "organization" | "oidc"> = {}): TunedTensor {
  const { apiKey, baseUrl, organization, env = process.env, path, stored, ...client } = options;
  const explicit = resolveApiKey({ apiKey, env, stored: () => null });
  const policy = explicit ? null : oidcPolicyFromEnv(env);
  const key = explicit ?? (policy ? null : resolveApiKey({ env, path, stored }));
  if (!key && !policy) throw new NoApiKeyError(`no API key: pass one, set ${ENV_API_KEY} (or ${ENV_OIDC_POLICY} in CI), or log in with tt auth login`);
  const org = resolveOrganization({ organization, env, path, stored });
  const server = resolveBaseUrl({ baseUrl, env, path, stored }).url;
  return createClient({
    ...client,
    ...(key ? { apiKey: key.key } : { oidc: { policy: policy!, token: () => ciIdToken({ env, audience: oidcAudience(server, env), fetch: client.fetch }) } }),
    baseUrl: server,
    ...(org ? { organization: org.ref } : {}),
  });
}
