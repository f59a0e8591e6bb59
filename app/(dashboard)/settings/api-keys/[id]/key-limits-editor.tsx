"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { KeyCodePrompt, useKeyCodePrompt } from "@/components/key-code-prompt";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFormActions } from "@/components/ui/dialog";
import { LimitsFields } from "@/components/usage-limits/limits-fields";
import type { UsageLimits } from "@/lib/contract/usage-limits";
import { callApi } from "@/lib/ui/api";
import { useCallFailure } from "@/lib/ui/use-call-failure";
import { draftOf, limitsOfDraft, limitsText, type LimitsDraft, type LimitsErrors } from "@/lib/ui/usage-limits";

type Choice = "organization" | "own";

/**
 * Change a key's limits: its own, or the organization's default. PATCH
 * /api/v1/api-keys/:id. Lowering them needs nothing more; raising or removing them asks
 * for the second factor when the user has one (the API's step-up challenge: the code is
 * asked for here, verified, and the change sent again, keeping what was typed).
 */
export function KeyLimitsEditor({ keyId, keyName, own, organizationDefault }: { keyId: string; keyName: string; own: UsageLimits | null; organizationDefault: UsageLimits | null }) {
  const router = useRouter();
  const opener = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  const [choice, setChoice] = useState<Choice>(own ? "own" : "organization");
  const [draft, setDraft] = useState<LimitsDraft>(draftOf(own ?? organizationDefault));
  const [errors, setErrors] = useState<LimitsErrors>({});
  const [pending, setPending] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const { failure, fail, clear } = useCallFailure();
  const stepUp = useKeyCodePrompt();

  function close() {
    setOpen(false);
    setChoice(own ? "own" : "organization");
    setDraft(draftOf(own ?? organizationDefault));
    setErrors({});
    clear();
    setPending(false);
    stepUp.reset();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    clear();
    let limits: UsageLimits | null = null;
    if (choice === "own") {
      const read = limitsOfDraft(draft);
      if (!read.ok) {
        setErrors(read.errors);
        const first = read.errors.rate ? "key-limits-rate" : read.errors.burst ? "key-limits-burst" : "key-limits-quota";
        document.getElementById(first)?.focus();
        return;
      }
      limits = read.limits;
    }
    setErrors({});
    setPending(true);
    if (!(await stepUp.verify())) {
      setPending(false);
      return;
    }
    const result = await callApi("updateApiKey", { params: { id: keyId }, body: { limits } });
    setPending(false);
    if (!result.ok && result.secondFactor) {
      stepUp.ask();
      return;
    }
    if (!result.ok) return fail(result);
    setSaved(
      result.data.limits
        ? `Saved: ${limitsText(result.data.limits)}. In force on every server now.`
        : "Saved: the key follows the organization's default.",
    );
    close();
    router.refresh();
  }

  const radio =
    "flex cursor-pointer items-start gap-2 rounded-md border border-neutral-200 p-2.5 text-sm has-[:checked]:border-neutral-900 dark:border-neutral-800 dark:has-[:checked]:border-neutral-300";
  return (
    <>
      <div className="flex flex-wrap items-center gap-3">
        <Button ref={opener} onClick={() => {
            setSaved(null);
            setOpen(true);
          }}>
          Change limits
        </Button>
        <p role="status" className="text-sm text-neutral-600 dark:text-neutral-400">
          {saved}
        </p>
      </div>
      <Dialog
        open={open}
        onClose={close}
        dismissible={!pending}
        finalFocus={opener}
        title={`Limits of “${keyName}”`}
        description="Lowering a limit takes effect on every server when you save. Raising or removing one asks for your second factor if you have one."
      >
        <form onSubmit={submit} noValidate className="space-y-5">
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-neutral-900 dark:text-neutral-100">The key follows</legend>
            <div className="grid gap-2 sm:grid-cols-2">
              <label htmlFor="key-limits-source-organization" className={radio}>
                <input
                  type="radio"
                  id="key-limits-source-organization"
                  name="key-limits-source"
                  checked={choice === "organization"}
                  onChange={() => setChoice("organization")}
                  className="mt-0.5"
                  {...(choice === "organization" ? { "data-autofocus": true } : {})}
                />
                <span>
                  <span className="block font-medium">The organization&apos;s default</span>
                  <span className="block text-xs text-neutral-500 dark:text-neutral-400">{limitsText(organizationDefault)}</span>
                </span>
              </label>
              <label htmlFor="key-limits-source-own" className={radio}>
                <input
                  type="radio"
                  id="key-limits-source-own"
                  name="key-limits-source"
                  checked={choice === "own"}
                  onChange={() => setChoice("own")}
                  className="mt-0.5"
                  {...(choice === "own" ? { "data-autofocus": true } : {})}
                />
                <span>
                  <span className="block font-medium">Its own limits</span>
                  <span className="block text-xs text-neutral-500 dark:text-neutral-400">Set below</span>
                </span>
              </label>
            </div>
          </fieldset>
          {choice === "own" ? (
            <LimitsFields
              id="key-limits"
              draft={draft}
              onDraft={(next) => {
                setDraft(next);
                setErrors({});
              }}
              errors={errors}
              legend="Its own limits"
            />
          ) : null}
          {stepUp.asking ? <KeyCodePrompt id="key-limits-2fa-code" name="code" needs="raising or removing a limit" {...stepUp.field} /> : null}
          <ApiErrorAlert error={failure} />
          <DialogFormActions onCancel={close} pending={pending} label={stepUp.asking ? "Verify and save" : "Save limits"} pendingLabel="Saving…" />
        </form>
      </Dialog>
    </>
  );
}
