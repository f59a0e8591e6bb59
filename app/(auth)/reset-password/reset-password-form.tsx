"use client";

import { useActionState } from "react";

import { SubmitButton } from "@/components/submit-button";
import { Alert } from "@/components/ui/alert";
import { FieldHint, Label, describedBy, inputClasses } from "@/components/ui/field";
import { IDLE } from "@/lib/account/form-state";
import { setNewPassword } from "@/lib/account/password-reset-actions";

export function ResetPasswordForm() {
  const [state, action] = useActionState(setNewPassword, IDLE);
  const failure = state.status === "error" ? state : null;
  return (
    <form action={action} className="space-y-4">
      <div className="space-y-1.5">
        <Label htmlFor="password">New password</Label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          autoFocus
          aria-invalid={failure?.field === "password" || undefined}
          aria-describedby={describedBy("password-hint", failure && "reset-error")}
          className={inputClasses(failure?.field === "password")}
        />
        <FieldHint id="password-hint">At least 6 characters. A long passphrase is best.</FieldHint>
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="confirm">Repeat the new password</Label>
        <input
          id="confirm"
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={failure?.field === "confirm" || undefined}
          aria-describedby={describedBy(failure && "reset-error")}
          className={inputClasses(failure?.field === "confirm")}
        />
      </div>
      {failure ? (
        <Alert tone="error" live="assertive" id="reset-error">
          {failure.message}
        </Alert>
      ) : null}
      <SubmitButton label="Set new password" pendingLabel="Saving…" className="w-full" />
    </form>
  );
}
