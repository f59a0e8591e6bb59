// tt members list | role | remove | invite | invitations — the organization's people. The
// organization is the one tt acts in (tt orgs show); a member is named by user id or e-mail
// address, an address looked up in the member list.
import { Argument, Option, type Command } from "commander";

import { ROLES, type Invitation, type Member, type Role } from "../../../sdk/src/index.js";
import { CliError, UsageError, type Client } from "../client.js";
import type { GlobalOptions } from "../config.js";
import { connect, everyItem, isUuid, pageOptions, type PageOptions } from "../context.js";
import { clean, formatDate, out, pageFooter, printJson, table } from "../output.js";

type JsonOption = GlobalOptions & { json?: boolean };

const MEMBER_ARGUMENT = "<member>";
const MEMBER_DESCRIPTION = "the member's user id or e-mail address (see tt members list)";

export function registerMembers(program: Command): void {
  const members = program
    .command("members")
    .description("the members of the organization tt acts in: list, change a role, remove, invite")
    .addHelpText(
      "after",
      `
Roles: ${ROLES.join(", ")}. Owners change any role; admins any but an owner's, and cannot
make owners; the last owner stays. Removing a member or lowering a role takes effect for
their keys at once. Which organization: see tt orgs --help.`,
    );

  pageOptions(members.command("list").alias("ls").description("list the members, oldest first")).action(async (_options: unknown, command: Command) =>
    list(command.optsWithGlobals<GlobalOptions & PageOptions>()),
  );

  members
    .command("role")
    .description("change a member's role")
    .argument(MEMBER_ARGUMENT, MEMBER_DESCRIPTION)
    .addArgument(new Argument("<role>", "the new role").choices(ROLES))
    .option("--json", "print the member as JSON")
    .action(async (member: string, role: Role, _options: unknown, command: Command) => changeRole(member, role, command.optsWithGlobals<JsonOption>()));

  members
    .command("remove")
    .alias("rm")
    .description("remove a member: their keys in the organization are revoked at once")
    .argument(MEMBER_ARGUMENT, MEMBER_DESCRIPTION)
    .option("--json", "print the removed member as JSON")
    .action(async (member: string, _options: unknown, command: Command) => remove(member, command.optsWithGlobals<JsonOption>()));

  members
    .command("invite")
    .description("invite someone by e-mail: the mail links to a page where they accept (for 7 days)")
    .argument("<email>", "their e-mail address; only an account with it, confirmed, can accept")
    .addOption(new Option("--role <role>", "their role once they accept").choices(ROLES).makeOptionMandatory())
    .option("--json", "print the invitation as JSON")
    .action(async (email: string, _options: unknown, command: Command) => invite(email, command.optsWithGlobals<JsonOption & { role: Role }>()));

  pageOptions(members.command("invitations").description("list the invitations, newest first, with who invited whom and what became of them")).action(
    async (_options: unknown, command: Command) => invitations(command.optsWithGlobals<GlobalOptions & PageOptions>()),
  );
}

/** A member's user id: given, or looked up by e-mail address in the member list. */
async function memberId(client: Client, member: string): Promise<{ id: string; label: string }> {
  const given = member.trim();
  if (isUuid(given)) return { id: given.toLowerCase(), label: given.toLowerCase() };
  if (!given.includes("@")) throw new UsageError(`not a user id or an e-mail address: ${JSON.stringify(member)}`, ["See tt members list."]);
  const all = await everyItem((page) => client.call("listMembers", { query: { page, per_page: 100 } }));
  const found = all.find((m) => m.user.email?.toLowerCase() === given.toLowerCase());
  if (!found) throw new CliError(`no member has the e-mail address ${given}`, 1, ["See tt members list; someone invited but not yet joined is in tt members invitations."]);
  return { id: found.user.id, label: `${found.user.email ?? found.user.id}` };
}

const who = (m: Member) => clean(m.user.email ?? m.user.id);

async function list(options: GlobalOptions & PageOptions): Promise<void> {
  const { client } = await connect(options);
  const page = await client.call("listMembers", { query: { page: options.page, per_page: options.perPage } });
  if (options.json) return printJson(page);
  if (page.data.length === 0) {
    out(page.meta.total === 0 ? "No members." : "No members on this page.");
  } else {
    out(
      table(
        [
          { header: "USER ID", value: (m: Member) => m.user.id },
          { header: "EMAIL", value: (m) => m.user.email ?? "-", max: 64, min: 12 },
          { header: "ROLE", value: (m) => m.role },
          { header: "2FA", value: (m) => (m.two_factor ? "yes" : "no"), drop: 1 },
          { header: "JOINED", value: (m) => formatDate(m.joined_at), drop: 2 },
        ],
        page.data,
      ),
    );
  }
  out();
  out(pageFooter(page.meta, "tt members list"));
}

async function changeRole(member: string, role: Role, options: JsonOption): Promise<void> {
  const { client } = await connect(options);
  const { id } = await memberId(client, member);
  const changed = await client.call("updateMember", { params: { user_id: id }, body: { role } });
  if (options.json) printJson(changed);
  else out(`${who(changed)} is now ${changed.role}.`);
}

async function remove(member: string, options: JsonOption): Promise<void> {
  const { client } = await connect(options);
  const { id } = await memberId(client, member);
  const removed = await client.call("removeMember", { params: { user_id: id } });
  if (options.json) printJson(removed);
  else out(`Removed ${who(removed)} (${removed.user.id}, ${removed.role}): their keys in this organization are revoked.`);
}

async function invite(email: string, options: JsonOption & { role: Role }): Promise<void> {
  const { client } = await connect(options);
  const invitation = await client.call("createInvitation", { body: { email: email.trim(), role: options.role } });
  if (options.json) printJson(invitation);
  else out(`Invited ${clean(invitation.email)} as ${invitation.role}: the mail links to the page to accept, until ${formatDate(invitation.expires_at)} (invitation ${invitation.id}).`);
}

async function invitations(options: GlobalOptions & PageOptions): Promise<void> {
  const { client } = await connect(options);
  const page = await client.call("listInvitations", { query: { page: options.page, per_page: options.perPage } });
  if (options.json) return printJson(page);
  if (page.data.length === 0) {
    out(page.meta.total === 0 ? "No invitations." : "No invitations on this page.");
  } else {
    out(
      table(
        [
          { header: "ID", value: (i: Invitation) => i.id, drop: 3 },
          { header: "EMAIL", value: (i) => i.email, max: 64, min: 12 },
          { header: "ROLE", value: (i) => i.role },
          { header: "STATUS", value: (i) => (i.status === "accepted" && i.accepted_by?.email && i.accepted_by.email !== i.email ? `accepted by ${i.accepted_by.email}` : i.status) },
          { header: "INVITED BY", value: (i) => i.invited_by?.email ?? i.invited_by?.id ?? "-", max: 32, min: 8, drop: 2 },
          { header: "EXPIRES", value: (i) => formatDate(i.expires_at), drop: 1 },
        ],
        page.data,
      ),
    );
  }
  out();
  out(pageFooter(page.meta, "tt members invitations"));
}
