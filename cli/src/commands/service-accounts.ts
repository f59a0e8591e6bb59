// tt service-accounts list | create | limits | delete — the organization's service accounts: they
// hold keys on the organization's behalf, so the keys outlive whoever made them. Their keys
// are made in the dashboard (an API key cannot make keys).
import { InvalidArgumentError, Option, type Command } from "commander";

import { SERVICE_ACCOUNT_ROLES, type ServiceAccount } from "../../../sdk/src/index.js";
import { ApiError, CliError, UsageError, type Client } from "../client.js";
import type { GlobalOptions } from "../config.js";
import { connect, everyItem, isUuid, pageOptions, type PageOptions } from "../context.js";
import { applyLimitFlags, describeLimits, parseBurst, parseQuota, parseRate, type LimitFlags, type Limits } from "../limits.js";
import { clean, formatDate, out, pageFooter, printJson, table } from "../output.js";

type JsonOption = GlobalOptions & { json?: boolean };
type ServiceAccountRole = (typeof SERVICE_ACCOUNT_ROLES)[number];

const KEYS_NOTE = "A service account's keys are made in the dashboard, by an owner or admin: an API key cannot make keys.";

export function registerServiceAccounts(program: Command): void {
  const accounts = program
    .command("service-accounts")
    .alias("sa")
    .description("the organization's service accounts: keys that belong to the organization, not to a person")
    .addHelpText("after", `\n${KEYS_NOTE}\nOwners and admins create and delete them. Which organization: see tt orgs --help.`);

  pageOptions(accounts.command("list").alias("ls").description("list the service accounts, oldest first")).action(async (_options: unknown, command: Command) =>
    list(command.optsWithGlobals<GlobalOptions & PageOptions>()),
  );

  accounts
    .command("create")
    .description("create a service account")
    .argument("<name>", 'what it is for, e.g. "CI deploys" (unique in the organization)')
    .addOption(new Option("--role <role>", "what its keys may do at most (default developer)").choices(SERVICE_ACCOUNT_ROLES))
    .option("--json", "print the service account as JSON")
    .addHelpText("after", `\n${KEYS_NOTE}`)
    .action(async (name: string, _options: unknown, command: Command) => create(name, command.optsWithGlobals<JsonOption & { role?: ServiceAccountRole }>()));

  accounts
    .command("limits")
    .description("change a service account's rate limit and quota, shared by all its keys (one counter), on top of each key's own")
    .argument("<service-account>", "its id or name (see tt service-accounts list)")
    .option("--rate <n/period>", "at most N requests a second or a minute, e.g. 100/minute", (v: string) => (parseRate(v), v))
    .option("--no-rate", "no rate limit (widening: dashboard only)")
    .option("--burst <n>", "with a rate per minute: at most N requests in any one second", (v: string) => (parseBurst(v), v))
    .option("--quota <n/period>", "at most N requests a day or a month (refilled at 00:00 UTC), e.g. 100000/month", (v: string) => (parseQuota(v), v))
    .option("--no-quota", "no quota (widening: dashboard only)")
    .option("--json", "print the service account as JSON")
    .addHelpText("after", `\nEach option replaces its part of the limits in force now. Owners and admins; lowering works with a key that has members:write, raising or removing takes a signed-in session (the dashboard).`)
    .action(async (ref: string, _options: unknown, command: Command) => setLimits(ref, command.optsWithGlobals<JsonOption & LimitFlags>()));

  accounts
    .command("delete")
    .alias("rm")
    .description("delete a service account: every key it holds is refused at once")
    .argument("<service-account>", "its id or name (see tt service-accounts list)")
    .option("--json", "print the deleted service account as JSON")
    .action(async (ref: string, _options: unknown, command: Command) => remove(ref, command.optsWithGlobals<JsonOption>()));
}

/** A service account's id: given, or looked up by name (exactly, else the one name that differs only in case). */
async function serviceAccountId(client: Client, ref: string): Promise<string> {
  const given = ref.trim();
  if (isUuid(given)) return given.toLowerCase();
  const all = await everyItem((page) => client.call("listServiceAccounts", { query: { page, per_page: 100 } }));
  const exact = all.filter((a) => a.name === given);
  const loose = exact.length ? exact : all.filter((a) => a.name.toLowerCase() === given.toLowerCase());
  if (loose.length === 1) return loose[0]!.id;
  if (loose.length > 1) throw new CliError(`more than one service account is named ${JSON.stringify(given)}: give its id`, 1, ["See tt service-accounts list."]);
  throw new CliError(`no service account is named ${JSON.stringify(given)}`, 1, ["See tt service-accounts list."]);
}

async function list(options: GlobalOptions & PageOptions): Promise<void> {
  const { client } = await connect(options);
  const page = await client.call("listServiceAccounts", { query: { page: options.page, per_page: options.perPage } });
  if (options.json) return printJson(page);
  if (page.data.length === 0) {
    out(page.meta.total === 0 ? "No service accounts. Create one with: tt service-accounts create <name>" : "No service accounts on this page.");
  } else {
    out(
      table(
        [
          { header: "ID", value: (a: ServiceAccount) => a.id },
          { header: "NAME", value: (a) => a.name, max: 40, min: 8 },
          { header: "ROLE", value: (a) => a.role },
          { header: "LIMITS", value: (a) => limitsText(a.limits), max: 48, min: 8, drop: 3 },
          { header: "CREATED BY", value: (a) => a.created_by?.email ?? a.created_by?.id ?? "-", max: 32, min: 8, drop: 2 },
          { header: "CREATED", value: (a) => formatDate(a.created_at), drop: 1 },
        ],
        page.data,
      ),
    );
  }
  out();
  out(pageFooter(page.meta, "tt service-accounts list"));
}

async function create(name: string, options: JsonOption & { role?: ServiceAccountRole }): Promise<void> {
  const { client } = await connect(options);
  const created = await client.call("createServiceAccount", { body: { name, ...(options.role ? { role: options.role } : {}) } });
  if (options.json) return printJson(created);
  out(`Created service account "${clean(created.name)}" (${created.id}), role ${created.role}.`);
  out(KEYS_NOTE);
}

async function remove(ref: string, options: JsonOption): Promise<void> {
  const { client } = await connect(options);
  const id = await serviceAccountId(client, ref);
  const deleted = await client.call("deleteServiceAccount", { params: { id } });
  if (options.json) printJson(deleted);
  else out(`Deleted service account "${clean(deleted.name)}" (${deleted.id}): its keys are refused from now on.`);
}

/** "rate 100 requests a minute; quota none", or "none". */
function limitsText(limits: Limits | null): string {
  if (!limits || (!limits.rate && !limits.quota)) return "none";
  const words = describeLimits(limits);
  return `rate ${words.rate}; quota ${words.quota}`;
}

async function setLimits(ref: string, options: JsonOption & LimitFlags): Promise<void> {
  const flags: LimitFlags = { rate: options.rate, burst: options.burst, quota: options.quota };
  if (flags.rate === undefined && flags.burst === undefined && flags.quota === undefined) {
    throw new UsageError("say what to change: --rate, --burst, --quota, --no-rate or --no-quota");
  }
  const { client } = await connect(options);
  const id = await serviceAccountId(client, ref);
  const all = await everyItem((page) => client.call("listServiceAccounts", { query: { page, per_page: 100 } }));
  const account = all.find((a) => a.id === id);
  if (!account) throw new ApiError(404, "not_found", "Service account not found", [], null, ["See tt service-accounts list."]);
  let limits: Limits;
  try {
    limits = applyLimitFlags(account.limits ?? { rate: null, quota: null }, flags);
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new UsageError(error.message);
    throw error;
  }
  const updated = await client.call("updateServiceAccount", { params: { id }, body: { limits: limits.rate || limits.quota ? limits : null } });
  if (options.json) return printJson(updated);
  out(`Changed the limits of service account "${clean(updated.name)}" (${updated.id}), shared by all its keys: ${limitsText(updated.limits)}.`);
}
