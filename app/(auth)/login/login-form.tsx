"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Label, inputClasses } from "@/components/ui/field";
import { createClient } from "@/lib/supabase/client";
import { describeLoginError } from "@/lib/ui/auth-errors";

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
        email: String(form.get("email") ?? "").trim(),
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
    <form onSubmit={handleSubmit} className="space-y-4" aria-describedby={error ? "login-error" : undefined}>
      <div className="space-y-1.5">
        <Label htmlFor="email">Email</Label>
        <input id="email" name="email" type="email" autoComplete="email" required autoFocus className={inputClasses(Boolean(error))} />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="password">Password</Label>
        <input id="password" name="password" type="password" autoComplete="current-password" required className={inputClasses(Boolean(error))} />
      </div>
      {error ? (
        <Alert tone="error" live="assertive" id="login-error">
          {error}
        </Alert>
      ) : null}
      <Button type="submit" variant="primary" disabled={pending} className="w-full">
        {pending ? "Logging in…" : "Log in"}
      </Button>
    </form>
  );
}
