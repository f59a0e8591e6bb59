import Link from "next/link";

/** "Parent / current" above a page title; the current page is truncated on narrow screens. */
export function Breadcrumb({ parent, current }: { parent: { href: string; label: string }; current: string }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm">
      <ol className="flex flex-wrap items-center gap-1.5 text-neutral-500 dark:text-neutral-400">
        <li>
          <Link href={parent.href} className="hover:text-neutral-900 hover:underline underline-offset-4 dark:hover:text-neutral-100">
            {parent.label}
          </Link>
        </li>
        <li aria-hidden="true">/</li>
        <li aria-current="page" className="max-w-[60vw] truncate text-neutral-900 dark:text-neutral-100">
          {current}
        </li>
      </ol>
    </nav>
  );
}
