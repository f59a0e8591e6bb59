"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { callApi } from "@/lib/ui/api";
import { plural } from "@/lib/ui/format";
import { useCallFailure } from "@/lib/ui/use-call-failure";

/** Delete, after a confirmation naming the spec: DELETE /api/v1/behavior-specs/:id. */
export function DeleteSpecButton({ id, name, examples }: { id: string; name: string; examples: number }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const { failure, fail, clear } = useCallFailure();

  function close() {
    setOpen(false);
    clear();
  }

  async function remove() {
    setPending(true);
    clear();
    const result = await callApi("deleteBehaviorSpec", { params: { id } });
    // Gone either way: deleted now, or already deleted elsewhere.
    if (result.ok || result.status === 404) {
      router.replace("/specs");
      router.refresh();
      return;
    }
    setPending(false);
    fail(result);
  }

  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)} className="text-red-700 dark:text-red-400">
        <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 fill-current">
          <path d="M6.5 1.75a.25.25 0 0 1 .25-.25h2.5a.25.25 0 0 1 .25.25V3h-3V1.75ZM11 3V1.75A1.75 1.75 0 0 0 9.25 0h-2.5A1.75 1.75 0 0 0 5 1.75V3H2.75a.75.75 0 0 0 0 1.5h.59l.83 9.45A1.75 1.75 0 0 0 5.92 15.5h4.16a1.75 1.75 0 0 0 1.75-1.55l.83-9.45h.59a.75.75 0 0 0 0-1.5H11Zm-5.93 1.5h5.86l-.82 9.32a.25.25 0 0 1-.25.18H5.92a.25.25 0 0 1-.25-.18L4.85 4.5h.22Z" />
        </svg>
        Delete
      </Button>
      <Dialog open={open} onClose={close} dismissible={!pending} title={`Delete “${name}”?`}>
        <div className="space-y-4 text-sm">
          <p className="text-neutral-700 dark:text-neutral-300">
            This permanently deletes the behaviour spec{" "}
            <strong className="font-medium text-neutral-900 dark:text-neutral-100">{name}</strong> and its{" "}
            {plural(examples, "example")}. This can&apos;t be undone.
          </p>
          <ApiErrorAlert error={failure} />
          <DialogActions>
            <Button variant="secondary" onClick={close} disabled={pending} data-autofocus>
              Cancel
            </Button>
            <Button variant="danger" onClick={remove} disabled={pending}>
              {pending ? "Deleting…" : "Delete spec"}
            </Button>
          </DialogActions>
        </div>
      </Dialog>
    </>
  );
}
