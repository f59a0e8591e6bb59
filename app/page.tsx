import Link from "next/link";

import { getCurrentUser, DASHBOARD_HOME } from "@/lib/auth/current-user";
import { Logo } from "@/components/logo";
import { buttonClasses } from "@/components/ui/button";

export default async function HomePage() {
  const user = await getCurrentUser();

  return (
    <div className="flex min-h-screen flex-col">
      <header className="border-b border-neutral-200 dark:border-neutral-800">
        <nav aria-label="Main" className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-6 py-4">
          <Link href="/" className="rounded-md focus-visible:outline-2 focus-visible:outline-offset-4">
            <Logo />
          </Link>
          <div className="flex items-center gap-2">
            {user ? (
              <Link href={DASHBOARD_HOME} className={buttonClasses({ variant: "primary", size: "sm" })}>
                Dashboard
              </Link>
            ) : (
              <>
                <Link href="/login" className={buttonClasses({ variant: "ghost", size: "sm" })}>
                  Log in
                </Link>
                <Link href="/signup" className={buttonClasses({ variant: "primary", size: "sm" })}>
                  Sign up
                </Link>
              </>
            )}
          </div>
        </nav>
      </header>
      <main className="mx-auto w-full max-w-5xl flex-1 px-6 py-16 sm:py-24">
        <section className="max-w-2xl space-y-6">
          <h1 className="text-4xl font-semibold tracking-tight text-balance sm:text-5xl">
            Describe the behaviour. Get a fine-tuned model.
          </h1>
          <p className="text-lg text-neutral-600 dark:text-neutral-400">
            Tuned Tensor turns a behaviour spec, a plain description of how a model should respond, into a small model
            fine-tuned to follow it. Manage specs and API keys in the dashboard, or drive everything from the{" "}
            <code className="rounded bg-neutral-100 px-1 py-0.5 text-base dark:bg-neutral-800">tt</code> CLI and the
            REST API.
          </p>
          <div className="flex flex-wrap gap-3">
            {user ? (
              <Link href={DASHBOARD_HOME} className={buttonClasses({ variant: "primary" })}>
                Go to the dashboard
              </Link>
            ) : (
              <>
                <Link href="/signup" className={buttonClasses({ variant: "primary" })}>
                  Create an account
                </Link>
                <Link href="/login" className={buttonClasses({ variant: "secondary" })}>
                  Log in
                </Link>
              </>
            )}
            {/* A plain <a>: the API reference (app/docs/api/route.ts) is a document of its
                own, not a page of the app, so client-side navigation (and Link's prefetch) does not apply. */}
            <a href="/docs/api" className={buttonClasses({ variant: "ghost" })}>
              API reference
            </a>
          </div>
        </section>
      </main>
    </div>
  );
}
