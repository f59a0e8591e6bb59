import Link from "next/link";

import { buttonClasses } from "@/components/ui/button";
import { cx } from "@/lib/ui/cx";

/** "Showing 21–40 of 42" with Previous / Next links (`?page=N`); server-renderable. */
export function Pagination({
  basePath,
  page,
  perPage,
  total,
  noun,
}: {
  basePath: string;
  page: number;
  perPage: number;
  total: number;
  /** Plural noun for the summary: "keys", "specs". */
  noun: string;
}) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const first = total === 0 ? 0 : Math.min((page - 1) * perPage + 1, total);
  const last = Math.min(page * perPage, total);
  // A base path with a query of its own (a list's filters) keeps it.
  const href = (n: number) => (n <= 1 ? basePath : `${basePath}${basePath.includes("?") ? "&" : "?"}page=${n}`);
  const disabled = cx(buttonClasses({ variant: "secondary", size: "sm" }), "pointer-events-none opacity-50");

  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 text-sm text-neutral-600 dark:text-neutral-400">
      <p>
        {pages > 1 && first > 0 && first <= last ? (
          <>
            Showing <span className="font-medium text-neutral-900 dark:text-neutral-100">{first}</span>–
            <span className="font-medium text-neutral-900 dark:text-neutral-100">{last}</span> of{" "}
            <span className="font-medium text-neutral-900 dark:text-neutral-100">{total}</span> {noun}
          </>
        ) : (
          <>
            {total} {noun}
          </>
        )}
      </p>
      {pages > 1 || page > 1 ? (
        <div className="flex gap-2">
          {page > 1 ? (
            <Link href={href(Math.min(page - 1, pages))} className={buttonClasses({ variant: "secondary", size: "sm" })} rel="prev">
              Previous
            </Link>
          ) : (
            <span aria-disabled="true" className={disabled}>
              Previous
            </span>
          )}
          {page < pages ? (
            <Link href={href(page + 1)} className={buttonClasses({ variant: "secondary", size: "sm" })} rel="next">
              Next
            </Link>
          ) : (
            <span aria-disabled="true" className={disabled}>
              Next
            </span>
          )}
        </div>
      ) : null}
    </nav>
  );
}

/** A `?page=` value as a page number: anything that is not a positive integer is page 1. */
export function pageParam(value: string | string[] | undefined): number {
  if (typeof value !== "string" || !/^\d{1,6}$/.test(value)) return 1;
  return Math.max(1, Number(value));
}
