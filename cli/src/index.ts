#!/usr/bin/env node
// tt — the Tuned Tensor CLI. Talks to the API over HTTP only, through the SDK (sdk/); imports no server code.
//
// Exit codes: 0 success; 1 API, authentication or network error; 2 usage error.
import { Command, CommanderError } from "commander";

import { REQUEST_ID_HEADER } from "../../sdk/src/index.js";
import { ApiError, CliError } from "./client.js";
import { registerActivity, registerKeyUsage } from "./commands/activity.js";
import { registerAuth } from "./commands/auth.js";
import { registerKeys } from "./commands/keys.js";
import { registerMembers } from "./commands/members.js";
import { registerOrgs } from "./commands/orgs.js";
import { registerServiceAccounts } from "./commands/service-accounts.js";
import { registerSpecs } from "./commands/specs.js";
import { DEFAULT_BASE_URL, ENV_API_KEY, ENV_BASE_URL, ENV_ORGANIZATION } from "./config.js";
import { cliVersion } from "./context.js";
import { ENV_OIDC_POLICY } from "./oidc.js";
import { registerCompletion } from "./commands/completion.js";
import { clean, errorLine, redact } from "./output.js";

const EXIT_USAGE = 2;

// `tt specs list | head -1`: a closed pipe is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

function printError(error: CliError, debug: boolean): void {
  const lines = [errorLine(clean(error.message))];
  if (error instanceof ApiError) {
    for (const d of error.details) lines.push(`  ${clean(d.path)}: ${clean(d.message)}`);
    if (debug && error.requestId) lines.push(`  (${REQUEST_ID_HEADER} ${clean(error.requestId)})`);
  }
  lines.push(...error.hints);
  process.stderr.write(redact(`${lines.join("\n")}\n`));
}

const program = new Command("tt")
  .description("The Tuned Tensor command line: your API keys and behaviour specs, from the terminal.")
  .version(cliVersion(), "-V, --version", "print the version")
  .option("-k, --api-key <key>", `API key to use (before ${ENV_API_KEY} and the stored key)`)
  .option("--base-url <url>", `server to talk to (before ${ENV_BASE_URL} and the stored server; default ${DEFAULT_BASE_URL})`)
  .option("--org <slug|id>", `organization to act in (before ${ENV_ORGANIZATION} and the one stored by "tt orgs switch"; default: the key's own)`)
  .option("--debug", "log each request to stderr, the key masked (also TT_DEBUG=1)")
  .configureOutput({
    writeOut: (text) => process.stdout.write(text),
    writeErr: (text) => process.stderr.write(redact(text)),
    // commander's own usage errors start "error: " too; the same red label on a terminal.
    outputError: (text, write) => write(text.replace(/^error:/, errorLine("").trimEnd())),
  })
  .configureHelp({ showGlobalOptions: true })
  .showHelpAfterError("(add --help for usage)")
  .exitOverride()
  .addHelpText(
    "after",
    `
Which key: -k/--api-key, then ${ENV_API_KEY}, then (in CI, with ${ENV_OIDC_POLICY} set)
a short-lived key minted from the job's OIDC token, then the key stored by "tt auth login"
($XDG_CONFIG_HOME/tuned-tensor/config.json, default ~/.config/tuned-tensor/config.json).
Which server: --base-url, then ${ENV_BASE_URL}, then the stored server, then ${DEFAULT_BASE_URL}.
Which organization: --org, then ${ENV_ORGANIZATION}, then the one "tt orgs switch" stored, then
the key's own. A key acts only in its own organization: naming another is refused.

Get started:
  tt auth login        paste a key created in the dashboard (Settings → API Keys)
  tt specs list
  tt completion bash   tab completion (also zsh, fish); see tt completion --help

Exit codes: 0 success, 1 API or authentication error, 2 usage error.`,
  );

registerAuth(program);
registerKeys(program);
registerKeyUsage(program);
registerActivity(program);
registerSpecs(program);
registerOrgs(program);
registerMembers(program);
registerServiceAccounts(program);
registerCompletion(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const debug = process.argv.includes("--debug") || /^(1|true|yes)$/i.test(process.env.TT_DEBUG ?? "");
  if (error instanceof CommanderError) {
    // Help and --version end here too (exit 0); every other commander error is a usage error.
    process.exitCode = error.exitCode === 0 || error.code === "commander.helpDisplayed" || error.code === "commander.version" ? 0 : EXIT_USAGE;
  } else if (error instanceof CliError) {
    printError(error, debug);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(redact(`${errorLine(error instanceof Error ? error.message : String(error))}\n`));
    if (debug && error instanceof Error && error.stack) process.stderr.write(redact(`${error.stack}\n`));
    process.exitCode = 1;
  }
}
