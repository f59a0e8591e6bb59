"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

import { Button } from "@/components/ui/button";
import { createClient } from "@/lib/supabase/client";
import { describeLoginError } from "@/lib/ui/auth-errors";
import { cx } from "@/lib/ui/cx";

/**
 * Ends this browser's session: supabase.auth.signOut() revokes it at the auth server
 * and clears the session cookies, then we go to /login. Scope "local" signs out this
 * browser only (as GitHub and Stripe do), not every device the person uses.
 */
export function LogoutButton({ className, fullWidth = false }: { className?: string; fullWidth?: boolean }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function logOut() {
    setPending(true);
    setError(null);
    try {
      const { error: authError } = await createClient().auth.signOut({ scope: "local" });
      if (authError) throw authError;
    } catch (e) {
      const message = describeLoginError(typeof e === "object" && e !== null ? (e as { status?: number }) : {});
      setError(message.startsWith("Couldn't reach") ? "Couldn't reach the sign-in service to log you out. Try again." : "Logging out didn't work. Try again.");
      setPending(false);
      return;
    }
    // The cookies are gone; replace() keeps the dashboard out of the back stack and
    // refresh() drops Server Component output rendered for the signed-in user.
    router.replace("/login");
    router.refresh();
  }

  return (
    <div className={cx("space-y-2", className)}>
      <Button variant="secondary" size="sm" onClick={logOut} disabled={pending} className={fullWidth ? "w-full" : undefined}>
        <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 fill-current">
          <path d="M2 2.75C2 1.78 2.78 1 3.75 1h4.5a.75.75 0 0 1 0 1.5h-4.5a.25.25 0 0 0-.25.25v10.5c0 .14.11.25.25.25h4.5a.75.75 0 0 1 0 1.5h-4.5A1.75 1.75 0 0 1 2 13.25V2.75Zm8.72 2.47a.75.75 0 0 1 1.06 0l2.25 2.25a.75.75 0 0 1 0 1.06l-2.25 2.25a.75.75 0 1 1-1.06-1.06l.97-.97H6.75a.75.75 0 0 1 0-1.5h4.94l-.97-.97a.75.75 0 0 1 0-1.06Z" />
        </svg>
        {pending ? "Logging out…" : "Log out"}
      </Button>
      {error ? (
        <p role="alert" className="text-xs text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}
