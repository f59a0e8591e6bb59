"use client";

import { useState, type FormEvent, type RefObject } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { KeyCodePrompt, useKeyCodePrompt } from "@/components/key-code-prompt";
import { Dialog, DialogFormActions } from "@/components/ui/dialog";
import type { UsageLimits } from "@/lib/contract/usage-limits";
import type { ApiResult } from "@/lib/ui/api";
import { useCallFailure } from "@/lib/ui/use-call-failure";
import { draftOf, limitsOfDraft, type LimitsDraft, type LimitsErrors } from "@/lib/ui/usage-limits";

import { LimitsFields } from "./limits-fields";

/**
 * Change a rate limit and a quota (a service account's, the organization's default for
 * keys): the fields, then `save` with the limits (null: none at all). When the API asks for
 * the second factor (raising or removing a limit, for a user who has one), the code is asked
 * for here, verified, and the change sent again, keeping what was typed.
 */
export function LimitsDialog({
  open,
  id,
  title,
  description,
  initial,
  save,
  onSaved,
  onClose,
  finalFocus,
}: {
  open: boolean;
  /** Prefixes the inputs' ids. */
  id: string;
  title: string;
  description: string;
  initial: UsageLimits | null;
  save: (limits: UsageLimits | null) => Promise<ApiResult<unknown>>;
  onSaved: (limits: UsageLimits | null) => void;
  onClose: () => void;
  finalFocus?: RefObject<HTMLElement | null>;
}) {
  const [draft, setDraft] = useState<LimitsDraft | null>(null);
  const [errors, setErrors] = useState<LimitsErrors>({});
  const [pending, setPending] = useState(false);
  const { failure, fail, clear } = useCallFailure();
  const stepUp = useKeyCodePrompt();
  const current = draft ?? draftOf(initial);

  function close() {
    setDraft(null);
    setErrors({});
    clear();
    setPending(false);
    stepUp.reset();
    onClose();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    clear();
    const read = limitsOfDraft(current);
    if (!read.ok) {
      setErrors(read.errors);
      document.getElementById(read.errors.rate ? `${id}-rate` : read.errors.burst ? `${id}-burst` : `${id}-quota`)?.focus();
      return;
    }
    const limits = read.limits.rate || read.limits.quota ? read.limits : null;
    setErrors({});
    setPending(true);
    if (!(await stepUp.verify())) {
      setPending(false);
      return;
    }
    const result = await save(limits);
    setPending(false);
    if (!result.ok && result.secondFactor) {
      stepUp.ask();
      return;
    }
    if (!result.ok) return fail(result);
    setDraft(null);
    stepUp.reset();
    onSaved(limits);
  }

  return (
    <Dialog open={open} onClose={close} dismissible={!pending} finalFocus={finalFocus} title={title} description={description}>
      <form onSubmit={submit} noValidate className="space-y-5">
        <LimitsFields
          id={id}
          draft={current}
          onDraft={(next) => {
            setDraft(next);
            setErrors({});
          }}
          errors={errors}
          autoFocus
        />
        {stepUp.asking ? <KeyCodePrompt id={`${id}-2fa-code`} name="code" needs="raising or removing a limit" {...stepUp.field} /> : null}
        <ApiErrorAlert error={failure} />
        <DialogFormActions onCancel={close} pending={pending} label={stepUp.asking ? "Verify and save" : "Save limits"} pendingLabel="Saving…" />
      </form>
    </Dialog>
  );
}
