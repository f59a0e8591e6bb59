"use client";

import { useState, type FormEvent, type RefObject } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { LocalTime } from "@/components/local-time";
import { Alert } from "@/components/ui/alert";
import { Dialog, DialogFormActions } from "@/components/ui/dialog";
import type { ApiKey, RolledApiKey } from "@/lib/contract";
import { GRACE_CHOICES } from "@/lib/ui/api-key-status";
import { callApi } from "@/lib/ui/api";
import { useCallFailure } from "@/lib/ui/use-call-failure";

import { NewKeyStep } from "./new-key-reveal";

/**
 * Roll “name”: how long the old key keeps working (now, 1 hour, 24 hours, 7 days), then the
 * new key, shown once as at creation, and when the old one stops. POST
 * /api/v1/api-keys/:id/roll; the new key lives only in this component's state.
 */
export function RollApiKeyDialog({
  target,
  onClose,
  onRolled,
  finalFocus,
}: {
  target: ApiKey | null;
  onClose: () => void;
  onRolled: (previous: ApiKey) => void;
  finalFocus: RefObject<HTMLElement | null>;
}) {
  const [grace, setGrace] = useState<number>(86_400);
  const [pending, setPending] = useState(false);
  const [rolled, setRolled] = useState<RolledApiKey | null>(null);
  const { failure, fail, clear } = useCallFailure();

  function close() {
    setRolled(null);
    setGrace(86_400);
    clear();
    setPending(false);
    onClose();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!target) return;
    setPending(true);
    clear();
    const result = await callApi("rollApiKey", { params: { id: target.id }, body: { grace_seconds: grace } });
    setPending(false);
    if (!result.ok) return fail(result);
    setRolled(result.data);
    onRolled(result.data.previous);
  }

  return (
    <Dialog
      open={target !== null}
      onClose={close}
      dismissible={!pending}
      finalFocus={finalFocus}
      size={rolled ? "lg" : "md"}
      title={rolled ? "Save your new API key" : target ? `Roll “${target.name}”?` : "Roll API key"}
    >
      {rolled ? (
        <NewKeyStep created={rolled} onDone={close}>
          <Alert tone="info">
            The old key <code className="font-mono text-xs">{rolled.previous.key_prefix}…</code>{" "}
            {rolled.previous.expires_at && grace > 0 ? (
              <>
                keeps working until <LocalTime iso={rolled.previous.expires_at} format="datetime" />. Replace it everywhere before then.
              </>
            ) : (
              "has stopped working."
            )}
          </Alert>
        </NewKeyStep>
      ) : target ? (
        <form onSubmit={submit} className="space-y-4 text-sm">
          <p className="text-neutral-700 dark:text-neutral-300">
            A new key with the same name and access replaces{" "}
            <code className="rounded bg-neutral-100 px-1.5 py-0.5 font-mono text-xs dark:bg-neutral-800">{target.key_prefix}…</code>. The old key
            keeps working for the time you choose, so you can swap it out without downtime.
          </p>
          <fieldset className="space-y-2">
            <legend className="font-medium text-neutral-900 dark:text-neutral-100">The old key stops working</legend>
            <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
              {GRACE_CHOICES.map((choice) => (
                <label
                  key={choice.seconds}
                  htmlFor={`roll-grace-${choice.seconds}`}
                  className="flex cursor-pointer items-center gap-2 rounded-md border border-neutral-200 p-2.5 has-[:checked]:border-neutral-900 dark:border-neutral-800 dark:has-[:checked]:border-neutral-300"
                >
                  <input
                    type="radio"
                    id={`roll-grace-${choice.seconds}`}
                    name="roll-grace"
                    checked={grace === choice.seconds}
                    onChange={() => setGrace(choice.seconds)}
                    {...(choice.seconds === 86_400 ? { "data-autofocus": true } : {})}
                  />
                  {choice.label}
                </label>
              ))}
            </div>
          </fieldset>
          <ApiErrorAlert error={failure} />
          <DialogFormActions onCancel={close} pending={pending} label="Roll key" pendingLabel="Rolling…" />
        </form>
      ) : null}
    </Dialog>
  );
}
