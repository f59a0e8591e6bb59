"use client";

import { useEffect } from "react";

import { Button } from "@/components/ui/button";

/** Anything a dashboard page throws: shown inside the shell, with a way to try again. */
export default function DashboardError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;

  return (
    <div role="alert" className="mx-auto max-w-lg rounded-xl border border-neutral-200 p-8 text-center dark:border-neutral-800">
      <div className="mx-auto mb-4 flex size-10 items-center justify-center rounded-lg bg-red-50 text-red-700 dark:bg-red-950/50 dark:text-red-300">
        <svg aria-hidden="true" viewBox="0 0 16 16" className="size-5 fill-current">
          <path d="M8.87 1.5a1 1 0 0 0-1.74 0l-6.5 11.5A1 1 0 0 0 1.5 14.5h13a1 1 0 0 0 .87-1.5L8.87 1.5ZM7.25 5.5h1.5V10h-1.5V5.5Zm0 5.5h1.5v1.5h-1.5V11Z" />
        </svg>
      </div>
      <h1 className="text-lg font-semibold">This page didn&apos;t load</h1>
      <p className="mt-2 text-sm text-neutral-600 dark:text-neutral-400">
        Something went wrong on our side, not yours. Try again in a moment.
      </p>
      {digest ? <p className="mt-2 font-mono text-xs text-neutral-500">Reference: {digest}</p> : null}
      <Button variant="primary" onClick={() => retry()} className="mt-6">
        Try again
      </Button>
    </div>
  );
}
