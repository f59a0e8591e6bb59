// tt keys list | revoke — there is no "create": an API key cannot create keys (the API
// answers 403), so keys are created in the dashboard.
import type { Command } from "commander";

import { apiKeyStatus, keyPrefix, type ApiKey } from "../../../sdk/src/index.js";
import { UsageError } from "../client.js";
import type { GlobalOptions } from "../config.js";
import { connect, pageOptions, parseId, type PageOptions } from "../context.js";
import { now } from "../expiry.js";
import { clean, describeScopes, formatDate, out, pageFooter, printJson, table, warn } from "../output.js";

const CREATE_NOTE = "API keys are created in the dashboard (Settings → API Keys): an API key cannot create keys.";


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
        "Create keys in the dashboard: Settings → API Keys → Create API Key.",
      ]);
    });

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
