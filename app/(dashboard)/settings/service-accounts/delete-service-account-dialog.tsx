"use client";

import type { RefObject } from "react";

import { ConfirmDialog } from "@/components/confirm-dialog";
import type { ServiceAccount } from "@/lib/contract";
import { callApi } from "@/lib/ui/api";

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
  return (
    <ConfirmDialog
      target={target}
      title={target ? `Delete “${target.name}”?` : "Delete service account"}
      action="Delete service account"
      pendingAction="Deleting…"
      finalFocus={finalFocus}
      onClose={onClose}
      run={(account) => callApi("deleteServiceAccount", { params: { id: account.id } })}
      onDone={onDeleted}
    >
      {(account) => (
        <>
          Every API key of <strong className="font-medium text-neutral-900 dark:text-neutral-100">{account.name}</strong> stops working immediately:
          requests that use them are refused with <code className="font-mono text-xs">403 forbidden</code>. The keys stay listed, revoked. This
          can&apos;t be undone.
        </>
      )}
    </ConfirmDialog>
  );
}
