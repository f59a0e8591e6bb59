"use client";

import type { RefObject } from "react";

import { ConfirmDialog } from "@/components/confirm-dialog";
import type { ApiKey } from "@/lib/contract";
import { callApi } from "@/lib/ui/api";

/** "Revoke “name” (tt_abcd1234…)?" — DELETE /api/v1/api-keys/:id after a confirmation. */
export function RevokeApiKeyDialog({
  target,
  onClose,
  onRevoked,
  finalFocus,
}: {
  target: ApiKey | null;
  onClose: () => void;
  onRevoked: (key: ApiKey) => void;
  finalFocus: RefObject<HTMLElement | null>;
}) {
  return (
    <ConfirmDialog
      target={target}
      title={target ? `Revoke “${target.name}”?` : "Revoke API key"}
      action="Revoke key"
      pendingAction="Revoking…"
      finalFocus={finalFocus}
      onClose={onClose}
      run={(key) => callApi("revokeApiKey", { params: { id: key.id } })}
      onDone={onRevoked}
    >
      {(key) => (
        <>
          The key <strong className="font-medium text-neutral-900 dark:text-neutral-100">{key.name}</strong>{" "}
          <code className="rounded bg-neutral-100 px-1.5 py-0.5 font-mono text-xs dark:bg-neutral-800">{key.key_prefix}…</code>{" "}
          stops working immediately: every request that uses it will be refused with{" "}
          <code className="font-mono text-xs">403 forbidden</code>. This can&apos;t be undone.
        </>
      )}
    </ConfirmDialog>
  );
}
