"use client";

import type { RefObject } from "react";

import { ConfirmDialog } from "@/components/confirm-dialog";
import type { Member } from "@/lib/contract";
import { callApi } from "@/lib/ui/api";

/** "Remove …?" — DELETE /api/v1/organization/members/:user_id after a confirmation. */
export function RemoveMemberDialog({
  target,
  organizationName,
  finalFocus,
  onClose,
  onRemoved,
}: {
  target: Member | null;
  organizationName: string;
  finalFocus: RefObject<HTMLElement | null>;
  onClose: () => void;
  onRemoved: (member: Member) => void;
}) {
  const email = (member: Member | null) => member?.user.email ?? "this member";
  return (
    <ConfirmDialog
      target={target}
      title={`Remove ${email(target)}?`}
      action="Remove member"
      pendingAction="Removing…"
      finalFocus={finalFocus}
      onClose={onClose}
      run={(member) => callApi("removeMember", { params: { user_id: member.user.id } })}
      onDone={onRemoved}
    >
      {(member) => (
        <>
          <strong className="font-medium text-neutral-900 dark:text-neutral-100">{email(member)}</strong> loses access to {organizationName}, and
          every API key they hold in it is revoked: requests that use them are refused from the moment this finishes. Their specs stay with the
          organization. Invite them again to bring them back.
        </>
      )}
    </ConfirmDialog>
  );
}
