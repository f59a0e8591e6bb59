"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

import { cx } from "@/lib/ui/cx";

const SECTIONS = [
  {
    heading: "Build",
    items: [
      {
        href: "/specs",
        label: "Behaviour specs",
        icon: "M2 2.75C2 1.78 2.78 1 3.75 1h6.19c.46 0 .9.18 1.23.51l2.32 2.32c.33.33.51.77.51 1.23v8.19A1.75 1.75 0 0 1 12.25 15h-8.5A1.75 1.75 0 0 1 2 13.25V2.75Zm1.75-.25a.25.25 0 0 0-.25.25v10.5c0 .14.11.25.25.25h8.5a.25.25 0 0 0 .25-.25V5.06a.25.25 0 0 0-.07-.18L10.12 2.57a.25.25 0 0 0-.18-.07H3.75ZM5 7.25A.75.75 0 0 1 5.75 6.5h4.5a.75.75 0 0 1 0 1.5h-4.5A.75.75 0 0 1 5 7.25Zm0 3a.75.75 0 0 1 .75-.75h4.5a.75.75 0 0 1 0 1.5h-4.5a.75.75 0 0 1-.75-.75Z",
      },
    ],
  },
  {
    heading: "Organization",
    items: [
      {
        href: "/settings/organization",
        label: "Organization",
        icon: "M1.75 15a.75.75 0 0 1 0-1.5H2V2.75C2 1.78 2.78 1 3.75 1h5.5c.97 0 1.75.78 1.75 1.75V5h1.25c.97 0 1.75.78 1.75 1.75v6.75h.25a.75.75 0 0 1 0 1.5H1.75Zm9.25-1.5h1.5V6.75a.25.25 0 0 0-.25-.25H11v7Zm-1.5 0V2.75a.25.25 0 0 0-.25-.25h-5.5a.25.25 0 0 0-.25.25V13.5H6v-2.25a.75.75 0 0 1 .75-.75h1.5a.75.75 0 0 1 .75.75v2.25h.5ZM5 4.75A.75.75 0 0 1 5.75 4h.5a.75.75 0 0 1 0 1.5h-.5A.75.75 0 0 1 5 4.75Zm0 3A.75.75 0 0 1 5.75 7h.5a.75.75 0 0 1 0 1.5h-.5A.75.75 0 0 1 5 7.75Zm3-3A.75.75 0 0 1 8.75 4h.5a.75.75 0 0 1 0 1.5h-.5A.75.75 0 0 1 8 4.75Zm0 3A.75.75 0 0 1 8.75 7h.5a.75.75 0 0 1 0 1.5h-.5A.75.75 0 0 1 8 7.75Z",
      },
      {
        href: "/settings/members",
        label: "Members",
        icon: "M5.5 2a3 3 0 1 0 0 6 3 3 0 0 0 0-6ZM4 5a1.5 1.5 0 1 1 3 0 1.5 1.5 0 0 1-3 0Zm6.5-2a.75.75 0 0 0 0 1.5 1.5 1.5 0 0 1 0 3 .75.75 0 0 0 0 1.5 3 3 0 1 0 0-6ZM0 13.25C0 11.18 2.46 9.5 5.5 9.5S11 11.18 11 13.25a.75.75 0 0 1-1.5 0C9.5 12.16 7.9 11 5.5 11S1.5 12.16 1.5 13.25a.75.75 0 0 1-1.5 0Zm12.2-3.3a.75.75 0 0 1 1-.35c1.6.78 2.8 2.09 2.8 3.65a.75.75 0 0 1-1.5 0c0-.88-.72-1.77-1.95-2.35a.75.75 0 0 1-.35-.95Z",
      },
      {
        href: "/settings/service-accounts",
        label: "Service accounts",
        icon: "M5.75 1a.75.75 0 0 0-.75.75V3H3.75A1.75 1.75 0 0 0 2 4.75v7.5c0 .97.78 1.75 1.75 1.75h8.5A1.75 1.75 0 0 0 14 12.25v-7.5A1.75 1.75 0 0 0 12.25 3H11V1.75a.75.75 0 0 0-1.5 0V3h-3V1.75A.75.75 0 0 0 5.75 1ZM3.5 4.75a.25.25 0 0 1 .25-.25h8.5a.25.25 0 0 1 .25.25v7.5a.25.25 0 0 1-.25.25h-8.5a.25.25 0 0 1-.25-.25v-7.5ZM6 7a1 1 0 1 1-2 0 1 1 0 0 1 2 0Zm6 0a1 1 0 1 1-2 0 1 1 0 0 1 2 0ZM5.75 9.5a.75.75 0 0 0 0 1.5h4.5a.75.75 0 0 0 0-1.5h-4.5Z",
      },
    ],
  },
  {
    heading: "Settings",
    items: [
      { href: "/settings/account", label: "Account", icon: "M8 1a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7ZM6 4.5a2 2 0 1 1 4 0 2 2 0 0 1-4 0ZM2 14.25C2 11.9 4.69 9.5 8 9.5s6 2.4 6 4.75a.75.75 0 0 1-1.5 0C12.5 12.9 10.6 11 8 11s-4.5 1.9-4.5 3.25a.75.75 0 0 1-1.5 0Z" },
      {
        href: "/settings/api-keys",
        label: "API keys",
        icon: "M10.5 1a4.5 4.5 0 0 0-4.36 5.62L1.22 11.53a.75.75 0 0 0-.22.53v2.19c0 .41.34.75.75.75h2.5a.75.75 0 0 0 .75-.75V13.5h1.25a.75.75 0 0 0 .75-.75V11.5h1.25a.75.75 0 0 0 .53-.22l.86-.86A4.5 4.5 0 1 0 10.5 1Zm-3 4.5a3 3 0 1 1 2.15 2.88.75.75 0 0 0-.74.19L7.69 10H6.25a.75.75 0 0 0-.75.75V12H4.25a.75.75 0 0 0-.75.75v.75h-1v-1.13l5.03-5.03a.75.75 0 0 0 .19-.74A3 3 0 0 1 7.5 5.5Zm4.5-.75a.75.75 0 1 1-1.5 0 .75.75 0 0 1 1.5 0Z",
      },
      { href: "/settings/security", label: "Security", icon: "M8 .5 2 2.75v4.5c0 3.7 2.56 7.16 6 8.25 3.44-1.09 6-4.55 6-8.25v-4.5L8 .5Zm4.5 6.75c0 2.9-1.9 5.7-4.5 6.68-2.6-.98-4.5-3.78-4.5-6.68V3.79L8 2.1l4.5 1.69v3.46Z" },
      {
        href: "/settings/security-log",
        label: "Security log",
        icon: "M3.75 1.5A1.75 1.75 0 0 0 2 3.25v9.5c0 .97.78 1.75 1.75 1.75h8.5A1.75 1.75 0 0 0 14 12.75v-9.5A1.75 1.75 0 0 0 12.25 1.5h-8.5ZM3.5 3.25a.25.25 0 0 1 .25-.25h8.5a.25.25 0 0 1 .25.25v9.5a.25.25 0 0 1-.25.25h-8.5a.25.25 0 0 1-.25-.25v-9.5ZM5 5.75A.75.75 0 0 1 5.75 5h4.5a.75.75 0 0 1 0 1.5h-4.5A.75.75 0 0 1 5 5.75Zm0 2.5A.75.75 0 0 1 5.75 7.5h4.5a.75.75 0 0 1 0 1.5h-4.5A.75.75 0 0 1 5 8.25Zm.75 1.75a.75.75 0 0 0 0 1.5h2.5a.75.75 0 0 0 0-1.5h-2.5Z",
      },
    ],
  },
] as const;

/** The dashboard's sections; the current one is marked with aria-current="page". */
export function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <div className="space-y-6">
      {SECTIONS.map((section) => (
        <div key={section.heading}>
          <p className="px-3 pb-1.5 text-xs font-medium tracking-wide text-neutral-500 uppercase dark:text-neutral-400">{section.heading}</p>
          <ul className="space-y-0.5">
            {section.items.map((item) => {
              const current = pathname === item.href || pathname.startsWith(`${item.href}/`);
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    onClick={onNavigate}
                    aria-current={current ? "page" : undefined}
                    className={cx(
                      "flex items-center gap-2.5 rounded-md px-3 py-2 text-sm transition-colors focus-visible:outline-2 focus-visible:outline-neutral-900 dark:focus-visible:outline-neutral-100",
                      current
                        ? "bg-neutral-200/70 font-medium text-neutral-900 dark:bg-neutral-800 dark:text-neutral-50"
                        : "text-neutral-600 hover:bg-neutral-200/40 hover:text-neutral-900 dark:text-neutral-400 dark:hover:bg-neutral-800/60 dark:hover:text-neutral-100",
                    )}
                  >
                    <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 shrink-0 fill-current opacity-80">
                      <path d={item.icon} />
                    </svg>
                    {item.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
      <div>
        <p className="px-3 pb-1.5 text-xs font-medium tracking-wide text-neutral-500 uppercase dark:text-neutral-400">Developers</p>
        {/* The rendered reference (app/docs/api/route.ts) is a document of its own, not a page of the app: a plain <a>. */}
        <a
          href="/docs/api"
          className="flex items-center gap-2.5 rounded-md px-3 py-2 text-sm text-neutral-600 transition-colors hover:bg-neutral-200/40 hover:text-neutral-900 focus-visible:outline-2 focus-visible:outline-neutral-900 dark:text-neutral-400 dark:hover:bg-neutral-800/60 dark:hover:text-neutral-100 dark:focus-visible:outline-neutral-100"
        >
          <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 shrink-0 fill-current opacity-80">
            <path d="M4.72 3.22a.75.75 0 0 1 1.06 1.06L2.06 8l3.72 3.72a.75.75 0 1 1-1.06 1.06L.47 8.53a.75.75 0 0 1 0-1.06l4.25-4.25Zm6.56 0a.75.75 0 1 0-1.06 1.06L13.94 8l-3.72 3.72a.75.75 0 1 0 1.06 1.06l4.25-4.25a.75.75 0 0 0 0-1.06l-4.25-4.25Z" />
          </svg>
          API reference
        </a>
      </div>
    </div>
  );
}
