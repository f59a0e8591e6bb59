"use client";

import { useFormStatus } from "react-dom";

import { Button } from "@/components/ui/button";

/**
 * A form's submit button that says it is working while its Server Action runs. Without
 * JavaScript it is a plain submit button and the browser shows its own progress.
 */
export function SubmitButton({
  label,
  pendingLabel,
  variant = "primary",
  size,
  className,
}: {
  label: string;
  pendingLabel: string;
  variant?: "primary" | "secondary" | "danger";
  size?: "sm" | "md";
  className?: string;
}) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant={variant} size={size} disabled={pending} className={className}>
      {pending ? pendingLabel : label}
    </Button>
  );
}
