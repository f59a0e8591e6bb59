"use client";

import { SubmitButton } from "@/components/submit-button";
import { logOut } from "@/lib/account/sign-in-actions";
import { cx } from "@/lib/ui/cx";

/**
 * Ends this browser's session: a form posting to the logOut Server Action, which signs out
 * at Supabase Auth (scope "local": this browser only, as GitHub and Stripe do), clears the
 * session cookies and goes to /login. Works with JavaScript off.
 */
export function LogoutButton({ className, fullWidth = false }: { className?: string; fullWidth?: boolean }) {
  return (
    <form action={logOut} className={cx("space-y-2", className)}>
      <SubmitButton variant="secondary" label="Log out" pendingLabel="Logging out…" size="sm" className={fullWidth ? "w-full" : undefined} />
    </form>
  );
}
