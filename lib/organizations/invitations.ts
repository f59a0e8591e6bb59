import "server-only";

import { createHash, randomBytes } from "node:crypto";

import { answerableRows } from "@/lib/answerable-rows";
import { recordAuditEvent, type Tx } from "@/lib/activity/audit";
import type { AuditActor } from "@/lib/activity/audit-actor";
import {
  canManageRole,
  INVITATION_TTL_DAYS,
  invitationOutput,
  type CreateInvitationInput,
  type Invitation,
  type Organization,
  type Role,
} from "@/lib/contract";
import type { Db } from "@/lib/db";
import { conflictError, forbiddenError, notFoundError, refusedChange } from "@/lib/domain-errors";
import { env } from "@/lib/env";
import { sendMail } from "@/lib/mail/mailer";

import { describeOrganization } from "./describe";
import type { OrganizationContext } from "./membership";
import { loadOrganization } from "./organizations";

// Invitations by e-mail. The link's token is 32 random bytes that exist in the mail alone:
// the database keeps only their SHA-256 (as with API keys, a stolen table opens nothing),
// the API's answers and the audit trail never carry it. A link works once, for
// INVITATION_TTL_DAYS, and only for a signed-in account that has the invited address,
// confirmed: whoever else gets hold of the mail cannot join with it.

const DAY_MS = 86_400_000;

/** The 404 for every link that does not lead to a pending invitation, whatever the reason (one message: it tells nothing). */
export const INVITATION_NOT_FOUND = "Invitation not found: the link is unknown, expired, revoked or was already used. Ask for a new invitation";

/** What an invitation row keeps of its token: its SHA-256 (the token exists in the mail alone). */
export const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest();

type InvitationRow = {
  id: string;
  email: string;
  role: Role;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
  invited_by: string | null;
  invited_by_email: string | null;
  accepted_by: string | null;
  accepted_by_email: string | null;
};

/** What became of an invitation at `now`. */
export function invitationStatus(row: Pick<InvitationRow, "accepted_at" | "revoked_at" | "expires_at">, now: Date): Invitation["status"] {
  if (row.accepted_at) return "accepted";
  if (row.revoked_at) return "revoked";
  return row.expires_at.getTime() <= now.getTime() ? "expired" : "pending";
}

function toOutput(row: InvitationRow, now: Date): Invitation {
  return invitationOutput.parse({
    id: row.id,
    email: row.email,
    role: row.role,
    invited_by: row.invited_by ? { id: row.invited_by, email: row.invited_by_email } : null,
    created_at: row.created_at.toISOString(),
    expires_at: row.expires_at.toISOString(),
    status: invitationStatus(row, now),
    accepted_by: row.accepted_by ? { id: row.accepted_by, email: row.accepted_by_email } : null,
  } satisfies Invitation);
}

// The invitation with who sent it and who accepted it, by their addresses now.
const COLUMNS = (sql: Db | Tx) => (sql as Db)`
  i.id, i.email, i.role, i.created_at, i.expires_at, i.accepted_at, i.revoked_at,
  i.invited_by, inviter.email as invited_by_email, i.accepted_by, joiner.email as accepted_by_email`;
const FROM = (sql: Db | Tx) => (sql as Db)`
  public.organization_invitations i
  left join auth.users inviter on inviter.id = i.invited_by
  left join auth.users joiner on joiner.id = i.accepted_by`;

/** Who sends an invitation: for the mail's "X invited you", and the row's invited_by (null for a service account's key). */
export type Inviter = { userId: string | null; email: string | null; serviceAccountName: string | null; role: Role };

/**
 * Invites `email` to the organization with `role`, and mails the link. Refused: in a personal
 * workspace (409), a role the inviter cannot manage (an admin inviting an owner, 403), someone
 * already a member (409), an address with a pending invitation (409; one that has expired is
 * marked revoked and replaced). The mail is sent inside the transaction: if it cannot be sent,
 * there is no invitation (nobody could ever accept it).
 */
export async function createInvitation(
  db: Db,
  params: { organization: OrganizationContext; inviter: Inviter; actor: AuditActor; input: CreateInvitationInput; now?: Date },
): Promise<Invitation> {
  const { organization, inviter, input } = params;
  const now = params.now ?? new Date();
  if (organization.personal) throw conflictError("A personal workspace has one member: create an organization to invite people");
  if (!canManageRole(inviter.role, input.role)) throw forbiddenError(`As ${inviter.role}, you cannot invite someone as ${input.role}: ask an owner`);
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * DAY_MS);
  return db.begin(async (tx) => {
    // One invitation decision per organization and address at a time: two invitations sent at
    // once cannot both find no pending one.
    await tx`select pg_advisory_xact_lock(hashtextextended(${`invitation ${organization.id} ${input.email}`}, 0))`;
    const [member] = await tx`
      select 1 from public.organization_members m join auth.users u on u.id = m.user_id
      where m.organization_id = ${organization.id} and lower(u.email) = ${input.email}`;
    if (member) throw conflictError(`${input.email} is already a member of ${organization.name}`);
    await tx`
      update public.organization_invitations set revoked_at = ${now}
      where organization_id = ${organization.id} and email = ${input.email}
        and accepted_at is null and revoked_at is null and expires_at <= ${now}`;
    const [pending] = await tx`
      select 1 from public.organization_invitations
      where organization_id = ${organization.id} and email = ${input.email} and accepted_at is null and revoked_at is null`;
    if (pending) throw conflictError(`${input.email} already has a pending invitation to ${organization.name}; revoke it to send a new one`);
    const [inserted] = await tx<{ id: string }[]>`
      insert into public.organization_invitations (organization_id, email, role, invited_by, token_hash, created_at, expires_at)
      values (${organization.id}, ${input.email}, ${input.role}, ${inviter.userId}, ${hashToken(token)}, ${now}, ${expiresAt})
      returning id`;
    await recordAuditEvent(tx, {
      type: "member.invited",
      organizationId: organization.id,
      userId: null,
      actor: params.actor,
      details: { email: input.email, role: input.role, invitation_id: inserted!.id },
    });
    try {
      await sendMail(invitationMail({ to: input.email, role: input.role, organizationName: organization.name, inviter, token, expiresAt }));
    } catch (error) {
      if (recipientRefused(error)) {
        throw refusedChange("The mail server refused this address", [{ path: "email", message: "was refused by the mail server" }]);
      }
      // Logged without the mail (the token is in it).
      console.error(`[invitations] could not mail invitation ${inserted!.id}:`, (error as Error).message);
      throw new Error("the invitation mail could not be sent");
    }
    const [row] = await tx<InvitationRow[]>`select ${COLUMNS(tx)} from ${FROM(tx)} where i.id = ${inserted!.id}`;
    return toOutput(row!, now);
  });
}

/**
 * Whether a failed send is the mail server refusing the recipient (nodemailer's `EENVELOPE`,
 * or a permanent 5xx answer to RCPT TO): the address is at fault, a 400, not the server.
 */
export function recipientRefused(error: unknown): boolean {
  const e = error as { code?: unknown; command?: unknown; responseCode?: unknown } | null;
  if (e?.code === "EENVELOPE") return true;
  return e?.command === "RCPT TO" && typeof e.responseCode === "number" && e.responseCode >= 500 && e.responseCode < 600;
}

function invitationMail(m: { to: string; role: Role; organizationName: string; inviter: Inviter; token: string; expiresAt: Date }) {
  const who = m.inviter.email ?? (m.inviter.serviceAccountName ? `The service account “${m.inviter.serviceAccountName}”` : "An admin");
  return {
    to: m.to,
    subject: `You are invited to join ${m.organizationName} on Tuned Tensor`,
    text:
      `${who} invited you to join the organization “${m.organizationName}” on Tuned Tensor as ${m.role}.\n\n` +
      `Accept, signed in with this address (${m.to}, confirmed), before ${m.expiresAt.toISOString()}:\n` +
      `  ${env.APP_URL}/invitations/accept?token=${m.token}\n\n` +
      `The link works once. If you did not expect this invitation, ignore this mail: nothing happens unless you accept.\n`,
  };
}

/** One page of the organization's invitations, newest first, each with what became of it at `now`. */
export async function listInvitations(
  db: Db,
  params: { organizationId: string; page: number; perPage: number; requestId?: string; now?: Date },
): Promise<{ items: Invitation[]; total: number }> {
  const now = params.now ?? new Date();
  const offset = (params.page - 1) * params.perPage;
  const rows = await db<(InvitationRow & { total: number })[]>`
    select ${COLUMNS(db)}, count(*) over ()::int as total
    from ${FROM(db)}
    where i.organization_id = ${params.organizationId}
    order by i.created_at desc, i.id desc
    limit ${params.perPage} offset ${offset}`;
  let total = rows[0]?.total ?? 0;
  if (!rows[0] && offset > 0) {
    const [count] = await db<{ total: number }[]>`select count(*)::int as total from public.organization_invitations where organization_id = ${params.organizationId}`;
    total = count?.total ?? 0;
  }
  return { items: answerableRows(rows, (row) => toOutput(row, now), "invitation", params.requestId), total };
}

/**
 * Revokes a pending invitation: its link stops working. Idempotent: one already revoked,
 * accepted or expired is answered as it is, and only a real change is audited. 404 for an id
 * that is not the organization's.
 */
export async function revokeInvitation(
  db: Db,
  params: { organizationId: string; id: string; actor: AuditActor; now?: Date },
): Promise<Invitation> {
  const now = params.now ?? new Date();
  return db.begin(async (tx) => {
    const [revoked] = await tx<{ id: string; email: string; role: Role }[]>`
      update public.organization_invitations set revoked_at = ${now}
      where id = ${params.id} and organization_id = ${params.organizationId}
        and accepted_at is null and revoked_at is null and expires_at > ${now}
      returning id, email, role`;
    if (revoked) {
      await recordAuditEvent(tx, {
        type: "member.invitation_revoked",
        organizationId: params.organizationId,
        userId: null,
        actor: params.actor,
        details: { email: revoked.email, role: revoked.role, invitation_id: revoked.id },
      });
    }
    const [row] = await tx<InvitationRow[]>`
      select ${COLUMNS(tx)} from ${FROM(tx)} where i.id = ${params.id} and i.organization_id = ${params.organizationId}`;
    if (!row) throw notFoundError("Invitation not found");
    return toOutput(row, now);
  });
}

/**
 * The signed-in user `userId` accepts the invitation whose link carries `token`: they become
 * a member with its role, the invitation is marked accepted and `member.joined` recorded, all
 * in one transaction. An unknown, expired, revoked or used link is one 404. The account must
 * have the invited address, confirmed (403 naming the address, nothing more); someone already
 * a member is a 409 (the invitation stays pending for them to revoke or let expire).
 */
export async function acceptInvitation(
  db: Db,
  params: { token: string; userId: string; actor: AuditActor; now?: Date },
): Promise<Organization> {
  const now = params.now ?? new Date();
  return db.begin(async (tx) => {
    // Locked: the same link accepted twice at once joins once.
    const [invitation] = await tx<{ id: string; organization_id: string; email: string; role: Role; invited_by: string | null }[]>`
      select id, organization_id, email, role, invited_by from public.organization_invitations
      where token_hash = ${hashToken(params.token)} and accepted_at is null and revoked_at is null and expires_at > ${now}
      for update`;
    if (!invitation) throw notFoundError(INVITATION_NOT_FOUND);
    const [user] = await tx<{ email: string | null; confirmed: boolean }[]>`
      select u.email, u.email_confirmed_at is not null as confirmed from auth.users u where u.id = ${params.userId}`;
    if (!user || (user.email ?? "").toLowerCase() !== invitation.email) {
      throw forbiddenError(`This invitation is for ${invitation.email}: sign in with that address to accept it`);
    }
    if (!user.confirmed) throw forbiddenError(`Confirm your address ${invitation.email} first (the mail we sent you when you signed up), then accept the invitation`);
    const [joined] = await tx`
      insert into public.organization_members (organization_id, user_id, role)
      values (${invitation.organization_id}, ${params.userId}, ${invitation.role})
      on conflict (organization_id, user_id) do nothing
      returning 1`;
    if (!joined) throw conflictError("You are already a member of this organization");
    await tx`update public.organization_invitations set accepted_at = ${now}, accepted_by = ${params.userId} where id = ${invitation.id}`;
    await recordAuditEvent(tx, {
      type: "member.joined",
      organizationId: invitation.organization_id,
      userId: params.userId,
      actor: params.actor,
      details: { email: invitation.email, role: invitation.role, invitation_id: invitation.id, invited_by: invitation.invited_by },
    });
    return describeOrganization(await loadOrganization(tx, invitation.organization_id), invitation.role);
  });
}
