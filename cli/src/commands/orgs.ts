// tt orgs list | switch | show — which organizations you are in, and which one tt acts in.
// The organization follows the key's precedence: --org, then TUNED_TENSOR_ORG, then the one
// stored here by `tt orgs switch`, then none (the key's own). A key acts only in its own
// organization, so list and switch ask without naming one: they are about all of yours.
import type { Command } from "commander";

import { keyPrefix, type Me, type Organization } from "../../../sdk/src/index.js";
import { CliError, organizationLabel, requestedLabel, UsageError, wrongOrganization } from "../client.js";
import { ENV_ORGANIZATION, Settings, whyOrganization, writeConfig, type GlobalOptions, type ResolvedKey, type ResolvedOrganization } from "../config.js";
import { connect, everyItem, pageOptions, USE_NEW_KEY, type PageOptions } from "../context.js";
import { describeLimits } from "../limits.js";
import { clean, describeScopes, formatDate, out, pageFooter, printJson, table, warn } from "../output.js";

type JsonOption = GlobalOptions & { json?: boolean };

/** Whether `ref` (a slug or an id, any case) names `org`. */
const names = (ref: string, org: { id: string; slug: string }) => [org.id, org.slug].includes(ref.toLowerCase());

export function registerOrgs(program: Command): void {
  const orgs = program
    .command("orgs")
    .description("list your organizations, choose the one tt acts in, show it with its policies")
    .addHelpText(
      "after",
      `
Which organization a command acts in, first match wins:
  1. --org <slug|id>
  2. ${ENV_ORGANIZATION}
  3. the one stored by "tt orgs switch" (in the credentials file)
  4. the key's own
An API key acts only in its own organization: naming another is refused (403), and tt says
which organization the key belongs to. To work in another, log in with a key made there
(the dashboard: switch to it, then Settings → API Keys).`,
    );

  pageOptions(orgs.command("list").alias("ls").description("list your organizations, the personal workspace first; * marks the one tt acts in")).action(
    async (_options: unknown, command: Command) => list(command.optsWithGlobals<GlobalOptions & PageOptions>()),
  );

  orgs
    .command("switch")
    .description("store the organization later commands act in (checked: it must be one of yours)")
    .argument("[org]", "its slug or id (see tt orgs list)")
    .option("--clear", "forget the stored organization: commands act in the key's own")
    .option("--json", "print the organization stored as JSON")
    .action(async (ref: string | undefined, _options: unknown, command: Command) => switchTo(ref, command.optsWithGlobals<JsonOption & { clear?: boolean }>()));

  orgs
    .command("show")
    .description("show the organization tt acts in: its policies and your role")
    .option("--json", "print the organization as JSON")
    .action(async (_options: unknown, command: Command) => show(command.optsWithGlobals<JsonOption>()));
}

/** The organization this run acts in: the named one, else the key's own. */
const isCurrent = (org: Organization, named: ResolvedOrganization | null, me: Me) => (named ? names(named.ref, org) : org.id === me.organization.id);

/** A warning when the organization this run names is not the key's: every command would be refused. */
function warnIfNotTheKeys(named: ResolvedOrganization | null, me: Me, key: ResolvedKey): void {
  if (!named || names(named.ref, me.organization)) return;
  const { hints } = wrongOrganization(`${keyPrefix(key.key)}…`, me, named, USE_NEW_KEY[key.source]);
  warn(`this API key belongs to ${organizationLabel(me.organization)}: commands naming ${clean(requestedLabel(named))} are refused.\n${hints.join("\n")}`);
}

async function list(options: GlobalOptions & PageOptions): Promise<void> {
  const { client, organization: named, settings, key } = await connect(options);
  const [page, me] = await Promise.all([
    client.callUnscoped("listOrganizations", { query: { page: options.page, per_page: options.perPage } }),
    client.callUnscoped("getMe"),
  ]);
  const rows = page.data.map((org) => ({ ...org, current: isCurrent(org, named, me) }));
  if (options.json) return printJson({ data: rows, meta: page.meta, org: named?.ref ?? null, org_source: named?.source ?? "key" });
  if (rows.length === 0) {
    out(page.meta.total === 0 ? "No organizations." : "No organizations on this page.");
  } else {
    out(
      table(
        [
          { header: " ", value: (o: (typeof rows)[number]) => (o.current ? "*" : "") },
          { header: "SLUG", value: (o) => o.slug, min: 12 },
          { header: "NAME", value: (o) => (o.personal ? `${o.name} (personal)` : o.name), max: 40, min: 8 },
          { header: "ROLE", value: (o) => o.role ?? (me.service_account ? `${me.organization.role} (service account)` : "-") },
          { header: "ID", value: (o) => o.id, drop: 1 },
          { header: "CREATED", value: (o) => formatDate(o.created_at), drop: 2 },
        ],
        rows,
      ),
    );
  }
  out();
  out(pageFooter(page.meta, "tt orgs list"));
  out(`* acts in: ${clean(named ? requestedLabel(named) : me.organization.slug)} (${whyOrganization(named, settings.path)})`);
  // Only a list on one page shows all of them: then a named organization missing from it is none of yours.
  if (named && !rows.some((o) => o.current) && page.meta.total <= page.data.length) {
    warn(`you are not a member of an organization ${JSON.stringify(requestedLabel(named))}.`);
  } else {
    warnIfNotTheKeys(named, me, key);
  }
}

async function switchTo(ref: string | undefined, options: JsonOption & { clear?: boolean }): Promise<void> {
  if (options.clear && ref !== undefined) throw new UsageError("give an organization or --clear, not both");
  if (!options.clear && ref === undefined) throw new UsageError("which organization? Give its slug or id (see tt orgs list), or --clear");
  const settings = new Settings(options);
  const stored = settings.fileOrNull() ?? {};

  if (options.clear) {
    const had = stored.organization_slug ?? stored.organization ?? null;
    if (had !== null) {
      const rest = { ...stored };
      delete rest.organization;
      delete rest.organization_slug;
      writeConfig(rest, settings.path);
    }
    if (options.json) printJson({ organization: null, forgotten: had, config_file: settings.path });
    else out(had === null ? "No organization was stored: commands act in the key's own." : `Forgot ${clean(had)}: commands act in the key's own organization.`);
    if (settings.envOrganizationSet()) warn(`${ENV_ORGANIZATION} is set and takes precedence; unset it to act in the key's own organization.`);
    return;
  }

  const wanted = ref!.trim();
  if (!/^[A-Za-z0-9-]{1,64}$/.test(wanted)) throw new UsageError(`not a slug or an id: ${JSON.stringify(ref)}`, ["See tt orgs list."]);
  // Checked against your organizations (without naming one: the stored one may be wrong).
  const { client, key } = await connect(options, { organization: false });
  const [orgs, me] = await Promise.all([everyItem((page) => client.callUnscoped("listOrganizations", { query: { page, per_page: 100 } })), client.callUnscoped("getMe")]);
  const org = orgs.find((o) => names(wanted, o));
  if (!org) {
    throw new CliError(`you are not a member of an organization ${JSON.stringify(wanted)}; nothing was stored`, 1, [
      `Yours: ${orgs.map((o) => clean(o.slug)).join(", ") || "none"} (tt orgs list).`,
    ]);
  }
  writeConfig({ ...stored, organization: org.id, organization_slug: org.slug }, settings.path);
  if (options.json) printJson({ organization: org, config_file: settings.path });
  else out(`Switched to ${clean(org.slug)} "${clean(org.name)}"${org.role ? ` (your role: ${org.role})` : ""}: later commands act in it (stored in ${settings.path}).`);
  if (settings.envOrganizationSet()) warn(`${ENV_ORGANIZATION} is set and takes precedence over the stored organization; unset it to act in ${clean(org.slug)}.`);
  warnIfNotTheKeys({ ref: org.id, slug: org.slug, source: "file" }, me, key);
}

async function show(options: JsonOption): Promise<void> {
  const { client, organization: named, settings } = await connect(options);
  const [org, me] = await Promise.all([client.call("getOrganization"), client.call("getMe")]);
  if (options.json) return printJson(org);
  const policy = org.policy;
  out(`${clean(org.name)}${org.personal ? " (personal workspace)" : ""}`);
  out(`  slug:      ${clean(org.slug)}`);
  out(`  id:        ${org.id}`);
  out(`  your role: ${me.service_account ? `${me.organization.role}, as the service account "${clean(me.service_account.name)}"` : (org.role ?? me.organization.role)}`);
  out(`  created:   ${formatDate(org.created_at)}`);
  out(`  acting in: ${whyOrganization(named, settings.path)}`);
  out("  policies:");
  out(`    two-factor required for members: ${policy.require_two_factor ? "yes" : "no"}`);
  out(`    longest key lifetime:            ${policy.max_key_lifetime_days === null ? "no limit" : `${policy.max_key_lifetime_days} days`}`);
  out(`    roles that may create keys:      ${policy.key_creator_roles.join(", ") || "none"}`);
  out(`    scopes member keys may hold:     ${describeScopes(policy.member_key_scopes) === "all" ? "all" : policy.member_key_scopes.join(", ") || "none"}`);
  const limits = policy.default_key_limits ? describeLimits(policy.default_key_limits) : null;
  out(`    default limits of keys:          ${limits ? `rate ${limits.rate}; quota ${limits.quota}` : "none"}`);
}
