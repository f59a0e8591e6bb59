import type { Metadata } from "next";
import Link from "next/link";

import { Alert } from "@/components/ui/alert";
import { getCurrentUser } from "@/lib/auth/current-user";

import { AuthCard, linkClasses } from "../auth-card";
import { ResetPasswordForm } from "./reset-password-form";

export const metadata: Metadata = { title: "Choose a new password" };

// Reached from the link in a reset mail: /auth/confirm has signed the browser in.
export default async function ResetPasswordPage() {
  const user = await getCurrentUser();
  return (
    <AuthCard
      title="Choose a new password"
      subtitle={user?.email ? <>For {user.email}. Every other session of this account will be signed out.</> : undefined}
    >
      {user ? (
        <ResetPasswordForm />
      ) : (
        <Alert tone="warning" title="Open the link from the email">
          This page works from the link in a password reset email.{" "}
          <Link href="/forgot-password" className={linkClasses}>
            Send a new link
          </Link>
        </Alert>
      )}
    </AuthCard>
  );
}
