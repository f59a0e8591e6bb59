"use client";

import { useActionState } from "react";

import { SubmitButton } from "@/components/submit-button";
import { Alert } from "@/components/ui/alert";
import { FieldHint, Label, describedBy, inputClasses } from "@/components/ui/field";
import { IDLE } from "@/lib/account/form-state";
import { signUp } from "@/lib/account/sign-in-actions";

/** Posts to the signUp Server Action; works the same with JavaScript off. */
export function SignupForm({ next }: { next: string }) {
  const [state, action] = useActionState(signUp, IDLE);

  if (state.status === "done") {
    return (
      <Alert tone="success" live="polite" title="Check your inbox">
        If <strong className="font-medium">{state.email}</strong> can be used for a new account, we sent a link there. Open it to
        confirm your address; it signs you in. Already have an account? Log in, or reset your password.
      </Alert>
    );
  }

  const failure = state.status === "error" ? state : null;
  const emailInvalid = failure?.field === "email";
  const passwordInvalid = failure?.field === "password";
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="next" value={next} />
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
          aria-invalid={emailInvalid || undefined}
          aria-describedby={describedBy(emailInvalid && "signup-error")}
          className={inputClasses(emailInvalid)}
        />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="password">Password</Label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={passwordInvalid || undefined}
          aria-describedby={describedBy("password-hint", passwordInvalid && "signup-error")}
          className={inputClasses(passwordInvalid)}
        />
        <FieldHint id="password-hint">At least 6 characters. A long passphrase is best.</FieldHint>
      </div>
      {failure ? (
        <Alert tone="error" live="assertive" id="signup-error">
          {failure.message}
        </Alert>
      ) : null}
      <SubmitButton label="Create account" pendingLabel="Creating account…" className="w-full" />
    </form>
  );
}
