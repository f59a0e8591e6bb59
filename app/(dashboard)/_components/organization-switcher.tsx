"use client";

import { usePathname } from "next/navigation";
import { useId, useRef, useState } from "react";

import { Button } from "@/components/ui/button";
import { switchOrganizationAction } from "@/lib/account/organization-actions";
import type { Role } from "@/lib/contract";
import { cx } from "@/lib/ui/cx";
import { ROLE_LABELS, sectionPath } from "@/lib/ui/organizations";

import { CreateOrganizationDialog } from "./create-organization-dialog";

export type SwitcherOrganization = { slug: string; name: string; personal: boolean; role: Role };

/**
 * Which organization the dashboard shows, and the others the user belongs to (personal
 * workspace first). A disclosure: each organization is a form posting to the switch Server
 * Action (membership checked there, then the cookie, then back to this section), so it works
 * without JavaScript; "Create organization" opens a dialog.
 */
export function OrganizationSwitcher({ organizations, current }: { organizations: SwitcherOrganization[]; current: string }) {
  const pathname = usePathname();
  const listId = useId();
  // Open "for" a path, like the mobile menu: navigating closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const [creating, setCreating] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const shown = organizations.find((organization) => organization.slug === current) ?? organizations[0];
  const next = sectionPath(pathname);

  return (
    <div
      data-testid="organization-switcher"
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          event.stopPropagation();
          setOpenOn(null);
          toggle.current?.focus();
        }
      }}
    >
      <button
        ref={toggle}
        type="button"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpenOn(open ? null : pathname)}
        className="flex w-full items-center justify-between gap-2 rounded-md border border-neutral-300 bg-white px-3 py-2 text-left text-sm hover:bg-neutral-50 focus-visible:outline-2 focus-visible:outline-neutral-900 dark:border-neutral-700 dark:bg-neutral-900 dark:hover:bg-neutral-800 dark:focus-visible:outline-neutral-100"
      >
        <span className="min-w-0">
          <span className="block text-xs text-neutral-500 dark:text-neutral-400">Organization</span>
          <span className="block truncate font-medium" data-testid="current-organization">
            {shown?.name ?? "Personal"}
          </span>
        </span>
        <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 shrink-0 fill-current opacity-70">
          <path d="M4.22 6.22a.75.75 0 0 1 1.06 0L8 8.94l2.72-2.72a.75.75 0 1 1 1.06 1.06l-3.25 3.25a.75.75 0 0 1-1.06 0L4.22 7.28a.75.75 0 0 1 0-1.06Z" />
        </svg>
        <span className="sr-only">: switch organization</span>
      </button>
      <div id={listId} hidden={!open} className="mt-2 rounded-md border border-neutral-200 bg-white p-1 dark:border-neutral-800 dark:bg-neutral-900">
        <ul aria-label="Your organizations" className="space-y-0.5">
          {organizations.map((organization) => {
            const isCurrent = organization.slug === shown?.slug;
            return (
              <li key={organization.slug}>
                <form action={switchOrganizationAction} onSubmit={() => setOpenOn(null)}>
                  <input type="hidden" name="organization" value={organization.slug} />
                  <input type="hidden" name="next" value={next} />
                  <button
                    type="submit"
                    aria-current={isCurrent ? "true" : undefined}
                    className={cx(
                      "flex w-full items-center justify-between gap-2 rounded px-2.5 py-1.5 text-left text-sm focus-visible:outline-2 focus-visible:outline-neutral-900 dark:focus-visible:outline-neutral-100",
                      isCurrent ? "bg-neutral-100 font-medium dark:bg-neutral-800" : "hover:bg-neutral-100 dark:hover:bg-neutral-800",
                    )}
                  >
                    <span className="min-w-0 truncate">{organization.name}</span>
                    <span className="shrink-0 text-xs text-neutral-500 dark:text-neutral-400">
                      {organization.personal ? "Personal" : ROLE_LABELS[organization.role]}
                      {isCurrent ? <span className="sr-only"> (current)</span> : null}
                    </span>
                  </button>
                </form>
              </li>
            );
          })}
        </ul>
        <div className="mt-1 border-t border-neutral-200 pt-1 dark:border-neutral-800">
          <Button size="sm" variant="ghost" className="w-full justify-start" onClick={() => setCreating(true)}>
            <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 fill-current">
              <path d="M7.25 2.75a.75.75 0 0 1 1.5 0v4.5h4.5a.75.75 0 0 1 0 1.5h-4.5v4.5a.75.75 0 0 1-1.5 0v-4.5h-4.5a.75.75 0 0 1 0-1.5h4.5v-4.5Z" />
            </svg>
            Create organization
          </Button>
        </div>
      </div>
      <CreateOrganizationDialog open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}

