import type { Metadata } from "next";
import { redirect } from "next/navigation";

import { getCurrentSession } from "@/lib/auth/current-user";
import { owesSecondFactor } from "@/lib/auth/second-factor";
import { db } from "@/lib/db";

import { AuthCard } from "../../auth-card";
import { afterAuthPath } from "@/lib/account/after-auth-path";
import { TwoFactorForm } from "./two-factor-form";

export const metadata: Metadata = { title: "Two-factor sign-in" };

// After the password, for a user with an authenticator app: the code, then on to `next`.
export default async function TwoFactorPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = afterAuthPath((await searchParams).next);
  const session = await getCurrentSession();
  if (!session) redirect(`/login?next=${encodeURIComponent(next)}`);
  // Already at aal2, or nothing to ask for.
  if (!(await owesSecondFactor(db, session))) redirect(next);

  return (
    <AuthCard title="Two-factor sign-in" subtitle="Enter the 6-digit code from your authenticator app.">
      <TwoFactorForm next={next} />
    </AuthCard>
  );
}
