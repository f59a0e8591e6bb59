import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";

import { getCurrentUser } from "@/lib/auth/current-user";

import { AuthCard, linkClasses } from "../auth-card";
import { afterAuthPath, withNext } from "@/lib/account/after-auth-path";
import { SignupForm } from "./signup-form";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = afterAuthPath((await searchParams).next);
  if (await getCurrentUser()) redirect(next);

  const loginHref = withNext("/login", next);
  return (
    <AuthCard
      title="Create your account"
      subtitle="Write behaviour specs, create API keys, and use the tt CLI."
      footer={
        <>
          Already have an account?{" "}
          <Link href={loginHref} className={linkClasses}>
            Log in
          </Link>
        </>
      }
    >
      <SignupForm next={next} />
    </AuthCard>
  );
}
