// Where the stored credentials live, which key and which server a command uses, and how
// the credentials file is written (atomically, 0600, in a 0700 directory). The places and
// the precedence are the SDK's (@tuned-tensor/sdk/node, sdk/src/node.ts), so a script using
// the SDK finds the same key as tt:
//
//   key:    -k/--api-key, then TUNED_TENSOR_API_KEY, then keyless CI when
//           TUNED_TENSOR_OIDC_POLICY is set (the job's OIDC token exchanged: ./oidc.ts),
//           then the file
//   server: --base-url, then TUNED_TENSOR_BASE_URL, then the file, then https://tunedtensor.com
//   org:    --org, then TUNED_TENSOR_ORG, then the file (tt orgs switch), then none: the key's own
//   file:   $XDG_CONFIG_HOME/tuned-tensor/config.json (~/.config/... when unset or empty)
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";

import {
  configPath,
  CredentialsFileError,
  ENV_API_KEY,
  ENV_BASE_URL,
  ENV_OIDC_POLICY,
  ENV_ORGANIZATION,
  readStoredCredentials,
  resolveApiKey,
  resolveBaseUrl,
  resolveOrganization,
  type BaseUrlSource,
  type ResolvedBaseUrl,
  type ResolvedKey as SdkResolvedKey,
  type ResolvedOrganization,
  type StoredCredentials,
} from "../../sdk/src/node.js";
import type { OidcKey } from "./oidc.js";
import { CliError, UsageError } from "./client.js";
import { warn } from "./output.js";

export { configDir, configPath, DEFAULT_BASE_URL, ENV_API_KEY, ENV_BASE_URL, ENV_ORGANIZATION } from "../../sdk/src/node.js";
export type { BaseUrlSource, ResolvedBaseUrl, ResolvedOrganization };
/** Where this run's key came from: a flag, the environment, the file, or minted from the CI job's OIDC token. */
export type KeySource = SdkResolvedKey["source"] | "oidc";
export type ResolvedKey = { key: string; source: KeySource; /** How a minted key was had (source "oidc"). */ oidc?: OidcKey };
export type StoredConfig = StoredCredentials;

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/** The stored credentials, or null when there is no file. A file that is not ours to read is an error. */
export function readConfig(path = configPath()): StoredConfig | null {
  let stored: StoredConfig | null;
  try {
    stored = readStoredCredentials(path);
  } catch (error) {
    if (!(error instanceof CredentialsFileError)) throw error;
    throw new CliError(
      error.message,
      1,
      error.reason === "invalid" ? ["Log in again (tt auth login) to rewrite it, or remove it with: tt auth logout"] : [],
    );
  }
  if (stored === null) return null;
  try {
    const mode = statSync(path).mode;
    if (mode & 0o077) warn(`${path} is readable by other users (mode ${octal(mode)}); fix it with: chmod 600 ${path}`);
  } catch {
    // Gone between the read and the stat: what was read still stands.
  }
  return stored;
}

/** Creates the directory 0700, or narrows an existing one that others can enter. */
function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mode = statSync(dir).mode;
  if (mode & 0o077) {
    try {
      chmodSync(dir, 0o700);
      warn(`${dir} was accessible by other users (mode ${octal(mode)}); changed it to 0700`);
    } catch (error) {
      warn(`${dir} is accessible by other users (mode ${octal(mode)}) and could not be changed: ${(error as Error).message}`);
    }
  }
}

/**
 * Writes the credentials atomically: a new 0600 file in the same directory, flushed to
 * disk, then renamed over the old one, so a crash leaves the old file or the new one,
 * never half of either, and the key is never in a file others can read.
 */
export function writeConfig(config: StoredConfig, path = configPath()): void {
  const dir = dirname(path);
  ensurePrivateDir(dir);
  const temp = join(dir, `.config.json.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(temp, "wx", 0o600);
  try {
    try {
      fchmodSync(fd, 0o600); // the umask may have taken more; exactly 0600
      writeSync(fd, `${JSON.stringify(config, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw error;
  }
  // The rename itself is durable only once the directory is flushed too (best effort).
  try {
    const dirFd = openSync(dir, "r");
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Not every platform lets a directory be opened for fsync.
  }
}

/** Removes the stored credentials; false when there were none. */
export function deleteConfig(path = configPath()): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw new CliError(`cannot remove ${path}: ${(error as Error).message}`);
  }
}

/** `https://host[/prefix]` without a trailing slash; anything else is a usage error naming where it came from. */
export function normalizeBaseUrl(raw: string, from: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UsageError(`the server URL from ${from} is not a URL: ${JSON.stringify(raw)}`, ["Expected something like https://tunedtensor.com"]);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`the server URL from ${from} must start with http:// or https://`);
  if (url.username || url.password) throw new UsageError(`the server URL from ${from} must not contain a user name or password`);
  if (url.search || url.hash) throw new UsageError(`the server URL from ${from} must not have a query or fragment`);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

export type GlobalOptions = { apiKey?: string; baseUrl?: string; org?: string; debug?: boolean };

const FLAG = { key: "--api-key", url: "--base-url", org: "--org" } as const;
const ENV = { key: ENV_API_KEY, url: ENV_BASE_URL, org: ENV_ORGANIZATION } as const;

/** What the server takes in Tt-Organization: a slug or an id (letters, digits, hyphens; at most 64). */
const ORGANIZATION_REF = /^[A-Za-z0-9-]{1,64}$/;

/** Where a setting came from, as people read it. */
export function describeSource(source: BaseUrlSource | "oidc", kind: "key" | "url" | "org", path: string): string {
  switch (source) {
    case "oidc":
      return "the CI job's OIDC token";
    case "flag":
      return FLAG[kind];
    case "environment":
      return ENV[kind];
    case "file":
      return path;
    case "default":
      return "default";
  }
}

/** Why this organization, in words: `tt auth status` says it, like the server's. */
export function whyOrganization(org: ResolvedOrganization | null, path: string): string {
  if (org === null) return `the key's own; choose another with --org, ${ENV_ORGANIZATION} or tt orgs switch`;
  return org.source === "file" ? `stored by tt orgs switch in ${path}` : `from ${describeSource(org.source, "org", path)}`;
}

/** Why this server, in words: `tt auth status` always says it, since a wrong server looks like a bad key. */
export function whyServer(source: BaseUrlSource, path: string): string {
  return source === "default"
    ? `the default; change it with --base-url, ${ENV_BASE_URL} or tt auth login --base-url`
    : `from ${describeSource(source, "url", path)}`;
}

/**
 * The settings of one command run. The file is read only when a setting falls through to
 * it, so a flag or the environment works even when the file is unreadable.
 */
export class Settings {
  readonly path: string;
  readonly debug: boolean;
  private stored: StoredConfig | null | undefined;

  constructor(
    private readonly options: GlobalOptions,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.path = configPath(env);
    this.debug = Boolean(options.debug) || /^(1|true|yes)$/i.test(env.TT_DEBUG ?? "");
  }

  file(): StoredConfig | null {
    if (this.stored === undefined) this.stored = readConfig(this.path);
    return this.stored;
  }

  /** The key stored or given (--api-key, TUNED_TENSOR_API_KEY, the file), or null when none is set anywhere. */
  apiKey({ stored = true }: { stored?: boolean } = {}): ResolvedKey | null {
    if (this.options.apiKey !== undefined && !this.options.apiKey.trim()) throw new UsageError("--api-key is empty");
    return resolveApiKey({ apiKey: this.options.apiKey, env: this.env, stored: () => (stored ? this.file() : null) });
  }

  /**
   * The trust policy TUNED_TENSOR_OIDC_POLICY names, when this run mints its key from the CI
   * job's OIDC token: only without --api-key and TUNED_TENSOR_API_KEY (an explicit key wins),
   * and before the stored key.
   */
  oidcPolicy(): string | null {
    const policy = this.env[ENV_OIDC_POLICY]?.trim();
    if (!policy || this.apiKey({ stored: false })) return null;
    return policy;
  }

  get environment(): NodeJS.ProcessEnv {
    return this.env;
  }

  /** The server this command talks to. */
  baseUrl(): ResolvedBaseUrl {
    // An empty --base-url is a mistake to report, not a reason to look further.
    if (this.options.baseUrl !== undefined && !this.options.baseUrl.trim()) normalizeBaseUrl(this.options.baseUrl, "--base-url");
    const resolved = resolveBaseUrl({ baseUrl: this.options.baseUrl, env: this.env, stored: () => this.file() });
    return resolved.source === "default" ? resolved : { url: normalizeBaseUrl(resolved.url, describeSource(resolved.source, "url", this.path)), source: resolved.source };
  }

  /**
   * The organization this command names (Tt-Organization), or null: none, the key's own. The
   * server takes a slug or an id; anything else is a usage error naming where it came from.
   */
  organization({ stored = true }: { stored?: boolean } = {}): ResolvedOrganization | null {
    if (this.options.org !== undefined && !this.options.org.trim()) throw new UsageError("--org is empty", ["Give an organization's slug or id (see tt orgs list)."]);
    // The stored organization is optional: a file that cannot be read names none (the key and
    // the server, when they come from it, report the file themselves).
    const resolved = resolveOrganization({ organization: this.options.org, env: this.env, stored: () => (stored ? this.fileOrNull() : null) });
    if (resolved && !ORGANIZATION_REF.test(resolved.ref)) {
      throw new UsageError(`the organization from ${describeSource(resolved.source, "org", this.path)} is not a slug or an id: ${JSON.stringify(resolved.ref)}`, [
        "A slug has lower-case letters, digits and hyphens (see tt orgs list).",
      ]);
    }
    return resolved;
  }

  /** The stored settings, or null when there are none or the file cannot be read (it is about to be rewritten). */
  fileOrNull(): StoredConfig | null {
    try {
      return this.file();
    } catch (error) {
      if (error instanceof CliError) return null;
      throw error;
    }
  }

  envOrganizationSet(): boolean {
    return Boolean(this.env[ENV_ORGANIZATION]?.trim());
  }

  envKeySet(): boolean {
    return Boolean(this.env[ENV_API_KEY]?.trim());
  }
}
