"use client";

import { useState, type RefObject } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import type { Member } from "@/lib/contract";
import { callApi } from "@/lib/ui/api";
import { useCallFailure } from "@/lib/ui/use-call-failure";

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
  const [pending, setPending] = useState(false);
  const { failure, fail, clear } = useCallFailure();
  const email = target?.user.email ?? "this member";

  function close() {
    clear();
    setPending(false);
    onClose();
  }

  async function remove() {
    if (!target) return;
    clear();
    setPending(true);
    const result = await callApi("removeMember", { params: { user_id: target.user.id } });
    setPending(false);
    if (!result.ok) return fail(result);
    onRemoved(result.data);
  }

  return (
    <Dialog open={target !== null} onClose={close} dismissible={!pending} finalFocus={finalFocus} title={`Remove ${email}?`}>
      {target ? (
        <div className="space-y-4 text-sm">
          <p className="text-neutral-700 dark:text-neutral-300">
            <strong className="font-medium text-neutral-900 dark:text-neutral-100">{email}</strong> loses access to {organizationName}, and every
            API key they hold in it is revoked: requests that use them are refused from the moment this finishes. Their specs stay with the
            organization. Invite them again to bring them back.
          </p>
          <ApiErrorAlert error={failure} />
          <DialogActions>
            <Button variant="secondary" onClick={() => close()} disabled={pending} data-autofocus>
              Cancel
            </Button>
            <Button variant="danger" onClick={() => void remove()} disabled={pending}>
              {pending ? "Removing…" : "Remove member"}
            </Button>
          </DialogActions>
        </div>
      ) : null}
    </Dialog>
  );
}
