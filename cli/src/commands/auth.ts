// tt auth login | status | logout
import type { Command } from "commander";

import { OPERATIONS, type Me } from "../../../sdk/src/index.js";
import { ApiError, CliError, NetworkError, organizationLabel, rejectedKeyHints, UsageError, WrongOrganizationError } from "../client.js";
import {
  deleteConfig,
  describeSource,
  ENV_API_KEY,
  ENV_ORGANIZATION,
  Settings,
  whyOrganization,
  whyServer,
  writeConfig,
  type GlobalOptions,
  type ResolvedKey,
  type StoredConfig,
} from "../config.js";
import { clientFor, isWellFormed, LOGIN_HINTS, resolveKey, USE_NEW_KEY, whyMalformed } from "../context.js";
import { DEFAULT_OIDC_TOKEN_VAR, ENV_OIDC_AUDIENCE, ENV_OIDC_POLICY, ENV_OIDC_TOKEN_VAR, mintKey, minutesLeft, providerName, type OidcKey } from "../oidc.js";
import { clean, describeScopes, maskKey, out, printJson, warn } from "../output.js";
import { describeLeft, now } from "../expiry.js";
import { readSecret } from "../stdin.js";
import { askForBrowser, deviceLogin, parseScopes } from "../device-login.js";

const NEW_KEY_HINT = "Create a new key in the dashboard (Settings → API Keys), then run: tt auth login";

export function registerAuth(program: Command): void {
  const auth = program
    .command("auth")
    .description("log in with an API key, see which key is in use, log out")
    .addHelpText(
      "after",
      `
Which key a command uses, first match wins:
  1. -k, --api-key <key>
  2. ${ENV_API_KEY}
  3. in CI, with ${ENV_OIDC_POLICY} set (a trust policy's id): a short-lived key
     minted from the job's OIDC token, kept in memory only (see tt auth login --help)
  4. the key stored by "tt auth login" ($XDG_CONFIG_HOME/tuned-tensor/config.json,
     ~/.config/tuned-tensor/config.json when XDG_CONFIG_HOME is unset)

Which organization, first match wins: --org, ${ENV_ORGANIZATION}, the one stored by
"tt orgs switch", else the key's own. A key acts only in its own organization.`,
    );

  auth
    .command("login")
    .description("log in through the browser, or check an API key with the server, and store the key for later commands")
    .argument("[key]", 'the API key; omit it or give "-" to read it from standard input (no echo on a terminal)')
    .option("--web", "log in through the browser without asking first")
    .option("--no-browser", "log in through the browser, but only print the page to open (for a machine without one)")
    .option("--scopes <list>", "with the browser: the scopes the new key asks for, comma-separated (default: all)")
    .option("--oidc", "in CI: trade the job's OIDC token for a short-lived key of a service account (no secret needed)")
    .option("--policy <id>", `with --oidc: the trust policy to use (default ${ENV_OIDC_POLICY}, else the one that matches)`)
    .option("--audience <aud>", `with --oidc in GitHub Actions: the token's audience (default ${ENV_OIDC_AUDIENCE}, else the server's origin)`)
    .option("--store", "with --oidc: also store the minted key (it still expires within the hour)")
    .option("--json", "print who logged in, the masked key and the server as JSON (for scripts)")
    .addHelpText(
      "after",
      `
The key is checked offline (format and checksum), then with the server (${OPERATIONS.getMe.method} ${OPERATIONS.getMe.path}),
and stored only if the server accepts it, together with the server URL, in a file only
you can read (mode 0600).

Without a key on a terminal, tt asks "Log in with a browser? (Y/n)". Through the browser
(--web), tt shows a one-time code and a page to open; you check the code there and
authorize, and tt receives a new key ("tt CLI on <hostname>", expiring after 90 days),
checks and stores it the same way.

Examples:
  tt auth login --web                    # through the browser
  tt auth login --no-browser --scopes specs:read    # on a server: print the page, a read-only key
  tt auth login                          # on a terminal: asks; else reads the key from standard input
  pbpaste | tt auth login -              # from the clipboard, not the shell history
  tt auth login --base-url http://localhost:3000    # a local app instead of https://tunedtensor.com
  tt auth login --oidc --policy <id>     # in CI: check that the job's token is exchanged, store nothing

Keyless CI (--oidc): in GitHub Actions the job's token is asked of the runner
(ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN, set only with "permissions: id-token: write");
in GitLab it is read from the id_tokens: variable ${DEFAULT_OIDC_TOKEN_VAR} (another name:
${ENV_OIDC_TOKEN_VAR}). The server trades it for a key of the service account whose trust
policy matches. The key is not stored unless --store is given: to have every tt command of
a job mint its own, set ${ENV_OIDC_POLICY} instead (docs/CI.md).`,
    )
    .action(async (keyArg: string | undefined, _options: unknown, command: Command) => login(keyArg, command.optsWithGlobals<LoginOptions>()));

  auth
    .command("status")
    .description("show which key and server are in use, and whether the server accepts the key")
    .option("--json", "print the result as JSON (for scripts)")
    .addHelpText("after", "\nExits 0 when the server accepts the key, 1 otherwise (no key, unknown, revoked or expired key, server unreachable).")
    .action(async (_options: unknown, command: Command) => status(command.optsWithGlobals<GlobalOptions & { json?: boolean }>()));

  auth
    .command("logout")
    .description("delete the stored credentials (the key itself keeps working until it is revoked)")
    .option("--json", "print whether credentials were removed, as JSON (for scripts)")
    .action((_options: unknown, command: Command) => logout(command.optsWithGlobals<GlobalOptions & { json?: boolean }>()));
}

type LoginOptions = GlobalOptions & { json?: boolean; web?: boolean; browser?: boolean; scopes?: string; oidc?: boolean; policy?: string; audience?: string; store?: boolean };

async function login(keyArg: string | undefined, options: LoginOptions): Promise<void> {
  if (options.oidc) return loginWithOidc(keyArg, options);
  for (const flag of ["policy", "audience", "store"] as const) {
    if (options[flag] !== undefined) throw new UsageError(`--${flag} goes with --oidc`);
  }
  const settings = new Settings(options);
  // --no-browser and --scopes only mean something through the browser: they ask for it.
  const asksForWeb = options.web === true || options.browser === false || options.scopes !== undefined;
  const scopes = options.scopes !== undefined ? parseScopes(options.scopes) : undefined;
  let key: string;
  if (asksForWeb && (keyArg !== undefined || options.apiKey !== undefined)) {
    throw new UsageError("give a key or log in through the browser (--web, --no-browser, --scopes), not both");
  }
  if (asksForWeb || (keyArg === undefined && options.apiKey === undefined && process.stdin.isTTY && (await askForBrowser()))) {
    key = await deviceLogin({ baseUrl: settings.baseUrl().url, scopes, browser: options.browser !== false, debug: settings.debug });
  } else if (keyArg !== undefined && keyArg !== "-") {
    if (options.apiKey !== undefined && options.apiKey !== keyArg) throw new UsageError("give the key once: as the argument or with --api-key, not both");
    key = keyArg;
  } else if (options.apiKey !== undefined) {
    if (keyArg === "-") throw new UsageError("give the key once: on standard input or with --api-key, not both");
    key = options.apiKey;
  } else {
    key = await readSecret("API key (input hidden): ");
  }
  key = key.trim();
  if (!key) throw new UsageError("no API key given", ['Pass it as an argument, or on standard input: tt auth login - < key.txt']);

  // Offline first: a malformed or mistyped key is refused without any request.
  if (!isWellFormed(key)) {
    throw new CliError(`that is not a valid Tuned Tensor API key: ${whyMalformed(key)}. Nothing was stored.`, 1, [
      "Keys look like tt_ followed by 49 letters and digits. Copy the whole key again, or create a new one in the dashboard (Settings → API Keys).",
    ]);
  }

  const baseUrl = settings.baseUrl();
  // --org or TUNED_TENSOR_ORG is checked against the new key (it would be refused in any
  // other); the stored organization is the old key's choice, settled after the check.
  const named = settings.organization({ stored: false });
  let me: Me;
  try {
    // (The source only shapes the hints after a refusal, which are replaced below.)
    me = await clientFor(settings, { key, source: "flag" }, baseUrl, named).call("getMe");
  } catch (error) {
    if (error instanceof WrongOrganizationError) {
      throw new CliError(`${error.serverMessage}. Nothing was stored.`, 1, error.hints.slice(1).concat(["Or log in with a key of that organization (the dashboard: switch to it, then Settings → API Keys)."]));
    }
    if (error instanceof ApiError) {
      const hint =
        error.status === 403
          ? NEW_KEY_HINT
          : error.status === 401
            ? `Check that this key was issued by ${baseUrl.url} and copied whole; or create a new one in the dashboard (Settings → API Keys).`
            : "Try again later.";
      throw new ApiError(error.status, error.code, `${error.serverMessage}. Nothing was stored.`, error.details, error.requestId, [hint]);
    }
    if (error instanceof NetworkError) throw new NetworkError(error.url, `${error.reason}. Nothing was stored.`, error.hints);
    throw error;
  }

  // The organization "tt orgs switch" stored stays when it is this key's; another would
  // refuse every command, so it is forgotten.
  const stored = settings.fileOrNull();
  const keepOrg = stored?.organization !== undefined && [me.organization.id, me.organization.slug].includes(stored.organization.toLowerCase());
  const config: StoredConfig = { api_key: key, base_url: baseUrl.url };
  if (keepOrg && stored?.organization) {
    config.organization = me.organization.id;
    config.organization_slug = me.organization.slug;
  }
  writeConfig(config, settings.path);
  const forgotten = stored?.organization !== undefined && !keepOrg ? (stored.organization_slug ?? stored.organization) : null;
  if (options.json) {
    printJson({
      user: me.user,
      organization: me.organization,
      service_account: me.service_account,
      key: maskKey(key),
      base_url: baseUrl.url,
      base_url_source: baseUrl.source,
      config_file: settings.path,
    });
  } else {
    out(`Logged in to ${baseUrl.url} as ${clean(whoAmI(me))} with key ${maskKey(key)}.`);
    out(`Credentials stored in ${settings.path}.`);
    if (baseUrl.source === "default") out(`Server: ${baseUrl.url} (${whyServer(baseUrl.source, settings.path)}).`);
  }
  if (forgotten) warn(`forgot the organization stored by tt orgs switch (${clean(forgotten)}): this key acts in ${clean(organizationLabel(me.organization))}.`);
  if (settings.envKeySet() && process.env[ENV_API_KEY]?.trim() !== key) {
    warn(`${ENV_API_KEY} is set and takes precedence over the stored key; unset it to use the key you just stored.`);
  }
}

/** tt auth login --oidc: mint a key from the job's token, check it, and say so; stored only with --store. */
async function loginWithOidc(keyArg: string | undefined, options: LoginOptions): Promise<void> {
  if (keyArg !== undefined || options.apiKey !== undefined) throw new UsageError("give a key or use --oidc, not both");
  if (options.web === true || options.browser === false || options.scopes !== undefined) throw new UsageError("--oidc does not go through the browser (--web, --no-browser, --scopes)");
  const settings = new Settings(options);
  if (options.policy !== undefined && !options.policy.trim()) throw new UsageError("--policy is empty");
  const policy = options.policy?.trim() || settings.environment[ENV_OIDC_POLICY]?.trim() || null;
  const baseUrl = settings.baseUrl();
  const named = settings.organization({ stored: false });
  const oidc = await mintKey(baseUrl, { policy, audience: options.audience, via: "login", env: settings.environment });
  const key = oidc.minted.apiKey;
  const me = await clientFor(settings, { key, source: "oidc", oidc }, baseUrl, named).call("getMe");
  if (options.store) writeConfig({ api_key: key, base_url: baseUrl.url }, settings.path);
  const expiresAt = new Date(oidc.minted.expiresAt).toISOString();
  if (options.json) {
    printJson({
      user: me.user,
      organization: me.organization,
      service_account: me.service_account,
      key: maskKey(key),
      key_source: "oidc",
      oidc: oidcReport(oidc),
      base_url: baseUrl.url,
      base_url_source: baseUrl.source,
      stored: options.store === true,
      config_file: options.store ? settings.path : null,
    });
    return;
  }
  out(`Logged in to ${baseUrl.url} as ${clean(whoAmI(me))} with key ${maskKey(key)}, minted from this ${providerName(oidc.provider)} job's OIDC token.`);
  out(`  policy:  ${oidc.policy ?? "the one that matched (none named)"}`);
  out(`  scopes:  ${oidc.minted.scopes.join(", ") || "none"}`);
  out(`  expires: ${expiresAt} (${minutesLeft(oidc.minted.expiresAt, Date.now())})`);
  if (options.store) out(`Stored in ${settings.path} until it expires.`);
  else out(`Not stored. To have every tt command of this job mint its own key, set ${ENV_OIDC_POLICY}${oidc.policy ? `=${oidc.policy}` : ""} in the job's environment.`);
}

/** What status and login --oidc say about a minted key (never the key). */
function oidcReport(oidc: OidcKey) {
  return {
    policy: oidc.policy,
    provider: oidc.provider,
    audience: oidc.provider === "github" ? oidc.audience : null,
    via: oidc.via === "environment" ? ENV_OIDC_POLICY : "tt auth login --oidc",
    expires_at: new Date(oidc.minted.expiresAt).toISOString(),
    scopes: oidc.minted.scopes,
  };
}

type StatusState =
  | "authenticated"
  | "no_key"
  | "malformed_key"
  | "unauthorized"
  | "revoked"
  | "wrong_organization"
  | "rate_limited"
  | "unreachable"
  | "oidc_failed"
  | "error";

async function status(options: GlobalOptions & { json?: boolean }): Promise<void> {
  const settings = new Settings(options);
  settings.apiKey();
  const baseUrl = settings.baseUrl();
  const organization = settings.organization();
  let resolved: ResolvedKey | null = null;
  let oidcError: CliError | null = null;
  try {
    resolved = await resolveKey(settings, baseUrl);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    oidcError = error;
  }
  const report = {
    authenticated: false,
    state: "no_key" as StatusState,
    key: resolved ? maskKey(resolved.key) : null,
    key_source: resolved?.source ?? (oidcError ? "oidc" : null),
    /** A key minted from the CI job's OIDC token: the trust policy asked for, the CI, when it expires. */
    oidc: resolved?.oidc ? oidcReport(resolved.oidc) : null,
    base_url: baseUrl.url,
    base_url_source: baseUrl.source,
    config_file: settings.path,
    user: null as Me["user"] | null,
    /** The organization the key acts in (as the server says), the caller's role there, and the service account for its key. */
    organization: null as Me["organization"] | null,
    service_account: null as Me["service_account"] | null,
    /** The organization this run names (--org, TUNED_TENSOR_ORG, stored), or null; where it came from ("key": none named, the key's own). */
    org: organization?.ref ?? null,
    org_source: (organization?.source ?? "key") as "flag" | "environment" | "file" | "key",
    key_id: null as string | null,
    /** What the key may do, and what it did in the last 30 days. */
    scopes: null as string[] | null,
    scopes_used: null as string[] | null,
    /** When the key stops working (Tt-Key-Expires-At), or null for a key that does not expire. */
    key_expires_at: null as string | null,
    error: null as { status?: number; code: string; message: string } | null,
  };

  let headline: string;
  const hints: string[] = [];
  if (oidcError) {
    report.state = "oidc_failed";
    report.error = { code: "oidc_failed", message: oidcError.message };
    headline = `Not logged in: ${settings.oidcPolicy() ? `${ENV_OIDC_POLICY} is set, but ` : ""}${clean(oidcError.message)}.`;
    hints.push(...oidcError.hints);
  } else if (!resolved) {
    headline = "Not logged in: no API key.";
    hints.push(...LOGIN_HINTS);
  } else if (!isWellFormed(resolved.key)) {
    report.state = "malformed_key";
    report.error = { code: "malformed_key", message: `not a valid Tuned Tensor API key: ${whyMalformed(resolved.key)}` };
    headline = `Not logged in: the key is not a valid Tuned Tensor API key (${whyMalformed(resolved.key)}); it was not sent to the server.`;
    hints.push("Copy the whole key again, or create a new one in the dashboard (Settings → API Keys).");
  } else {
    try {
      const client = clientFor(settings, resolved, baseUrl, organization);
      const me = await client.call("getMe");
      report.key_expires_at = client.keyExpiresAt ?? (resolved.oidc ? new Date(resolved.oidc.minted.expiresAt).toISOString() : null);
      report.authenticated = true;
      report.state = "authenticated";
      report.user = me.user;
      report.organization = me.organization;
      report.service_account = me.service_account;
      if (me.authentication.method === "api_key") {
        report.key_id = me.authentication.key_id;
        report.scopes = me.authentication.scopes;
        report.scopes_used = me.authentication.scopes_used;
      }
      headline = `Logged in to ${baseUrl.url} as ${clean(whoAmI(me))}.`;
    } catch (error) {
      if (error instanceof WrongOrganizationError) {
        // The key works, in its own organization; every command naming this one is refused.
        report.state = "wrong_organization";
        report.error = { status: error.status, code: error.code, message: error.serverMessage };
        report.user = error.me.user;
        report.organization = error.me.organization;
        report.service_account = error.me.service_account;
        headline = `Not usable as configured: ${clean(error.serverMessage)}.`;
        hints.push(...error.hints);
      } else if (error instanceof ApiError) {
        report.error = { status: error.status, code: error.code, message: error.serverMessage };
        const said = `${error.status} ${error.code}: ${clean(error.serverMessage)}`;
        if (resolved.oidc && (error.status === 401 || error.status === 403)) {
          report.state = error.status === 403 ? "revoked" : "unauthorized";
          headline = `Not logged in: the server refused the key it minted from this job's OIDC token (${said}).`;
          hints.push("An admin can check the service account's trust policy: Settings → Service accounts → the account → Trust policies.");
        } else if (error.status === 403) {
          report.state = "revoked";
          headline = `Not logged in: this key has been revoked (${said}).`;
          hints.push(NEW_KEY_HINT);
        } else if (error.status === 401) {
          report.state = "unauthorized";
          headline = `Not logged in: the server does not accept this key (${said}).`;
          hints.push(...rejectedKeyHints(error.status, error.code, error.serverMessage, baseUrl.url, USE_NEW_KEY[resolved.source]));
        } else if (error.status === 429) {
          report.state = "rate_limited";
          headline = `Could not check the key: too many failed attempts from this machine (${said}).`;
        } else {
          report.state = "error";
          headline = `Could not check the key: the server answered ${said}.`;
        }
      } else if (error instanceof NetworkError) {
        report.state = "unreachable";
        report.error = { code: "unreachable", message: error.message };
        headline = `Could not check the key: ${error.message}.`;
        hints.push(...error.hints);
      } else if (error instanceof CliError) {
        report.state = "error";
        report.error = { code: "error", message: error.message };
        headline = `Could not check the key: ${error.message}.`;
      } else {
        throw error;
      }
    }
  }

  if (options.json) {
    printJson(report);
  } else {
    out(headline);
    if (resolved?.oidc) {
      const { oidc } = resolved;
      out(`  key:     ${maskKey(resolved.key)} (minted from this ${providerName(oidc.provider)} job's OIDC token, as ${ENV_OIDC_POLICY} asks)`);
      out(`  policy:  ${oidc.policy ?? "the one that matched"}`);
    } else if (resolved) out(`  key:     ${maskKey(resolved.key)} (from ${describeSource(resolved.source, "key", settings.path)})`);
    out(`  server:  ${baseUrl.url} (${whyServer(baseUrl.source, settings.path)})`);
    if (report.organization) {
      const org = report.organization;
      const mine = organization === null || report.state !== "wrong_organization";
      out(`  org:     ${clean(org.slug)} "${clean(org.name)}"${org.personal ? " (personal workspace)" : ""} (${mine ? whyOrganization(organization, settings.path) : "the key's own"})`);
      out(`  role:    ${org.role}${report.service_account ? `, as the service account "${clean(report.service_account.name)}"` : ""}`);
    } else if (organization) {
      out(`  org:     ${clean(organization.slug ?? organization.ref)} (${whyOrganization(organization, settings.path)})`);
    }
    if (report.scopes) {
      const used = report.scopes_used?.length ? report.scopes_used.join(", ") : "none yet";
      out(`  scopes:  ${describeScopes(report.scopes) === "all" ? `all (${report.scopes.join(", ")})` : report.scopes.join(", ")}; used in the last 30 days: ${used}`);
    }
    if (report.authenticated) {
      const expires = report.key_expires_at;
      const left = resolved?.oidc ? minutesLeft(Date.parse(expires ?? ""), Date.now()) : expires ? describeLeft(Date.parse(expires), now()) : "";
      out(`  expires: ${expires ? `${expires} (${left})` : "never"}`);
    }
    for (const hint of hints) out(hint);
  }
  process.exitCode = report.authenticated ? 0 : 1;
}

function logout(options: GlobalOptions & { json?: boolean }): void {
  const settings = new Settings(options);
  const removed = deleteConfig(settings.path);
  if (options.json) {
    printJson({ removed, config_file: settings.path });
  } else if (removed) {
    out(`Logged out: removed the stored credentials (${settings.path}).`);
    out("The key itself still works until it is revoked: tt keys revoke <id>, or in the dashboard.");
  } else {
    out(`Not logged in: there were no stored credentials (${settings.path}).`);
  }
  if (settings.envKeySet()) warn(`${ENV_API_KEY} is still set: tt keeps using that key until you unset it.`);
}

/** The member's e-mail (or id), or the service account whose key this is, and the organization. */
function whoAmI(me: { user: { id: string; email: string | null } | null; service_account: { name: string } | null; organization: { slug: string; personal: boolean } }): string {
  const who = me.user ? (me.user.email ?? me.user.id) : `service account ${me.service_account?.name ?? "?"}`;
  return me.organization.personal ? who : `${who} in ${me.organization.slug}`;
}
