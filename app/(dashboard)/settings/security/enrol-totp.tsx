"use client";

import { useActionState, useEffect, useRef } from "react";

import { CopyButton } from "@/components/copy-button";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldError, FieldHint, Label, describedBy, inputClasses } from "@/components/ui/field";
import { enrolAction, type EnrolState } from "@/lib/account/two-factor-actions";

/** The secret in groups of four, easier to type into an app by hand. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, "$1 ");

/**
 * Setting up an authenticator app: a name, then the QR code and the same secret as text,
 * then the first code, which turns two-factor sign-in on. Server Actions throughout.
 */
export function EnrolTotp({ another }: { another: boolean }) {
  const [state, action, pending] = useActionState<EnrolState, FormData>(enrolAction, { step: "start", error: null });
  const codeInput = useRef<HTMLInputElement>(null);

  // The QR code replaces the first form: move focus to the code field under it.
  useEffect(() => {
    if (state.step === "verify") codeInput.current?.focus();
  }, [state]);

  if (state.step === "done") {
    return (
      <Alert tone="success" live="polite" title="Two-factor sign-in is on">
        From now on, logging in and creating API keys ask for a code from “{state.name}”.
      </Alert>
    );
  }

  if (state.step === "verify") {
    const { enrolment, error } = state;
    return (
      <div className="space-y-5 rounded-lg border border-neutral-200 p-5 dark:border-neutral-800">
        <h3 className="font-semibold">Set up “{enrolment.name}”</h3>
        <ol className="list-decimal space-y-4 pl-5 text-sm text-neutral-700 dark:text-neutral-300">
          <li className="space-y-3">
            <p>Scan this QR code with your authenticator app.</p>
            {/* eslint-disable-next-line @next/next/no-img-element -- a data URI: nothing for next/image to optimise */}
            <img src={enrolment.qrCode} alt="QR code for your authenticator app" width={180} height={180} className="rounded-md border border-neutral-200 bg-white p-2 dark:border-neutral-700" />
            <div className="space-y-1.5">
              <p id="totp-secret-label">Can&apos;t scan it? Enter this key in the app instead:</p>
              <div className="flex flex-wrap items-center gap-2">
                <code id="totp-secret" aria-labelledby="totp-secret-label" className="rounded bg-neutral-100 px-2 py-1 font-mono text-[0.8125rem] break-all text-neutral-900 dark:bg-neutral-800 dark:text-neutral-100">
                  {grouped(enrolment.secret)}
                </code>
                <CopyButton value={enrolment.secret} label="Copy key" size="sm" />
              </div>
            </div>
          </li>
          <li>
            <form action={action} noValidate className="space-y-3">
              <input type="hidden" name="intent" value="verify" />
              <input type="hidden" name="factorId" value={enrolment.factorId} />
              <div className="space-y-1.5">
                <Label htmlFor="enrol-code">Enter the 6-digit code the app shows</Label>
                <input
                  ref={codeInput}
                  id="enrol-code"
                  name="code"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  pattern="[0-9 ]*"
                  maxLength={8}
                  required
                  aria-invalid={error ? true : undefined}
                  aria-describedby={describedBy(error && "enrol-code-error")}
                  className={inputClasses(Boolean(error), "max-w-40 font-mono tracking-widest")}
                />
                <FieldError id="enrol-code-error">{error}</FieldError>
              </div>
              <Button type="submit" variant="primary" disabled={pending}>
                {pending ? "Checking…" : "Verify and turn on"}
              </Button>
            </form>
          </li>
        </ol>
      </div>
    );
  }

  return (
    <form action={action} className="space-y-3 rounded-lg border border-neutral-200 p-5 dark:border-neutral-800">
      <input type="hidden" name="intent" value="start" />
      <div className="space-y-1.5">
        <Label htmlFor="factor-name" optional>
          Name
        </Label>
        <input
          id="factor-name"
          name="name"
          maxLength={100}
          autoComplete="off"
          placeholder="e.g. Phone"
          aria-describedby="factor-name-hint"
          className={inputClasses(false, "max-w-sm")}
        />
        <FieldHint id="factor-name-hint">To tell your apps apart, if you set up more than one.</FieldHint>
      </div>
      {state.error ? (
        <Alert tone="error" live="assertive">
          {state.error}
        </Alert>
      ) : null}
      <Button type="submit" variant="primary" disabled={pending}>
        {pending ? "Starting…" : another ? "Add another authenticator app" : "Set up an authenticator app"}
      </Button>
    </form>
  );
}
