"use client";

import { useState, type RefObject } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import type { ApiKey } from "@/lib/contract";
import { callApi } from "@/lib/ui/api";
import { useCallFailure } from "@/lib/ui/use-call-failure";

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
  const [pending, setPending] = useState(false);
  const { failure, fail, clear } = useCallFailure();

  function close() {
    clear();
    setPending(false);
    onClose();
  }

  async function revoke() {
    if (!target) return;
    setPending(true);
    clear();
    const result = await callApi("revokeApiKey", { params: { id: target.id } });
    setPending(false);
    if (result.ok) {
      onRevoked(result.data);
      return;
    }
    fail(result);
  }

  return (
    <Dialog
      open={target !== null}
      onClose={close}
      dismissible={!pending}
      finalFocus={finalFocus}
      title={target ? `Revoke “${target.name}”?` : "Revoke API key"}
    >
      {target ? (
        <div className="space-y-4 text-sm">
          <p className="text-neutral-700 dark:text-neutral-300">
            The key <strong className="font-medium text-neutral-900 dark:text-neutral-100">{target.name}</strong>{" "}
            <code className="rounded bg-neutral-100 px-1.5 py-0.5 font-mono text-xs dark:bg-neutral-800">{target.key_prefix}…</code>{" "}
            stops working immediately: every request that uses it will be refused with{" "}
            <code className="font-mono text-xs">403 forbidden</code>. This can&apos;t be undone.
          </p>
          <ApiErrorAlert error={failure} />
          <DialogActions>
            <Button variant="secondary" onClick={() => close()} disabled={pending} data-autofocus>
              Cancel
            </Button>
            <Button variant="danger" onClick={revoke} disabled={pending}>
              {pending ? "Revoking…" : "Revoke key"}
            </Button>
          </DialogActions>
        </div>
      ) : null}
    </Dialog>
  );
}
