"use client";

import { useActionState } from "react";

import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { Label, describedBy, inputClasses } from "@/components/ui/field";
import { loginCodeAction, signOutAction, type CodeState } from "@/lib/account/two-factor-actions";

/** The code after the password (a Server Action: works without JavaScript), or log out instead. */
export function TwoFactorForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState<CodeState, FormData>(loginCodeAction, { error: null });
  return (
    <div className="space-y-4">
      <form action={action} noValidate className="space-y-4">
        <input type="hidden" name="next" value={next} />
        <div className="space-y-1.5">
          <Label htmlFor="code">Code</Label>
          <input
            id="code"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]*"
            maxLength={8}
            required
            autoFocus
            aria-invalid={state.error ? true : undefined}
            aria-describedby={describedBy(state.error && "code-error")}
            className={inputClasses(Boolean(state.error), "font-mono tracking-widest")}
          />
        </div>
        {state.error ? (
          <Alert tone="error" live="assertive" id="code-error">
            {state.error}
          </Alert>
        ) : null}
        <Button type="submit" variant="primary" disabled={pending} className="w-full">
          {pending ? "Checking…" : "Continue"}
        </Button>
      </form>
      <form action={signOutAction}>
        <Button type="submit" variant="ghost" size="sm" className="w-full">
          Log out instead
        </Button>
      </form>
    </div>
  );
}
