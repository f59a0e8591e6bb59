"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldHint, Label, describedBy, inputClasses } from "@/components/ui/field";
import { createClient } from "@/lib/supabase/client";
import { describeSignupError } from "@/lib/ui/auth-errors";

type Failure = { message: string; field: "email" | "password" | null; code: string | undefined };

export function SignupForm({ next, loginHref }: { next: string; loginHref: string }) {
  const router = useRouter();
  const [failure, setFailure] = useState<Failure | null>(null);
  const [pending, setPending] = useState(false);
  const [confirmEmail, setConfirmEmail] = useState<string | null>(null);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    setPending(true);
    setFailure(null);

    try {
      const { data, error } = await createClient().auth.signUp({
        email,
        password: String(form.get("password") ?? ""),
        options: { emailRedirectTo: `${window.location.origin}/login?next=${encodeURIComponent(next)}` },
      });
      if (error) {
        const code = error.code;
        const field = code === "weak_password" ? "password" : code === "user_already_exists" || code === "email_exists" || code === "email_address_invalid" ? "email" : null;
        const reasons = "reasons" in error && Array.isArray(error.reasons) ? (error.reasons as string[]) : undefined;
        setFailure({ message: describeSignupError({ code, status: error.status, message: error.message, name: error.name, reasons }), field, code });
        setPending(false);
        return;
      }
      if (!data.session) {
        // The project asks new users to confirm their address first.
        setConfirmEmail(email);
        setPending(false);
        return;
      }
    } catch {
      setFailure({ message: describeSignupError({}), field: null, code: undefined });
      setPending(false);
      return;
    }

    router.replace(next);
    router.refresh();
  }

  if (confirmEmail) {
    return (
      <Alert tone="success" live="polite" title="Check your inbox">
        We sent a confirmation link to <strong className="font-medium">{confirmEmail}</strong>. Open it to finish
        creating your account, then log in.
      </Alert>
    );
  }

  const emailInvalid = failure?.field === "email";
  const passwordInvalid = failure?.field === "password";
  return (
    <form onSubmit={handleSubmit} className="space-y-4">
      <div className="space-y-1.5">
        <Label htmlFor="email">Email</Label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          autoFocus
          aria-invalid={emailInvalid || undefined}
          aria-describedby={describedBy(emailInvalid && "signup-error")}
          className={inputClasses(emailInvalid)}
        />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="password">Password</Label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={passwordInvalid || undefined}
          aria-describedby={describedBy("password-hint", passwordInvalid && "signup-error")}
          className={inputClasses(passwordInvalid)}
        />
        <FieldHint id="password-hint">At least 6 characters. A long passphrase is best.</FieldHint>
      </div>
      {failure ? (
        <Alert tone="error" live="assertive" id="signup-error">
          {failure.code === "user_already_exists" || failure.code === "email_exists" ? (
            <>
              An account with this email already exists.{" "}
              <Link href={loginHref} className="font-medium underline underline-offset-4">
                Log in instead
              </Link>
              , or use another email address.
            </>
          ) : (
            failure.message
          )}
        </Alert>
      ) : null}
      <Button type="submit" variant="primary" disabled={pending} className="w-full">
        {pending ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}
