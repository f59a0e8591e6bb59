import type { Metadata } from "next";
import Link from "next/link";

import { AuthCard, linkClasses } from "../../auth-card";

export const metadata: Metadata = { title: "This link doesn't work" };

// Where /auth/confirm/accept sends a link it could not exchange: used, expired, or never valid
// (Supabase Auth does not say which, and neither can we), with the way to a new one.
export default async function LinkErrorPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { reason, type } = await searchParams;
  if (reason === "other-address") {
    return (
      <AuthCard title="One more link to open" subtitle="This address is confirmed. Open the link we sent to your other address to finish changing your email.">
        <p className="text-sm">
          <Link href="/settings/account" className={linkClasses}>
            Back to your account
          </Link>
        </p>
      </AuthCard>
    );
  }
  const again =
    type === "recovery"
      ? { href: "/forgot-password", label: "Send a new reset link" }
      : type === "email_change"
        ? { href: "/settings/account", label: "Change your email again" }
        : { href: "/signup", label: "Sign up again for a new confirmation link" };
  return (
    <AuthCard
      title="This link doesn't work"
      subtitle={
        reason === "busy"
          ? "Too many links were opened from here just now. Wait a minute, then open it again."
          : "It has expired or has already been used. Each link works once, for an hour."
      }
    >
      <p className="space-x-4 text-sm">
        <Link href={again.href} className={linkClasses}>
          {again.label}
        </Link>
        <Link href="/login" className={linkClasses}>
          Log in
        </Link>
      </p>
    </AuthCard>
  );
}
