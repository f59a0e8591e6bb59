"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { LocalTime } from "@/components/local-time";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { ACTIONS_COLUMN, Table, cellClasses } from "@/components/ui/table";
import { canManageRole, type Invitation, type Member, type Role } from "@/lib/contract/organizations";
import { ROLE_LABELS } from "@/lib/ui/organizations";
import { useCallFailure } from "@/lib/ui/use-call-failure";
import { callApi } from "@/lib/ui/api";

import { ChangeRoleDialog } from "./change-role-dialog";
import { InviteForm } from "./invite-form";
import { LeaveOrganization } from "./leave-organization";
import { RemoveMemberDialog } from "./remove-member-dialog";

const td = cellClasses;

const INVITATION_BADGE: Record<Invitation["status"], { label: string; tone: "green" | "neutral" | "red" | "amber" }> = {
  pending: { label: "Pending", tone: "amber" },
  accepted: { label: "Accepted", tone: "green" },
  revoked: { label: "Revoked", tone: "neutral" },
  expired: { label: "Expired", tone: "neutral" },
};

export function MembersManager({
  organization,
  me,
  canManage,
  members,
  moreMembers,
  invitations,
}: {
  organization: { name: string; personal: boolean };
  me: { userId: string; role: Role };
  canManage: boolean;
  members: Member[];
  moreMembers: number;
  /** null: not shown to this role (or a personal workspace). */
  invitations: Invitation[] | null;
}) {
  const router = useRouter();
  const [notice, setNotice] = useState<string | null>(null);
  const [changing, setChanging] = useState<Member | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const { failure, fail, clear } = useCallFailure();
  const notices = useRef<HTMLDivElement>(null);
  const owners = members.filter((member) => member.role === "owner").length;
  // A personal workspace has one member, the user, whom no one manages.
  const actions = canManage && !organization.personal;

  function announce(text: string) {
    clear();
    setNotice(text);
    notices.current?.focus();
    router.refresh();
  }

  async function revoke(invitation: Invitation) {
    setNotice(null);
    clear();
    setRevoking(invitation.id);
    const result = await callApi("revokeInvitation", { params: { id: invitation.id } });
    setRevoking(null);
    if (!result.ok) {
      fail(result);
      notices.current?.focus();
      return;
    }
    announce(`Revoked the invitation for ${invitation.email}. Its link no longer works.`);
  }

  return (
    <div className="space-y-10">
      <div>
        <PageHeader
          eyebrow="Settings"
          title="Members"
          description={
            organization.personal
              ? "Your personal workspace has one member: you. Create an organization (in the organization menu) to work with others."
              : `The people in ${organization.name} and what each may do. Removing someone, or lowering their role, takes effect for their keys at once.`
          }
        />
        <div ref={notices} tabIndex={-1} role="status" className="mt-6 focus:outline-none empty:mt-0">
          {notice ? <Alert tone="success">{notice}</Alert> : null}
          <ApiErrorAlert error={failure} />
        </div>
      </div>

      <section aria-labelledby="members-heading" className="space-y-3">
        <h2 id="members-heading" className="text-base font-semibold">
          Members <Badge>{members.length + moreMembers}</Badge>
        </h2>
        <Table
          caption={`Members of ${organization.name}`}
          columns={[
            { label: "Member" },
            { label: "Role" },
            { label: "Two-factor", className: "hidden sm:table-cell" },
            { label: "Joined", className: "hidden md:table-cell" },
            ...(actions ? [ACTIONS_COLUMN] : []),
          ]}
        >
          {members.map((member) => {
            const self = member.user.id === me.userId;
            const email = member.user.email ?? "A deleted account";
            const manageable = canManage && !self && canManageRole(me.role, member.role);
            return (
              <tr key={member.user.id} data-member={member.user.email ?? member.user.id}>
                <td className={td}>
                  <div className="font-medium wrap-anywhere text-neutral-900 dark:text-neutral-100">
                    {email}
                    {self ? <span className="font-normal text-neutral-500 dark:text-neutral-400"> (you)</span> : null}
                  </div>
                  <div className="mt-0.5 text-xs text-neutral-500 sm:hidden dark:text-neutral-400">
                    Two-factor: {member.two_factor ? "on" : "off"}
                  </div>
                  <div className="mt-0.5 text-xs text-neutral-500 md:hidden dark:text-neutral-400">
                    Joined <LocalTime iso={member.joined_at} format="date" />
                  </div>
                </td>
                <td className={td} data-testid="member-role">
                  {ROLE_LABELS[member.role]}
                </td>
                <td className={`${td} hidden sm:table-cell`}>
                  {member.two_factor ? <Badge tone="green">On</Badge> : <Badge>Off</Badge>}
                </td>
                <td className={`${td} hidden whitespace-nowrap md:table-cell`}>
                  <LocalTime iso={member.joined_at} format="date" />
                </td>
                {actions ? (
                  <td className={`${td} text-right`}>
                    {manageable ? (
                      <div className="flex flex-col items-end gap-1 sm:flex-row sm:justify-end">
                        <Button size="sm" variant="ghost" onClick={() => setChanging(member)} aria-label={`Change role of ${email}`}>
                          Change role
                        </Button>
                        <Button
                          size="sm"
                          variant="ghost-danger"
                          onClick={() => setRemoving(member)}
                          aria-label={`Remove ${email}`}
                        >
                          Remove
                        </Button>
                      </div>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </Table>
        {moreMembers > 0 ? <p className="text-sm text-neutral-600 dark:text-neutral-400">And {moreMembers} more (the API lists them all).</p> : null}
      </section>

      {invitations !== null ? (
        <section aria-labelledby="invitations-heading" className="space-y-4">
          <h2 id="invitations-heading" className="text-base font-semibold">
            Invitations
          </h2>
          <InviteForm myRole={me.role} onInvited={(invitation) => announce(`Invited ${invitation.email} as ${ROLE_LABELS[invitation.role].toLowerCase()}. The link in their mail works for 7 days.`)} />
          {invitations.length > 0 ? (
            <Table
              caption={`Invitations to ${organization.name}, newest first`}
              columns={[
                { label: "Invited" },
                { label: "Invited by", className: "hidden md:table-cell" },
                { label: "Status" },
                ACTIONS_COLUMN,
              ]}
            >
              {invitations.map((invitation) => {
                const badge = INVITATION_BADGE[invitation.status];
                const by = invitation.invited_by?.email ?? "A former member";
                return (
                  <tr key={invitation.id} data-invitation={invitation.email}>
                    <td className={td}>
                      <div className="font-medium wrap-anywhere text-neutral-900 dark:text-neutral-100">{invitation.email}</div>
                      <div className="mt-0.5 text-xs text-neutral-500 dark:text-neutral-400">
                        As {ROLE_LABELS[invitation.role].toLowerCase()} · sent <LocalTime iso={invitation.created_at} format="date" />
                      </div>
                      <div className="mt-0.5 text-xs wrap-anywhere text-neutral-500 md:hidden dark:text-neutral-400">By {by}</div>
                    </td>
                    <td className={`${td} hidden wrap-anywhere md:table-cell`}>{by}</td>
                    <td className={td} data-testid="invitation-status">
                      <Badge tone={badge.tone}>{badge.label}</Badge>
                      {invitation.status === "accepted" && invitation.accepted_by?.email && invitation.accepted_by.email !== invitation.email ? (
                        <div className="mt-1 text-xs wrap-anywhere">by {invitation.accepted_by.email}</div>
                      ) : invitation.status === "pending" ? (
                        <div className="mt-1 text-xs whitespace-nowrap text-neutral-500 dark:text-neutral-400">
                          until <LocalTime iso={invitation.expires_at} format="date" />
                        </div>
                      ) : null}
                    </td>
                    <td className={`${td} text-right`}>
                      {invitation.status === "pending" ? (
                        <Button
                          size="sm"
                          variant="ghost-danger"
                          disabled={revoking === invitation.id}
                          onClick={() => void revoke(invitation)}
                          aria-label={`Revoke the invitation for ${invitation.email}`}
                        >
                          {revoking === invitation.id ? "Revoking…" : "Revoke"}
                        </Button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </Table>
          ) : (
            <p className="text-sm text-neutral-600 dark:text-neutral-400">No invitations yet.</p>
          )}
        </section>
      ) : null}

      {organization.personal ? null : (
        <LeaveOrganization organizationName={organization.name} lastOwner={me.role === "owner" && owners === 1 && moreMembers === 0} />
      )}

      <ChangeRoleDialog
        target={changing}
        myRole={me.role}
        onClose={() => setChanging(null)}
        onChanged={(member) => {
          setChanging(null);
          announce(`${member.user.email ?? "The member"} is now ${ROLE_LABELS[member.role].toLowerCase()}.`);
        }}
      />
      <RemoveMemberDialog
        target={removing}
        organizationName={organization.name}
        finalFocus={notices}
        onClose={() => setRemoving(null)}
        onRemoved={(member) => {
          setRemoving(null);
          announce(`Removed ${member.user.email ?? "the member"}. Their keys in ${organization.name} no longer work.`);
        }}
      />
    </div>
  );
}
