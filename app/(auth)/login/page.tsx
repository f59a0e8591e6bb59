import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";

import { getCurrentUser } from "@/lib/auth/current-user";

import { AuthCard, linkClasses } from "../auth-card";
import { afterAuthPath, withNext } from "../next-path";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Log in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // Sanitised on the server so the client form only ever receives a same-site path.
  const next = afterAuthPath((await searchParams).next);
  // Already signed in: nothing to do here.
  if (await getCurrentUser()) redirect(next);

  const signupHref = withNext("/signup", next);
  return (
    <AuthCard
      title="Log in to Tuned Tensor"
      subtitle="Welcome back. Use the email and password you signed up with."
      footer={
        <>
          New to Tuned Tensor?{" "}
          <Link href={signupHref} className={linkClasses}>
            Create an account
          </Link>
        </>
      }
    >
      <LoginForm next={next} />
    </AuthCard>
  );
}
