"use client";

import { useActionState } from "react";

import { SubmitButton } from "@/components/submit-button";
import { Alert } from "@/components/ui/alert";
import { Label, inputClasses } from "@/components/ui/field";
import { IDLE } from "@/lib/account/form-state";
import { logIn } from "@/lib/account/sign-in-actions";

/** Posts to the logIn Server Action; works the same with JavaScript off. */
export function LoginForm({ next }: { next: string }) {
  const [state, action] = useActionState(logIn, IDLE);
  const error = state.status === "error" ? state.message : null;

  return (
    <form action={action} className="space-y-4" aria-describedby={error ? "login-error" : undefined}>
      <input type="hidden" name="next" value={next} />
      <div className="space-y-1.5">
        <Label htmlFor="email">Email</Label>
        <input id="email" name="email" type="email" autoComplete="email" required autoFocus defaultValue={state.status === "error" ? state.email : undefined} className={inputClasses(Boolean(error))} />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="password">Password</Label>
        <input id="password" name="password" type="password" autoComplete="current-password" required className={inputClasses(Boolean(error))} />
      </div>
      {error ? (
        <Alert tone="error" live="assertive" id="login-error">
          {error}
        </Alert>
      ) : null}
      <SubmitButton label="Log in" pendingLabel="Logging in…" className="w-full" />
    </form>
  );
}
