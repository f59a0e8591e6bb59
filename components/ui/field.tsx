import type { ReactNode } from "react";

import { cx } from "@/lib/ui/cx";

/** Shared look of text inputs, textareas and selects; red border when invalid. */
export function inputClasses(invalid = false, className?: string): string {
  return cx(
    "block w-full rounded-md border bg-white px-3 py-2 text-sm text-neutral-900 shadow-xs placeholder:text-neutral-400",
    "focus:outline-2 focus:outline-offset-0 dark:bg-neutral-900 dark:text-neutral-100 dark:placeholder:text-neutral-500",
    // [readonly], not :read-only, which also matches every <select>.
    "disabled:cursor-not-allowed disabled:opacity-60 [&[readonly]]:bg-neutral-50 dark:[&[readonly]]:bg-neutral-950",
    invalid
      ? "border-red-500 focus:outline-red-500/25 dark:border-red-500"
      : "border-neutral-300 focus:border-neutral-900 focus:outline-neutral-900/20 dark:border-neutral-700 dark:focus:border-neutral-300 dark:focus:outline-neutral-300/20",
    className,
  );
}

export function Label({
  htmlFor,
  children,
  optional = false,
  className,
}: {
  htmlFor: string;
  children: ReactNode;
  optional?: boolean;
  className?: string;
}) {
  return (
    <label htmlFor={htmlFor} className={cx("block text-sm font-medium text-neutral-900 dark:text-neutral-100", className)}>
      {children}
      {optional ? <span className="ml-1 font-normal text-neutral-500 dark:text-neutral-400">(optional)</span> : null}
    </label>
  );
}

export function FieldHint({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="text-xs text-neutral-500 dark:text-neutral-400">
      {children}
    </p>
  );
}

/** A field's error, linked with aria-describedby and announced by screen readers. */
export function FieldError({ id, children }: { id: string; children: ReactNode }) {
  if (!children) return null;
  return (
    <p id={id} className="flex items-start gap-1.5 text-sm text-red-700 dark:text-red-400">
      <svg aria-hidden="true" viewBox="0 0 16 16" className="mt-0.5 size-3.5 shrink-0 fill-current">
        <path d="M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1Zm-.75 3.5h1.5v4.5h-1.5V4.5Zm0 6h1.5V12h-1.5v-1.5Z" />
      </svg>
      <span>{children}</span>
    </p>
  );
}

/** aria-describedby for a field: its hint and/or error ids, or undefined. */
export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const list = ids.filter(Boolean).join(" ");
  return list || undefined;
}
