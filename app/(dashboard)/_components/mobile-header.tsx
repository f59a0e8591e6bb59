"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useRef, useState, type ReactNode } from "react";

import { Logo } from "@/components/logo";

import { NavLinks } from "./nav-links";

/**
 * Below the md breakpoint the sidebar folds into a top bar with a menu button
 * (a disclosure: aria-expanded/aria-controls) holding the organization switcher, the sections
 * and the user panel. It closes on navigation and on Esc.
 */
export function MobileHeader({ userPanel, switcher }: { userPanel: ReactNode; switcher: ReactNode }) {
  const pathname = usePathname();
  // Open "for" a path: navigating elsewhere closes it without an effect.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const toggle = useRef<HTMLButtonElement>(null);

  return (
    <div
      className="sticky top-0 z-30 border-b border-neutral-200 bg-white/95 backdrop-blur md:hidden dark:border-neutral-800 dark:bg-neutral-950/95"
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          setOpenOn(null);
          toggle.current?.focus();
        }
      }}
    >
      <div className="flex h-14 items-center justify-between px-4">
        <Link href="/specs" className="rounded-md focus-visible:outline-2 focus-visible:outline-offset-4">
          <Logo />
        </Link>
        <button
          ref={toggle}
          type="button"
          aria-expanded={open}
          aria-controls="mobile-menu"
          onClick={() => setOpenOn(open ? null : pathname)}
          className="inline-flex items-center gap-2 rounded-md border border-neutral-300 px-3 py-1.5 text-sm font-medium hover:bg-neutral-50 focus-visible:outline-2 focus-visible:outline-neutral-900 dark:border-neutral-700 dark:hover:bg-neutral-900 dark:focus-visible:outline-neutral-100"
        >
          <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 fill-current">
            {open ? (
              <path d="M3.72 3.72a.75.75 0 0 1 1.06 0L8 6.94l3.22-3.22a.75.75 0 1 1 1.06 1.06L9.06 8l3.22 3.22a.75.75 0 1 1-1.06 1.06L8 9.06l-3.22 3.22a.75.75 0 0 1-1.06-1.06L6.94 8 3.72 4.78a.75.75 0 0 1 0-1.06Z" />
            ) : (
              <path d="M1 2.75A.75.75 0 0 1 1.75 2h12.5a.75.75 0 0 1 0 1.5H1.75A.75.75 0 0 1 1 2.75Zm0 5A.75.75 0 0 1 1.75 7h12.5a.75.75 0 0 1 0 1.5H1.75A.75.75 0 0 1 1 7.75ZM1.75 12h12.5a.75.75 0 0 1 0 1.5H1.75a.75.75 0 0 1 0-1.5Z" />
            )}
          </svg>
          Menu
        </button>
      </div>
      <div id="mobile-menu" hidden={!open} className="border-t border-neutral-200 px-3 pt-4 pb-5 dark:border-neutral-800">
        <div className="mb-4">{switcher}</div>
        <nav aria-label="Dashboard">
          <NavLinks onNavigate={() => setOpenOn(null)} />
        </nav>
        <div className="mt-6 border-t border-neutral-200 px-3 pt-4 dark:border-neutral-800">{userPanel}</div>
      </div>
    </div>
  );
}
