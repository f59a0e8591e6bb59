"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

import { createClient } from "@/lib/supabase/client";

// Supabase Auth's messages are terse and technical; say what happened and
// what to do about it instead.
function describeLoginError(error: { code?: string; status?: number }): string {
  switch (error.code) {
    case "invalid_credentials":
      return "Incorrect email or password. Check them and try again.";
    case "email_not_confirmed":
      return "Your email address isn't confirmed yet. Open the link in the confirmation email, then log in.";
    case "over_request_rate_limit":
      return "Too many attempts. Wait a minute, then try again.";
  }
  if (error.status === 0 || error.status === undefined) {
    return "Couldn't reach the sign-in service. Check your connection and try again.";
  }
  return "Logging in didn't work. Please try again.";
}

export function LoginForm({ next }: { next: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);

    try {
      const { error: authError } = await createClient().auth.signInWithPassword({
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
      });
      if (authError) {
        setError(describeLoginError(authError));
        setPending(false);
        return;
      }
    } catch {
      setError(describeLoginError({}));
      setPending(false);
      return;
    }

    // The session cookies are set now. replace() keeps /login out of the
    // back-button history; refresh() drops any Server Component output that
    // was rendered while signed out (e.g. a cached redirect to /login).
    router.replace(next);
    router.refresh();
  }

  return (
    <form onSubmit={handleSubmit} className="space-y-4">
      <div className="space-y-1">
        <label htmlFor="email" className="block text-sm font-medium">
          Email
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          className="block w-full rounded-md border border-neutral-300 bg-transparent px-3 py-2 text-sm focus:border-neutral-900 focus:outline-none dark:border-neutral-700 dark:focus:border-neutral-100"
        />
      </div>
      <div className="space-y-1">
        <label htmlFor="password" className="block text-sm font-medium">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="block w-full rounded-md border border-neutral-300 bg-transparent px-3 py-2 text-sm focus:border-neutral-900 focus:outline-none dark:border-neutral-700 dark:focus:border-neutral-100"
        />
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-neutral-900 px-4 py-2 text-sm font-medium text-white hover:bg-neutral-700 disabled:opacity-60 dark:bg-white dark:text-neutral-900 dark:hover:bg-neutral-200"
      >
        {pending ? "Logging in…" : "Log in"}
      </button>
    </form>
  );
}
