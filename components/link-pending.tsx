"use client";

import { useLinkStatus } from "next/link";

/**
 * A small spinner inside a <Link> while its navigation is pending — for dynamic pages
 * without a loading.tsx (they answer 404 before streaming starts, so they have none).
 * Always rendered at a fixed size so it causes no layout shift.
 */
export function LinkPending() {
  const { pending } = useLinkStatus();
  return (
    <span
      aria-hidden="true"
      className={`ml-2 inline-block size-3 rounded-full border-2 border-current border-t-transparent align-[-1px] transition-opacity ${
        pending ? "animate-spin opacity-60" : "opacity-0"
      }`}
    />
  );
}
