import type { Metadata } from "next";

import { safeNextPath } from "@/lib/safe-next-path";

import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Log in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // Sanitised on the server so the client form only ever receives a
  // same-site path to navigate to.
  const next = safeNextPath((await searchParams).next);

  return (
    <section className="mx-auto max-w-sm space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">
        Log in to Tuned Tensor
      </h1>
      <LoginForm next={next} />
    </section>
  );
}
