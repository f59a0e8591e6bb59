import "server-only";

import { recordAuditEvent, type Tx } from "@/lib/activity/audit";
import type { AuditActor } from "@/lib/activity/audit-actor";
import { settleKeyChange } from "@/lib/api-keys/settle-key-change";
import { canManageRole, memberOutput, type Member, type Role } from "@/lib/contract";
import type { Db } from "@/lib/db";
import { conflictError, forbiddenError, notFoundError } from "@/lib/domain-errors";

import { revokeHeldKeys } from "./revoke-held-keys";

// An organization's members: list them, change a role, remove one, leave. The rules on who
// may change whom are the contract's (canManageRole: owners anyone, admins anyone but an
// owner, and nobody but an owner makes owners); the database keeps the last one — an
// organization always has an owner — with the trigger organization_keeps_an_owner, whose
// refusal is a 409 here. Every change that takes power away (a lower role, a member gone)
// commits with its events, revokes what must go in the same transaction, then waits T
// (settleKeyChange) before it answers: from the answer on, no instance serves the old power.

export const MEMBER_NOT_FOUND = "Member not found";
const LAST_OWNER = "An organization keeps at least one owner: make someone else an owner first";

type MemberRow = { user_id: string; email: string | null; role: Role; created_at: Date; two_factor: boolean };

const toOutput = (row: MemberRow): Member =>
  memberOutput.parse({
    user: { id: row.user_id, email: row.email },
    role: row.role,
    joined_at: row.created_at.toISOString(),
    two_factor: row.two_factor,
  } satisfies Member);

const memberColumns = (sql: Db | Tx) => (sql as Db)`
  m.user_id, u.email, m.role, m.created_at,
  exists (select 1 from auth.mfa_factors f where f.user_id = m.user_id and f.status = 'verified') as two_factor`;

/** The trigger organization_keeps_an_owner refused the change. */
const leavesNoOwner = (error: unknown) => {
  const e = error as { code?: unknown; constraint_name?: unknown } | null;
  return e?.code === "23514" && e.constraint_name === "organization_keeps_an_owner";
};

/** Runs a change of memberships; the last owner's refusal becomes a 409. */
async function keepingAnOwner<T>(db: Db, change: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return (await db.begin(change)) as T;
  } catch (error) {
    if (leavesNoOwner(error)) throw conflictError(LAST_OWNER);
    throw error;
  }
}

/** One page of the organization's members, oldest first. */
export async function listMembers(db: Db, params: { organizationId: string; page: number; perPage: number }) {
  const offset = (params.page - 1) * params.perPage;
  const rows = await db<(MemberRow & { total: number })[]>`
    select ${memberColumns(db)}, count(*) over ()::int as total
    from public.organization_members m
    left join auth.users u on u.id = m.user_id
    where m.organization_id = ${params.organizationId}
    order by m.created_at, m.user_id
    limit ${params.perPage} offset ${offset}`;
  let total = rows[0]?.total ?? 0;
  if (!rows[0] && offset > 0) {
    const [count] = await db<{ total: number }[]>`select count(*)::int as total from public.organization_members where organization_id = ${params.organizationId}`;
    total = count?.total ?? 0;
  }
  return { items: rows.map(toOutput), total };
}

/** The member, locked for the transaction's change, or 404. */
async function lockMember(tx: Tx, organizationId: string, userId: string): Promise<MemberRow> {
  const [row] = await tx<MemberRow[]>`
    select ${memberColumns(tx)}
    from public.organization_members m
    left join auth.users u on u.id = m.user_id
    where m.organization_id = ${organizationId} and m.user_id = ${userId}
    for update of m`;
  if (!row) throw notFoundError(MEMBER_NOT_FOUND);
  return row;
}

/**
 * Ends a membership in the caller's transaction: the row goes, the member's live keys in the
 * organization are revoked (`by: membership_ended`), and `event` is recorded with them.
 */
async function endMembership(
  tx: Tx,
  params: { organizationId: string; userId: string; actor: AuditActor },
  event: { type: "member.removed" | "member.left"; details: Record<string, unknown> },
) {
  await tx`delete from public.organization_members where organization_id = ${params.organizationId} and user_id = ${params.userId}`;
  await revokeHeldKeys(tx, { organizationId: params.organizationId, holder: { userId: params.userId }, actor: params.actor, details: { by: "membership_ended" } });
  await recordAuditEvent(tx, { type: event.type, organizationId: params.organizationId, userId: params.userId, actor: params.actor, details: event.details });
}

/** Who acts: their role in the organization (a service account's key: its service account's). */
type Manager = { actorRole: Role; actor: AuditActor };

function assertManages(manager: Manager, target: Role, verb: string) {
  if (!canManageRole(manager.actorRole, target)) throw forbiddenError(`Only an owner can ${verb} an owner`);
}

/**
 * Changes a member's role. Owners change any; admins any but an owner's, and cannot make
 * owners (403); the last owner cannot be lowered (409). A change waits T before answering.
 */
export async function updateMember(db: Db, params: { organizationId: string; userId: string; role: Role } & Manager): Promise<Member> {
  const { before, after } = await keepingAnOwner(db, async (tx) => {
    const current = await lockMember(tx, params.organizationId, params.userId);
    assertManages(params, current.role, "change the role of");
    assertManages(params, params.role, "make someone");
    if (current.role === params.role) return { before: current, after: current };
    await tx`update public.organization_members set role = ${params.role} where organization_id = ${params.organizationId} and user_id = ${params.userId}`;
    await recordAuditEvent(tx, {
      type: "member.role_changed",
      organizationId: params.organizationId,
      userId: params.userId,
      actor: params.actor,
      details: { from: current.role, to: params.role },
    });
    return { before: current, after: { ...current, role: params.role } };
  });
  // A lower role must be in force when this answers; a higher one waits too, so the member is
  // not refused, for up to T, what they were just given.
  if (after.role !== before.role) await settleKeyChange();
  return toOutput(after);
}

/**
 * Removes a member: their keys in the organization are revoked with it, and the answer
 * waits T. Admins cannot remove owners (403); the last owner cannot go (409).
 */
export async function removeMember(db: Db, params: { organizationId: string; userId: string } & Manager): Promise<Member> {
  const removed = await keepingAnOwner(db, async (tx) => {
    const current = await lockMember(tx, params.organizationId, params.userId);
    assertManages(params, current.role, "remove");
    await endMembership(tx, params, { type: "member.removed", details: { role: current.role, email: current.email } });
    return current;
  });
  await settleKeyChange();
  return toOutput(removed);
}

/**
 * The signed-in member leaves: their keys in it are revoked, and the answer waits T. Not a
 * personal workspace (409), not the last owner (409).
 */
export async function leaveOrganization(db: Db, params: { organizationId: string; personal: boolean; userId: string; actor: AuditActor }): Promise<Member> {
  if (params.personal) throw conflictError("You cannot leave your personal workspace; it goes with your account");
  const left = await keepingAnOwner(db, async (tx) => {
    const current = await lockMember(tx, params.organizationId, params.userId);
    await endMembership(tx, params, { type: "member.left", details: { role: current.role } });
    return current;
  });
  await settleKeyChange();
  return toOutput(left);
}
