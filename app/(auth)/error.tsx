"use client";

import { useEffect } from "react";

import { Button } from "@/components/ui/button";

export default function AuthError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <div role="alert" className="space-y-4 rounded-xl border border-neutral-200 bg-white p-6 text-sm shadow-sm dark:border-neutral-800 dark:bg-neutral-900">
      <h1 className="text-lg font-semibold">This page didn&apos;t load</h1>
      <p className="text-neutral-600 dark:text-neutral-400">
        Something went wrong on our side. Try again; if it keeps happening, come back in a few minutes.
      </p>
      <Button variant="primary" onClick={() => retry()}>
        Try again
      </Button>
    </div>
  );
}
