"use client";

import { useState, type ReactNode, type RefObject } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import type { ApiResult } from "@/lib/ui/api";
import { useCallFailure } from "@/lib/ui/use-call-failure";

/**
 * “Remove …?”, “Delete …?”, “Revoke …?”: a dialog open while `target` is set, saying what
 * the action does (`children`), with Cancel (focused first: the safe choice) and the danger
 * button that `run`s the call. A failure is shown in place; a success goes to `onDone`.
 */
export function ConfirmDialog<T, R>({
  target,
  title,
  action,
  pendingAction,
  finalFocus,
  onClose,
  run,
  onDone,
  children,
}: {
  target: T | null;
  title: string;
  /** The danger button's words, and its words while the call runs. */
  action: string;
  pendingAction: string;
  finalFocus: RefObject<HTMLElement | null>;
  onClose: () => void;
  run: (target: T) => Promise<ApiResult<R>>;
  onDone: (data: R) => void;
  children: (target: T) => ReactNode;
}) {
  const [pending, setPending] = useState(false);
  const { failure, fail, clear } = useCallFailure();

  function close() {
    clear();
    setPending(false);
    onClose();
  }

  async function confirm() {
    if (target === null) return;
    clear();
    setPending(true);
    const result = await run(target);
    setPending(false);
    if (!result.ok) return fail(result);
    onDone(result.data);
  }

  return (
    <Dialog open={target !== null} onClose={close} dismissible={!pending} finalFocus={finalFocus} title={title}>
      {target !== null ? (
        <div className="space-y-4 text-sm">
          <p className="text-neutral-700 dark:text-neutral-300">{children(target)}</p>
          <ApiErrorAlert error={failure} />
          <DialogActions>
            <Button variant="secondary" onClick={() => close()} disabled={pending} data-autofocus>
              Cancel
            </Button>
            <Button variant="danger" onClick={() => void confirm()} disabled={pending}>
              {pending ? pendingAction : action}
            </Button>
          </DialogActions>
        </div>
      ) : null}
    </Dialog>
  );
}
