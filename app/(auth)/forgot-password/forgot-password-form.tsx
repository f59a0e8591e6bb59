"use client";

import { useActionState } from "react";

import { SubmitButton } from "@/components/submit-button";
import { Alert } from "@/components/ui/alert";
import { Label, describedBy, inputClasses } from "@/components/ui/field";
import { IDLE } from "@/lib/account/form-state";
import { requestPasswordReset } from "@/lib/account/password-reset-actions";

export function ForgotPasswordForm() {
  const [state, action] = useActionState(requestPasswordReset, IDLE);
  if (state.status === "done") {
    return (
      <Alert tone="success" live="polite" title="Check your inbox">
        {state.message}
      </Alert>
    );
  }
  const failure = state.status === "error" ? state : null;
  return (
    <form action={action} className="space-y-4">
      <div className="space-y-1.5">
        <Label htmlFor="email">Email</Label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          autoFocus
          defaultValue={failure?.email}
          aria-invalid={failure?.field === "email" || undefined}
          aria-describedby={describedBy(failure && "forgot-error")}
          className={inputClasses(Boolean(failure))}
        />
      </div>
      {failure ? (
        <Alert tone="error" live="assertive" id="forgot-error">
          {failure.message}
        </Alert>
      ) : null}
      <SubmitButton label="Send reset link" pendingLabel="Sending…" className="w-full" />
    </form>
  );
}
