import type { Metadata } from "next";
import Link from "next/link";

import { Logo } from "@/components/logo";

import { ExpiryBanner } from "./_components/expiry-banner";
import { MobileHeader } from "./_components/mobile-header";
import { NavLinks } from "./_components/nav-links";
import { OrganizationSwitcher } from "./_components/organization-switcher";
import { UserPanel } from "./_components/user-panel";
import { requirePageSession } from "@/lib/auth/page-session";
import { db } from "@/lib/db";
import { listOrganizations } from "@/lib/organizations/organizations";
import { ORGANIZATION_META } from "@/lib/ui/api";

/**
 * The dashboard shell: a sidebar (a top bar with a menu on phones) with the sections,
 * the organization switcher, the signed-in user's e-mail and Log out. It checks the session itself (server side,
 * getClaims) rather than trusting proxy.ts alone — the second factor too — and so does every
 * page, before it reads its data. Above every page:
 * the banner for keys about to expire.
 */
// The organization the pages show, for the browser's API calls (lib/ui/api.ts sends it as
// Tt-Organization): in the page itself, so each tab keeps acting in the one it shows.
export async function generateMetadata(): Promise<Metadata> {
  const user = await requirePageSession();
  return { other: { [ORGANIZATION_META]: user.workspace.organization.slug } };
}

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  // proxy.ts has already sent such a session on with `next`. Each page asks again itself
  // (lib/auth/page-session.ts): a request can render a page without this layout.
  const user = await requirePageSession();
  const userPanel = <UserPanel email={user.email} />;
  // The same service GET /api/v1/organizations calls: the personal workspace first.
  const { items } = await listOrganizations(db, { userId: user.id, organizationId: user.workspace.organization.id, page: 1, perPage: 100 });
  const organizations = items.map(({ slug, name, personal, role }) => ({ slug, name, personal, role: role ?? "viewer" }));
  const switcher = <OrganizationSwitcher organizations={organizations} current={user.workspace.organization.slug} />;

  return (
    <div className="min-h-screen bg-white dark:bg-neutral-950">
      <a
        href="#content"
        className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-medium shadow focus:not-sr-only focus:fixed focus:top-3 focus:left-3 dark:bg-neutral-900"
      >
        Skip to content
      </a>
      <aside className="fixed inset-y-0 left-0 hidden w-64 flex-col border-r border-neutral-200 bg-neutral-50 md:flex dark:border-neutral-800 dark:bg-neutral-900/40">
        <div className="flex h-16 items-center px-5">
          <Link href="/specs" className="rounded-md focus-visible:outline-2 focus-visible:outline-offset-4">
            <Logo />
          </Link>
        </div>
        <div className="px-3 pt-2">{switcher}</div>
        <nav aria-label="Dashboard" className="flex-1 overflow-y-auto px-3 py-4">
          <NavLinks />
        </nav>
        <div className="border-t border-neutral-200 p-4 dark:border-neutral-800">{userPanel}</div>
      </aside>
      <MobileHeader userPanel={userPanel} switcher={switcher} />
      <div className="md:pl-64">
        <main id="content" tabIndex={-1} className="mx-auto w-full max-w-5xl px-4 py-8 focus:outline-none sm:px-8 sm:py-10">
          <ExpiryBanner workspace={user.workspace} />
          {children}
        </main>
      </div>
    </div>
  );
}
