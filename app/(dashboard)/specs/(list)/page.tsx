import type { Metadata } from "next";
import Link from "next/link";

import { LinkPending } from "@/components/link-pending";
import { LocalTime } from "@/components/local-time";
import { buttonClasses } from "@/components/ui/button";
import { OrganizationBlocked } from "@/components/organization-blocked";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination, pageParam } from "@/components/ui/pagination";
import { Table } from "@/components/ui/table";
import { listBehaviorSpecs } from "@/lib/behavior-specs/service";
import { db } from "@/lib/db";
import { plural } from "@/lib/ui/format";

import { requirePageSession } from "@/lib/auth/page-session";

export const metadata: Metadata = { title: "Behaviour specs" };

const PER_PAGE = 20;
const PATH = "/specs";

export default async function SpecsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageSession(PATH);
  if (user.workspace.blocked) return <OrganizationBlocked title="Behaviour specs" reason={user.workspace.blocked} />;
  const page = pageParam((await searchParams).page);
  // The same service function GET /api/v1/behavior-specs calls.
  const { items, total } = await listBehaviorSpecs(db, { organizationId: user.workspace.organization.id, page, perPage: PER_PAGE });

  const newSpec = (
    <Link href="/specs/new" className={buttonClasses({ variant: "primary" })}>
      <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 fill-current">
        <path d="M7.25 2.75a.75.75 0 0 1 1.5 0v4.5h4.5a.75.75 0 0 1 0 1.5h-4.5v4.5a.75.75 0 0 1-1.5 0v-4.5h-4.5a.75.75 0 0 1 0-1.5h4.5v-4.5Z" />
      </svg>
      New spec
    </Link>
  );

  return (
    <div className="space-y-8">
      <PageHeader
        title="Behaviour specs"
        description="A behaviour spec describes how a model should respond — a system prompt, guidelines, constraints and input/output examples — and is what a fine-tune is trained from."
        actions={total > 0 ? newSpec : undefined}
      />

      {total === 0 ? (
        <EmptyState
          icon={
            <svg aria-hidden="true" viewBox="0 0 16 16" className="size-5 fill-current">
              <path d="M2 2.75C2 1.78 2.78 1 3.75 1h6.19c.46 0 .9.18 1.23.51l2.32 2.32c.33.33.51.77.51 1.23v8.19A1.75 1.75 0 0 1 12.25 15h-8.5A1.75 1.75 0 0 1 2 13.25V2.75Zm1.75-.25a.25.25 0 0 0-.25.25v10.5c0 .14.11.25.25.25h8.5a.25.25 0 0 0 .25-.25V5.06a.25.25 0 0 0-.07-.18L10.12 2.57a.25.25 0 0 0-.18-.07H3.75ZM5 7.25A.75.75 0 0 1 5.75 6.5h4.5a.75.75 0 0 1 0 1.5h-4.5A.75.75 0 0 1 5 7.25Zm0 3a.75.75 0 0 1 .75-.75h4.5a.75.75 0 0 1 0 1.5h-4.5a.75.75 0 0 1-.75-.75Z" />
            </svg>
          }
          title="No behaviour specs yet"
          action={newSpec}
        >
          Write your first spec here, or push one from a terminal with{" "}
          <code className="font-mono">tt specs create --file spec.json</code>.
        </EmptyState>
      ) : items.length === 0 ? (
        <EmptyState title={`There is no page ${page}`} action={<Link href={PATH} className={buttonClasses()}>Go to the first page</Link>}>
          You have {plural(total, "spec")}; they fit on fewer pages.
        </EmptyState>
      ) : (
        <>
          <Table
            caption="Your behaviour specs, newest first"
            columns={[
              { label: "Name" },
              { label: "Base model", className: "hidden md:table-cell" },
              { label: "Examples", className: "text-right" },
              { label: "Updated", className: "hidden sm:table-cell" },
            ]}
          >
            {items.map((spec) => (
              <tr key={spec.id} className="group hover:bg-neutral-50 dark:hover:bg-neutral-900/60">
                <td className="max-w-0 px-4 py-3 sm:w-1/2">
                  <Link
                    href={`/specs/${spec.id}`}
                    className="font-medium text-neutral-900 underline-offset-4 wrap-anywhere hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 dark:text-neutral-100"
                  >
                    {spec.name}
                    <LinkPending />
                  </Link>
                  {spec.description ? (
                    <p className="mt-0.5 truncate text-neutral-500 dark:text-neutral-400">{spec.description}</p>
                  ) : null}
                  <p className="mt-1 truncate font-mono text-xs text-neutral-500 md:hidden dark:text-neutral-400">{spec.base_model}</p>
                  <p className="mt-0.5 text-xs text-neutral-500 sm:hidden dark:text-neutral-400">
                    Updated <LocalTime iso={spec.updated_at} format="relative" />
                  </p>
                </td>
                <td className="hidden px-4 py-3 md:table-cell">
                  <code className="font-mono text-xs text-neutral-700 dark:text-neutral-300">{spec.base_model}</code>
                </td>
                <td className="px-4 py-3 text-right tabular-nums">{spec.examples.length.toLocaleString("en-US")}</td>
                <td className="hidden px-4 py-3 whitespace-nowrap text-neutral-600 sm:table-cell dark:text-neutral-400">
                  <LocalTime iso={spec.updated_at} format="relative" />
                </td>
              </tr>
            ))}
          </Table>
          <Pagination basePath={PATH} page={page} perPage={PER_PAGE} total={total} noun={total === 1 ? "spec" : "specs"} />
        </>
      )}
    </div>
  );
}
