"use client";

import { useState } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { switchOrganization } from "@/lib/account/switch-organization";
import { callApi } from "@/lib/ui/api";
import { useCallFailure } from "@/lib/ui/use-call-failure";

/**
 * Leave the organization (DELETE /api/v1/organization/membership), then back to the personal
 * workspace. The last owner is told why they cannot, instead of a button (the API refuses
 * it with a 409 too, which is shown if the owners changed meanwhile).
 */
export function LeaveOrganization({ organizationName, lastOwner }: { organizationName: string; lastOwner: boolean }) {
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const { failure, fail, clear } = useCallFailure();

  async function leave() {
    clear();
    setPending(true);
    const result = await callApi("leaveOrganization");
    if (!result.ok) {
      setPending(false);
      return fail(result);
    }
    await switchOrganization("", "/specs");
  }

  return (
    <section aria-labelledby="leave-heading" className="space-y-3">
      <h2 id="leave-heading" className="text-base font-semibold">
        Leave {organizationName}
      </h2>
      {lastOwner ? (
        <div data-testid="last-owner">
          <Alert tone="info">
            You are the only owner of {organizationName}, so you can&apos;t leave it: an organization always keeps an owner. Make another member
            an owner first, or delete the organization in Settings → Organization.
          </Alert>
        </div>
      ) : (
        <>
          <p className="text-sm text-neutral-600 dark:text-neutral-400">
            You lose access to its specs and keys; your API keys in it are revoked. Someone has to invite you again to come back.
          </p>
          <Button variant="secondary" onClick={() => setOpen(true)}>
            Leave organization
          </Button>
        </>
      )}
      <Dialog
        open={open}
        onClose={() => {
          clear();
          setOpen(false);
        }}
        dismissible={!pending}
        title={`Leave ${organizationName}?`}
      >
        <div className="space-y-4 text-sm">
          <p className="text-neutral-700 dark:text-neutral-300">
            Your API keys in {organizationName} stop working at once, and you go back to your personal workspace.
          </p>
          <ApiErrorAlert error={failure} />
          <DialogActions>
            <Button variant="secondary" onClick={() => setOpen(false)} disabled={pending} data-autofocus>
              Cancel
            </Button>
            <Button variant="danger" onClick={() => void leave()} disabled={pending}>
              {pending ? "Leaving…" : "Leave organization"}
            </Button>
          </DialogActions>
        </div>
      </Dialog>
    </section>
  );
}
