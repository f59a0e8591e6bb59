"use client";

import { useActionState } from "react";

import { Button } from "@/components/ui/button";
import { removeFactorAction, type RemoveState } from "@/lib/account/two-factor-actions";

/** Removes one authenticator app (a Server Action: works without JavaScript too). */
export function RemoveFactorButton({ factorId, name }: { factorId: string; name: string }) {
  const [state, action, pending] = useActionState<RemoveState, FormData>(removeFactorAction, { error: null });
  return (
    <form action={action} className="space-y-1.5 sm:text-right">
      <input type="hidden" name="factorId" value={factorId} />
      <Button type="submit" variant="danger" size="sm" disabled={pending} aria-label={`Remove ${name}`}>
        {pending ? "Removing…" : "Remove"}
      </Button>
      {state.error ? (
        <p role="alert" className="text-xs text-red-700 dark:text-red-400">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
