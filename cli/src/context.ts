// What every API command needs before its first request: the settings, the key (checked
// offline, so a mistyped key never leaves the machine), the server, and a client.
import { readFileSync } from "node:fs";

import { InvalidArgumentError, type Command } from "commander";

import { API_KEY_LENGTH, KEY_PREFIX, parseApiKey, type Page } from "../../sdk/src/index.js";
import { CliError, Client } from "./client.js";
import {
  describeSource,
  ENV_API_KEY,
  ENV_BASE_URL,
  Settings,
  type GlobalOptions,
  type KeySource,
  type ResolvedBaseUrl,
  type ResolvedKey,
  type ResolvedOrganization,
} from "./config.js";
import { ENV_OIDC_POLICY, mintKey } from "./oidc.js";
import { warn } from "./output.js";

let version: string | undefined;
/** The CLI package's version, from its own package.json (dist/cli/src → the package's root). */
export function cliVersion(): string {
  if (version === undefined) {
    try {
      version = String((JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version?: unknown }).version ?? "0.0.0");
    } catch {
      version = "0.0.0";
    }
  }
  return version;
}

export const LOGIN_HINTS = [
  "Log in with: tt auth login   (paste the key when asked; it is checked, then stored)",
  `or set ${ENV_API_KEY}, or pass --api-key.`,
  "Create a key in the dashboard: Settings → API Keys.",
  `In CI, without a secret: set ${ENV_OIDC_POLICY} to a trust policy's id (docs/CI.md).`,
];

/** Why a string is not a key we issued, in words (never echoing it). */
export function whyMalformed(key: string): string {
  if (!key.startsWith(KEY_PREFIX)) return `it does not start with ${KEY_PREFIX}`;
  if (key.length !== API_KEY_LENGTH) return `it has ${key.length} characters; a key has ${API_KEY_LENGTH}`;
  if (!/^[0-9A-Za-z]+$/.test(key.slice(KEY_PREFIX.length))) return "it contains characters other than letters and digits";
  return "its checksum does not match: a character is wrong or missing";
}

/** True for a key that could be one we issued (shape and checksum). */
export const isWellFormed = (key: string) => parseApiKey(key) !== null;

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function warnIfPlainHttp(baseUrl: string): void {
  const url = new URL(baseUrl);
  const local = LOCAL_HOSTS.has(url.hostname) || url.hostname.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol === "http:" && !local) {
    warn(`${url.host} is reached over plain http: your API key travels unencrypted. Use https://.`);
  }
}

/** How a refused key is replaced, by where it came from. */
export const USE_NEW_KEY: Record<KeySource, string> = {
  file: "run: tt auth login",
  environment: `set ${ENV_API_KEY} to it`,
  flag: "pass it with --api-key",
  oidc: "run the job again (its key is minted from the job's OIDC token by the service account's trust policy: Settings → Service accounts)",
};

export function clientFor(settings: Settings, key: ResolvedKey, baseUrl: ResolvedBaseUrl, organization: ResolvedOrganization | null = null): Client {
  warnIfPlainHttp(baseUrl.url);
  return new Client({
    baseUrl: baseUrl.url,
    apiKey: key.key,
    credential: key.oidc?.credential,
    debug: settings.debug,
    userAgent: `tt/${cliVersion()} (node ${process.version}; ${process.platform})`,
    // The default is the production service: when it cannot be reached, the likelier story
    // is a network problem or a user who meant another server (a local app, a staging
    // deployment), so say how to choose one.
    networkHint:
      baseUrl.source === "default"
        ? `${baseUrl.url} is tt's default server. Check your connection, or choose another server with --base-url <url> or ${ENV_BASE_URL} (a local app: --base-url http://localhost:3000).`
        : `The server URL ${baseUrl.url} came from ${describeSource(baseUrl.source, "url", settings.path)}; is the server running there?`,
    useNewKey: USE_NEW_KEY[key.source],
    organization,
  });
}

export type Connection = { settings: Settings; client: Client; key: ResolvedKey; baseUrl: ResolvedBaseUrl; organization: ResolvedOrganization | null };

/**
 * The key of this run: --api-key, TUNED_TENSOR_API_KEY, then one minted from the CI job's
 * OIDC token when TUNED_TENSOR_OIDC_POLICY is set (exchanged here, so a refusal is reported
 * before the command), then the stored key; null when there is none.
 */
export async function resolveKey(settings: Settings, baseUrl: ResolvedBaseUrl): Promise<ResolvedKey | null> {
  const policy = settings.oidcPolicy();
  if (!policy) return settings.apiKey();
  const oidc = await mintKey(baseUrl, { policy, via: "environment", env: settings.environment });
  return { key: oidc.minted.apiKey, source: "oidc", oidc };
}

/** Resolves key, server and organization for an API command; no key, or a malformed one, stops here (exit 1). */
export async function connect(options: GlobalOptions, { organization: named = true }: { organization?: boolean } = {}): Promise<Connection> {
  const settings = new Settings(options);
  settings.apiKey(); // an empty --api-key is a usage error (2), whatever else is set
  const baseUrl = settings.baseUrl(); // a bad URL is a usage error (2), reported before any key problem (1)
  // So is a malformed organization; `tt orgs switch` names none (it replaces the stored one).
  const organization = named ? settings.organization() : null;
  const key = await resolveKey(settings, baseUrl);
  if (!key) throw new CliError("not logged in: no API key", 1, LOGIN_HINTS);
  if (!isWellFormed(key.key)) {
    throw new CliError(
      `the API key from ${describeSource(key.source, "key", settings.path)} is not a valid Tuned Tensor API key (${whyMalformed(key.key)}); it was not sent`,
      1,
      ["Copy the whole key again from where you saved it, or create a new one in the dashboard (Settings → API Keys)."],
    );
  }
  return { settings, key, baseUrl, organization, client: clientFor(settings, key, baseUrl, organization) };
}

// Argument parsers for commander: a bad value is a usage error (exit 2) before any request.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A member by user id or e-mail address; a service account by id or name: told apart by shape. */
export const isUuid = (value: string) => UUID.test(value);

export function parseId(value: string): string {
  if (!UUID.test(value)) throw new InvalidArgumentError("must be a UUID (the ID column of the list)");
  return value.toLowerCase();
}

export function wholeNumber(name: string, max: number) {
  return (value: string): number => {
    if (!/^\d{1,9}$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number`);
    const n = Number(value);
    if (n < 1 || n > max) throw new InvalidArgumentError(`${name} must be between 1 and ${max}`);
    return n;
  };
}

/** Every item of a list operation, page after page (100 a page; at most 100 pages). */
export async function everyItem<T>(fetchPage: (page: number) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; page <= 100; page++) {
    const { data, meta } = await fetchPage(page);
    items.push(...data);
    if (data.length === 0 || items.length >= meta.total) break;
  }
  return items;
}

export type PageOptions = { page?: number; perPage?: number; json?: boolean };

/** --page, --per-page and --json, as every list command has them. */
export function pageOptions(command: Command): Command {
  return command
    .option("--page <n>", "page number, from 1", wholeNumber("--page", 1_000_000))
    .option("--per-page <n>", "items per page, 1–100 (default 20)", wholeNumber("--per-page", 100))
    .option("--json", "print the API's data and meta as JSON (for scripts)");
}
