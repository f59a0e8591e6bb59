import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";

import { Alert } from "@/components/ui/alert";
import { getCurrentUser } from "@/lib/auth/current-user";

import { AuthCard, linkClasses } from "../auth-card";
import { afterAuthPath, withNext } from "@/lib/account/after-auth-path";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Log in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  // Sanitised on the server so the client form only ever receives a same-site path.
  const next = afterAuthPath(params.next);
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
      {params.signed_out === "everywhere" ? (
        <Alert tone="success" className="mb-4">
          You are signed out on every device.
        </Alert>
      ) : null}
      <LoginForm next={next} />
      <p className="mt-4 text-center text-sm">
        <Link href="/forgot-password" className={linkClasses}>
          Forgot your password?
        </Link>
      </p>
    </AuthCard>
  );
}
