// tt keys list | show | limits | revoke — there is no "create": an API key cannot create
// keys (the API answers 403), so keys are created in the dashboard, with their limits.
import { InvalidArgumentError, type Command } from "commander";

import { apiKeyStatus, keyPrefix, type ApiKey, type KeyUsage } from "../../../sdk/src/index.js";
import { ApiError, type Client, UsageError } from "../client.js";
import type { GlobalOptions } from "../config.js";
import { connect, everyItem, pageOptions, parseId, type PageOptions } from "../context.js";
import { now } from "../expiry.js";
import { applyLimitFlags, describeLimits, parseBurst, parseQuota, parseRate, limitUseRow, type LimitFlags, type Limits } from "../limits.js";
import { clean, describeScopes, formatDate, out, pageFooter, printJson, table, warn } from "../output.js";

const CREATE_NOTE = "API keys are created in the dashboard (Settings → API Keys): an API key cannot create keys.";
const WIDEN_HINT =
  "Raising or removing a limit takes a signed-in session: change it in the dashboard (Settings → API Keys → the key), " +
  "confirming with your second factor if you have one. A key may only lower limits.";

/** A commander parser that checks a value and keeps it as given. */
const checked = (check: (value: string) => unknown) => (value: string) => (check(value), value);


export function registerKeys(program: Command): void {
  const keys = program
    .command("keys")
    .description("list and revoke your API keys (create them in the dashboard)")
    .addHelpText("after", `\n${CREATE_NOTE}`);

  pageOptions(keys.command("list").alias("ls").description("list your API keys, newest first, revoked and expired ones included"))
    .addHelpText("after", `\nShows key prefixes only; the full key is never shown again after creation.\n${CREATE_NOTE}`)
    .action(async (_options: unknown, command: Command) => list(command.optsWithGlobals<GlobalOptions & PageOptions>()));

  // Not a real command: a clear answer for the people who will try it anyway.
  keys
    .command("create", { hidden: true })
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new UsageError("tt cannot create API keys: an API key cannot create keys (the API answers 403 forbidden)", [
        "Create keys in the dashboard: Settings → API Keys → Create API Key, with their rate limit and quota; change the limits later with tt keys limits.",
      ]);
    });

  keys
    .command("show")
    .description("one key: what it may do, its limits (its own or the organization's default), their use now and the next refill")
    .argument("<id>", "the key's ID (see tt keys list)", parseId)
    .option("--json", "print the key and its limits' use as JSON")
    .action(async (id: string, _options: unknown, command: Command) => show(id, command.optsWithGlobals<GlobalOptions & { json?: boolean }>()));

  keys
    .command("limits")
    .description("change a key's rate limit and quota: lowering them works with a key that has keys:write; raising or removing them takes the dashboard")
    .argument("<id>", "the key's ID (see tt keys list)", parseId)
    .option("--rate <n/period>", "at most N requests a second or a minute, e.g. 100/minute or 5/second", checked(parseRate))
    .option("--no-rate", "no rate limit (widening: dashboard only)")
    .option("--burst <n>", "with a rate per minute: at most N requests in any one second", checked(parseBurst))
    .option("--quota <n/period>", "at most N requests a day or a month (refilled at 00:00 UTC), e.g. 10000/day", checked(parseQuota))
    .option("--no-quota", "no quota (widening: dashboard only)")
    .option("--org-default", "drop the key's own limits: follow the organization's default for keys")
    .option("--json", "print the key as JSON")
    .addHelpText(
      "after",
      `
Each option replaces its part of the limits in force now; the rest stays. Windows are UTC seconds, minutes, days and months.
` +
        `A lowered limit is in force on every server when the command returns.
${WIDEN_HINT}`,
    )
    .action(async (id: string, _options: unknown, command: Command) =>
      setLimits(id, command.optsWithGlobals<GlobalOptions & LimitFlags & { orgDefault?: boolean; json?: boolean }>()),
    );

  keys
    .command("revoke")
    .description("revoke an API key: from then on it is refused (403), everywhere, at once")
    .argument("<id>", "the key's ID (see tt keys list)", parseId)
    .option("--json", "print the revoked key as JSON")
    .action(async (id: string, _options: unknown, command: Command) => revoke(id, command.optsWithGlobals<GlobalOptions & { json?: boolean }>()));
}

async function list(options: GlobalOptions & PageOptions): Promise<void> {
  const { client, key } = await connect(options);
  const page = await client.call("listApiKeys", { query: { page: options.page, per_page: options.perPage } });
  if (options.json) return printJson(page);
  if (page.data.length === 0) {
    out(page.meta.total === 0 ? "No API keys." : "No keys on this page.");
  } else {
    const current = keyPrefix(key.key);
    const at = now();
    out(
      table(
        [
          // To fit a narrow terminal: NAME is cut first, then the columns with `drop` are
          // left out, CREATED first; ID (for revoke) and STATUS always stay.
          { header: "ID", value: (k: ApiKey) => k.id },
          { header: "NAME", value: (k) => k.name, max: 32, min: 8 },
          { header: "PREFIX", value: (k) => k.key_prefix, drop: 1 },
          { header: "SCOPES", value: (k) => describeScopes(k.scopes), drop: 2 },
          { header: "CREATED", value: (k) => formatDate(k.created_at), drop: 5 },
          { header: "LAST USED", value: (k) => formatDate(k.last_used_at, "never"), drop: 4 },
          { header: "EXPIRES", value: (k) => formatDate(k.expires_at, "never"), drop: 3 },
          { header: "STATUS", value: (k) => apiKeyStatus(k, at) + (k.key_prefix === current ? " (this key)" : "") },
        ],
        page.data,
      ),
    );
  }
  out();
  out(pageFooter(page.meta, "tt keys list"));
}

async function revoke(id: string, options: GlobalOptions & { json?: boolean }): Promise<void> {
  const { client, key } = await connect(options);
  const revoked = await client.call("revokeApiKey", { params: { id } });
  if (options.json) printJson(revoked);
  else out(`Revoked key ${clean(revoked.key_prefix)}… "${clean(revoked.name)}" (${revoked.id}) at ${formatDate(revoked.revoked_at)}.`);
  if (revoked.key_prefix === keyPrefix(key.key)) {
    warn(
      key.source === "file"
        ? `that was the key tt is logged in with; it no longer works. Remove it with "tt auth logout" and log in with another key.`
        : `that was the key this command used (from ${key.source === "flag" ? "--api-key" : "the environment"}); it no longer works.`,
    );
  }
}

/** One key by id, from the list (the API has no single-key read). */
async function findKey(client: Client, id: string): Promise<ApiKey> {
  const all = await everyItem((page) => client.call("listApiKeys", { query: { page, per_page: 100 } }));
  const key = all.find((k) => k.id === id);
  if (!key) throw new ApiError(404, "not_found", "API key not found", [], null, ["See tt keys list."]);
  return key;
}

const SOURCE: Record<string, string> = { key: "its own", organization: "the organization's default for keys" };

/** The limits a key is held to now, without where they come from. */
const inForce = (key: ApiKey): Limits => ({ rate: key.effective_limits.rate, quota: key.effective_limits.quota });

function printLimits(key: ApiKey): void {
  const source = key.effective_limits.source;
  out(`Limits: ${source ? SOURCE[source] : "none"}`);
  if (source) {
    const words = describeLimits(inForce(key));
    out(`  rate:  ${words.rate}`);
    out(`  quota: ${words.quota}`);
  }
  if (key.holder.type === "service_account") out("  Its service account's limits apply too, shared by all its keys.");
}

async function show(id: string, options: GlobalOptions & { json?: boolean }): Promise<void> {
  const { client } = await connect(options);
  const key = await findKey(client, id);
  // The use needs activity:read; without it the key's limits are still shown.
  let usage: KeyUsage | null = null;
  let noUse: string | null = null;
  try {
    usage = await client.call("getApiKeyUsage", { params: { id }, query: { days: 1 } });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 403 || !error.missingScope) throw error;
    noUse = `Current use: needs the scope ${error.missingScope}, which this key does not have.`;
  }
  if (options.json) return printJson({ key, limits: usage?.limits ?? null });
  const at = now();
  out(`Key ${clean(key.key_prefix)}… "${clean(key.name)}" (${key.id})`);
  out(`  status: ${apiKeyStatus(key, at)} · scopes: ${describeScopes(key.scopes)} · expires: ${formatDate(key.expires_at, "never")}`);
  out();
  printLimits(key);
  out();
  if (noUse) return out(noUse);
  const uses = usage?.limits ?? [];
  if (uses.length === 0) return out("Current use: no limits to count against.");
  out("Current use (UTC windows):");
  out(
    table(
      [
        { header: "LIMIT", value: (u: KeyUsage["limits"][number]) => limitUseRow(u, at).limit },
        { header: "USED", value: (u) => limitUseRow(u, at).used },
        { header: "REFILLS", value: (u) => limitUseRow(u, at).refills },
      ],
      uses,
    ),
  );
}

async function setLimits(id: string, options: GlobalOptions & LimitFlags & { orgDefault?: boolean; json?: boolean }): Promise<void> {
  const flags: LimitFlags = { rate: options.rate, burst: options.burst, quota: options.quota };
  const changes = flags.rate !== undefined || flags.burst !== undefined || flags.quota !== undefined;
  if (options.orgDefault && changes) throw new UsageError("--org-default drops the key's own limits: not with --rate, --burst or --quota");
  if (!options.orgDefault && !changes) throw new UsageError("say what to change: --rate, --burst, --quota, --no-rate, --no-quota or --org-default");
  const { client } = await connect(options);
  let limits: Limits | null = null;
  if (!options.orgDefault) {
    const key = await findKey(client, id);
    try {
      limits = applyLimitFlags(key.limits ?? inForce(key), flags);
    } catch (error) {
      if (error instanceof InvalidArgumentError) throw new UsageError(error.message);
      throw error;
    }
  }
  let updated: ApiKey;
  try {
    updated = await client.call("updateApiKey", { params: { id }, body: { limits } });
  } catch (error) {
    // A key may lower limits, not raise them: the server's 403 names the field.
    if (error instanceof ApiError && error.status === 403 && !error.missingScope && /\blimits\b/.test(error.serverMessage)) {
      throw new ApiError(error.status, error.code, error.serverMessage, error.details, error.requestId, [WIDEN_HINT]);
    }
    throw error;
  }
  if (options.json) return printJson(updated);
  out(`Changed the limits of key ${clean(updated.key_prefix)}… "${clean(updated.name)}" (${updated.id}).`);
  printLimits(updated);
}
