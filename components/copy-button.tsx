"use client";

import { useEffect, useState } from "react";

import { Button, type ButtonSize, type ButtonVariant } from "@/components/ui/button";

/**
 * Copies `value` with the async Clipboard API and says "Copied" for two seconds.
 * If the browser refuses (no permission, insecure context), it says so, and
 * `onFailure` can select the text for a manual copy.
 */
export function CopyButton({
  value,
  label = "Copy",
  variant = "secondary",
  size = "md",
  onFailure,
  className,
}: {
  value: string;
  label?: string;
  variant?: ButtonVariant;
  size?: ButtonSize;
  onFailure?: () => void;
  className?: string;
}) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), state === "copied" ? 2000 : 4000);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      setState("failed");
      onFailure?.();
    }
  }

  return (
    <>
      <Button variant={variant} size={size} onClick={copy} className={className}>
        {state === "copied" ? (
          <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 fill-current text-emerald-600 dark:text-emerald-400">
            <path d="M13.78 4.22a.75.75 0 0 1 0 1.06l-7.25 7.25a.75.75 0 0 1-1.06 0L2.22 9.28a.75.75 0 0 1 1.06-1.06L6 10.94l6.72-6.72a.75.75 0 0 1 1.06 0Z" />
          </svg>
        ) : (
          <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 fill-current">
            <path d="M5.75 1A1.75 1.75 0 0 0 4 2.75V4H2.75A1.75 1.75 0 0 0 1 5.75v7.5c0 .97.78 1.75 1.75 1.75h7.5A1.75 1.75 0 0 0 12 13.25V12h1.25A1.75 1.75 0 0 0 15 10.25v-7.5A1.75 1.75 0 0 0 13.25 1h-7.5ZM12 10.5V5.75A1.75 1.75 0 0 0 10.25 4H5.5V2.75a.25.25 0 0 1 .25-.25h7.5a.25.25 0 0 1 .25.25v7.5a.25.25 0 0 1-.25.25H12ZM2.5 5.75a.25.25 0 0 1 .25-.25h7.5a.25.25 0 0 1 .25.25v7.5a.25.25 0 0 1-.25.25h-7.5a.25.25 0 0 1-.25-.25v-7.5Z" />
          </svg>
        )}
        {state === "copied" ? "Copied" : label}
      </Button>
      <span role="status" className="sr-only">
        {state === "copied" ? "Copied to the clipboard" : state === "failed" ? "Couldn't copy automatically. Select the text and copy it." : ""}
      </span>
    </>
  );
}
