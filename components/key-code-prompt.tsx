"use client";

import { useEffect, useRef, useState, type RefObject } from "react";

import { Alert } from "@/components/ui/alert";
import { FieldError, Label, describedBy, inputClasses } from "@/components/ui/field";
import { confirmCodeAction } from "@/lib/account/two-factor-actions";

/**
 * The state of a key dialog's step-up: `ask()` when the API answered with the challenge
 * (the code field appears and takes focus), `verify()` before retrying — a Server Action
 * checks the code (the session is at aal2 afterwards); false when it was refused, with its
 * error shown and focus on the code — and `reset()` when the dialog closes.
 */
export function useKeyCodePrompt() {
  const [asking, setAsking] = useState(false);
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (asking) inputRef.current?.focus();
  }, [asking]);

  function reset() {
    setAsking(false);
    setCode("");
    setError(null);
  }

  async function verify(): Promise<boolean> {
    if (!asking) return true;
    const verified = await confirmCodeAction(code);
    if (verified.error) {
      setError(verified.error);
      inputRef.current?.focus();
      return false;
    }
    reset();
    return true;
  }

  const field = {
    inputRef,
    value: code,
    error,
    onChange: (value: string) => {
      setCode(value);
      setError(null);
    },
  };
  return { asking, ask: () => setAsking(true), verify, reset, field };
}

/**
 * The code from the authenticator app that creating a key asks for when the API answers
 * with the step-up challenge: the dialog verifies it, then retries the creation, keeping
 * what was typed. `id` names the input; its error is `${id}-error`.
 */
export function KeyCodePrompt({
  id,
  name,
  inputRef,
  value,
  error,
  onChange,
  needs = "creating a key",
}: {
  id: string;
  name?: string;
  /** What asks for the code, as in "…: creating a key needs a code". */
  needs?: string;
  inputRef: RefObject<HTMLInputElement | null>;
  value: string;
  error: string | null;
  onChange: (value: string) => void;
}) {
  return (
    <div className="space-y-2 rounded-md border border-neutral-200 p-3 dark:border-neutral-800">
      <Alert tone="info" live="polite">
        Your account has two-factor sign-in: {needs} needs a code from your authenticator app.
      </Alert>
      <Label htmlFor={id}>Code from your authenticator app</Label>
      <input
        ref={inputRef}
        id={id}
        name={name}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={8}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(error && `${id}-error`)}
        className={inputClasses(Boolean(error), "max-w-40 font-mono tracking-widest")}
      />
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </div>
  );
}
