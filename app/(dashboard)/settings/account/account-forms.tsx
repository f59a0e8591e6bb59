"use client";

import { useActionState } from "react";

import { SubmitButton } from "@/components/submit-button";
import { Alert } from "@/components/ui/alert";
import { FieldHint, Label, describedBy, inputClasses } from "@/components/ui/field";
import { changeEmail, changePassword, signOutEverywhere, signOutOthers } from "@/lib/account/account-actions";
import { IDLE, type FormState } from "@/lib/account/form-state";

function Outcome({ state, id }: { state: FormState; id: string }) {
  if (state.status === "idle") return null;
  return (
    <Alert tone={state.status === "error" ? "error" : "success"} live={state.status === "error" ? "assertive" : "polite"} id={id}>
      {state.message}
    </Alert>
  );
}

export function ChangePasswordForm() {
  const [state, action] = useActionState(changePassword, IDLE);
  const field = state.status === "error" ? state.field : undefined;
  const errorId = state.status === "error" ? "password-outcome" : undefined;
  return (
    <form action={action} className="max-w-sm space-y-4" aria-label="Change password">
      <div className="space-y-1.5">
        <Label htmlFor="current-password">Current password</Label>
        <input id="current-password" name="current" type="password" autoComplete="current-password" required aria-invalid={field === "current" || undefined} aria-describedby={describedBy(field === "current" && errorId)} className={inputClasses(field === "current")} />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="new-password">New password</Label>
        <input id="new-password" name="password" type="password" autoComplete="new-password" required aria-invalid={field === "password" || undefined} aria-describedby={describedBy("new-password-hint", field === "password" && errorId)} className={inputClasses(field === "password")} />
        <FieldHint id="new-password-hint">At least 6 characters. Every other session is signed out.</FieldHint>
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="confirm-password">Repeat the new password</Label>
        <input id="confirm-password" name="confirm" type="password" autoComplete="new-password" required aria-invalid={field === "confirm" || undefined} aria-describedby={describedBy(field === "confirm" && errorId)} className={inputClasses(field === "confirm")} />
      </div>
      <Outcome state={state} id="password-outcome" />
      <SubmitButton label="Change password" pendingLabel="Changing…" />
    </form>
  );
}

export function ChangeEmailForm({ current }: { current: string | null }) {
  const [state, action] = useActionState(changeEmail, IDLE);
  const invalid = state.status === "error" && state.field === "email";
  return (
    <form action={action} className="max-w-sm space-y-4" aria-label="Change email">
      <div className="space-y-1.5">
        <Label htmlFor="new-email">New email address</Label>
        <input id="new-email" name="email" type="email" autoComplete="email" required defaultValue={state.status !== "idle" ? state.email : undefined} placeholder={current ?? undefined} aria-invalid={invalid || undefined} aria-describedby={describedBy("new-email-hint", invalid && "email-outcome")} className={inputClasses(invalid)} />
        <FieldHint id="new-email-hint">We send a link to the new and the current address; the change takes effect once both are opened.</FieldHint>
      </div>
      <Outcome state={state} id="email-outcome" />
      <SubmitButton label="Change email" pendingLabel="Sending…" />
    </form>
  );
}

export function SignOutForms({ others }: { others: number }) {
  const [state, action] = useActionState(signOutOthers, IDLE);
  return (
    <div className="space-y-3">
      <Outcome state={state} id="sessions-outcome" />
      <div className="flex flex-wrap gap-3">
        {others > 0 ? (
          <form action={action}>
            <SubmitButton variant="secondary" label="Sign out everywhere else" pendingLabel="Signing out…" />
          </form>
        ) : null}
        <form action={signOutEverywhere}>
          <SubmitButton variant="danger" label="Sign out everywhere" pendingLabel="Signing out…" />
        </form>
      </div>
    </div>
  );
}
