"use client";

import { useState, type RefObject } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import type { ServiceAccount } from "@/lib/contract";
import { callApi } from "@/lib/ui/api";
import { useCallFailure } from "@/lib/ui/use-call-failure";

/** "Delete …?" — DELETE /api/v1/organization/service-accounts/:id; its keys stop working when it answers. */
export function DeleteServiceAccountDialog({
  target,
  finalFocus,
  onClose,
  onDeleted,
}: {
  target: ServiceAccount | null;
  finalFocus: RefObject<HTMLElement | null>;
  onClose: () => void;
  onDeleted: (account: ServiceAccount) => void;
}) {
  const [pending, setPending] = useState(false);
  const { failure, fail, clear } = useCallFailure();

  function close() {
    clear();
    setPending(false);
    onClose();
  }

  async function remove() {
    if (!target) return;
    clear();
    setPending(true);
    const result = await callApi("deleteServiceAccount", { params: { id: target.id } });
    setPending(false);
    if (!result.ok) return fail(result);
    onDeleted(result.data);
  }

  return (
    <Dialog open={target !== null} onClose={close} dismissible={!pending} finalFocus={finalFocus} title={target ? `Delete “${target.name}”?` : "Delete service account"}>
      {target ? (
        <div className="space-y-4 text-sm">
          <p className="text-neutral-700 dark:text-neutral-300">
            Every API key of <strong className="font-medium text-neutral-900 dark:text-neutral-100">{target.name}</strong> stops working immediately:
            requests that use them are refused with <code className="font-mono text-xs">403 forbidden</code>. The keys stay listed, revoked. This
            can&apos;t be undone.
          </p>
          <ApiErrorAlert error={failure} />
          <DialogActions>
            <Button variant="secondary" onClick={() => close()} disabled={pending} data-autofocus>
              Cancel
            </Button>
            <Button variant="danger" onClick={() => void remove()} disabled={pending}>
              {pending ? "Deleting…" : "Delete service account"}
            </Button>
          </DialogActions>
        </div>
      ) : null}
    </Dialog>
  );
}
