import type { ReactNode } from "react";

import { cx } from "@/lib/ui/cx";

type Tone = "error" | "warning" | "info" | "success";

const TONES: Record<Tone, string> = {
  error: "border-red-200 bg-red-50 text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200",
  warning: "border-amber-200 bg-amber-50 text-amber-950 dark:border-amber-900/60 dark:bg-amber-950/40 dark:text-amber-100",
  info: "border-neutral-200 bg-neutral-50 text-neutral-800 dark:border-neutral-800 dark:bg-neutral-900 dark:text-neutral-200",
  success: "border-emerald-200 bg-emerald-50 text-emerald-900 dark:border-emerald-900/60 dark:bg-emerald-950/40 dark:text-emerald-100",
};

const ICONS: Record<Tone, string> = {
  error: "M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1Zm-.75 3.5h1.5v4.5h-1.5V4.5Zm0 6h1.5V12h-1.5v-1.5Z",
  warning: "M8.87 1.5a1 1 0 0 0-1.74 0l-6.5 11.5A1 1 0 0 0 1.5 14.5h13a1 1 0 0 0 .87-1.5L8.87 1.5ZM7.25 5.5h1.5V10h-1.5V5.5Zm0 5.5h1.5v1.5h-1.5V11Z",
  info: "M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1Zm.75 10.5h-1.5V7h1.5v4.5ZM8 5.75a.9.9 0 1 1 0-1.8.9.9 0 0 1 0 1.8Z",
  success: "M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1Zm-1 10.06L3.97 8.03l1.06-1.06L7 8.94l3.97-3.97 1.06 1.06L7 11.06Z",
};

/**
 * An inline message. `role="alert"` for errors that appear after an action (read out
 * at once); other tones are plain text unless `live` asks for a polite announcement.
 */
export function Alert({
  tone = "info",
  title,
  children,
  className,
  live,
  id,
}: {
  tone?: Tone;
  title?: ReactNode;
  children?: ReactNode;
  className?: string;
  live?: "assertive" | "polite";
  id?: string;
}) {
  const role = live === "assertive" ? "alert" : live === "polite" ? "status" : undefined;
  return (
    <div id={id} role={role} className={cx("flex gap-2.5 rounded-lg border px-3.5 py-3 text-sm", TONES[tone], className)}>
      <svg aria-hidden="true" viewBox="0 0 16 16" className="mt-0.5 size-4 shrink-0 fill-current opacity-80">
        <path d={ICONS[tone]} />
      </svg>
      <div className="min-w-0 space-y-1">
        {title ? <p className="font-medium">{title}</p> : null}
        {children ? <div className="leading-relaxed">{children}</div> : null}
      </div>
    </div>
  );
}
