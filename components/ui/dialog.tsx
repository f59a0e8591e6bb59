"use client";

import { useEffect, useId, useRef, type ReactNode, type RefObject } from "react";

import { cx } from "@/lib/ui/cx";

import { Button } from "./button";

/**
 * A modal dialog on the native <dialog> element and showModal(): the browser makes
 * the rest of the page inert (focus is trapped), Esc closes it, and it sits in the top
 * layer. On top of that: focus moves to the element marked `data-autofocus` (or the
 * first focusable one) on open, and back to whatever opened it on close.
 *
 * Its content is mounted only while open, so closing it also discards everything it
 * showed (the one-time API key among them).
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  dismissible = true,
  finalFocus,
  size = "md",
}: {
  open: boolean;
  /** Called when the dialog closes by itself (Esc, the × button). */
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  /** false while work is in flight: Esc and × do nothing. */
  dismissible?: boolean;
  /** Where focus goes on close instead of the opener, when set (e.g. the opener is about to disappear). */
  finalFocus?: RefObject<HTMLElement | null>;
  size?: "md" | "lg";
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  // Read at event time, not captured at render, so the listeners never see stale props.
  const latest = useRef({ onClose, dismissible, finalFocus });
  useEffect(() => {
    latest.current = { onClose, dismissible, finalFocus };
  });

  // One effect owns the whole open period: open it, focus inside, and on the way out
  // (open → false, or unmount) close it and put focus back where it came from. Written
  // as setup + cleanup so React's development double-run (mount, unmount, mount)
  // leaves it open with focus inside, not closed or with focus lost.
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !open) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    return () => {
      if (dialog.open) dialog.close();
      const preferred = latest.current.finalFocus?.current;
      const target = preferred?.isConnected ? preferred : opener;
      if (target?.isConnected) target.focus();
    };
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        if (!latest.current.dismissible) event.preventDefault();
      }}
      onClose={() => {
        // Closed by Esc or the × button (or by the cleanup above, in which case it is
        // already reopened or about to unmount): tell the owner, which sets open=false.
        if (!ref.current?.open) latest.current.onClose();
      }}
      className={cx(
        "m-auto max-h-[calc(100dvh-2rem)] w-[calc(100%-2rem)] overflow-y-auto rounded-xl border border-neutral-200 bg-white p-0 text-neutral-900 shadow-2xl",
        "backdrop:bg-neutral-950/50 backdrop:backdrop-blur-[1px] dark:border-neutral-800 dark:bg-neutral-900 dark:text-neutral-100",
        size === "lg" ? "max-w-2xl" : "max-w-lg",
      )}
    >
      {open ? (
        <div className="p-5 sm:p-6">
          <div className="mb-4 flex items-start justify-between gap-4">
            <div className="min-w-0 space-y-1">
              <h2 id={titleId} className="text-lg font-semibold tracking-tight">
                {title}
              </h2>
              {description ? (
                <div id={descriptionId} className="text-sm text-neutral-600 dark:text-neutral-400">
                  {description}
                </div>
              ) : null}
            </div>
            <button
              type="button"
              aria-label="Close"
              disabled={!dismissible}
              onClick={() => ref.current?.close()}
              className="-m-1.5 rounded-md p-1.5 text-neutral-500 hover:bg-neutral-100 hover:text-neutral-900 focus-visible:outline-2 focus-visible:outline-neutral-900 disabled:opacity-40 dark:hover:bg-neutral-800 dark:hover:text-neutral-100 dark:focus-visible:outline-neutral-100"
            >
              <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 fill-current">
                <path d="M3.72 3.72a.75.75 0 0 1 1.06 0L8 6.94l3.22-3.22a.75.75 0 1 1 1.06 1.06L9.06 8l3.22 3.22a.75.75 0 1 1-1.06 1.06L8 9.06l-3.22 3.22a.75.75 0 0 1-1.06-1.06L6.94 8 3.72 4.78a.75.75 0 0 1 0-1.06Z" />
              </svg>
            </button>
          </div>
          {children}
        </div>
      ) : null}
    </dialog>
  );
}

/** The row of buttons at the bottom of a dialog: stacked on phones, right-aligned on wider screens. */
export function DialogActions({ children }: { children: ReactNode }) {
  return <div className="mt-6 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">{children}</div>;
}

/**
 * A dialog form's Cancel and submit buttons, both off while the call runs (`pending`: the
 * submit button says `pendingLabel`); `disabled` holds the submit button back until the
 * form can be sent.
 */
export function DialogFormActions({
  onCancel,
  pending,
  label,
  pendingLabel,
  variant = "primary",
  disabled = false,
}: {
  onCancel: () => void;
  pending: boolean;
  label: ReactNode;
  pendingLabel: ReactNode;
  variant?: "primary" | "danger";
  disabled?: boolean;
}) {
  return (
    <DialogActions>
      <Button variant="secondary" onClick={() => onCancel()} disabled={pending}>
        Cancel
      </Button>
      <Button type="submit" variant={variant} disabled={pending || disabled}>
        {pending ? pendingLabel : label}
      </Button>
    </DialogActions>
  );
}
