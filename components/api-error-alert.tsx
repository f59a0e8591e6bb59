"use client";

import { usePathname } from "next/navigation";

import { Alert } from "@/components/ui/alert";
import { loginPathFor } from "@/lib/ui/api";

/**
 * A failed API call, in words, announced at once; when the session has ended, a link
 * through the login page back to where the user was.
 */
export function ApiErrorAlert({ error }: { error: { message: string; login?: boolean } | null | undefined }) {
  const pathname = usePathname();
  if (!error) return null;
  return (
    <Alert tone="error" live="assertive">
      {error.message}{" "}
      {error.login ? (
        <a href={loginPathFor(pathname)} className="font-medium underline underline-offset-4">
          Log in again
        </a>
      ) : null}
    </Alert>
  );
}
