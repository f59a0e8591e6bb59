import type { Metadata } from "next";

import { AuditEventList } from "@/components/activity/audit-event-list";
import { OrganizationBlocked } from "@/components/organization-blocked";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination, pageParam } from "@/components/ui/pagination";
import { listAuditEvents } from "@/lib/activity/audit";
import { listApiKeys } from "@/lib/api-keys/service";
import { keyReach } from "@/lib/auth/reach";
import { requirePageSession } from "@/lib/auth/page-session";
import { db } from "@/lib/db";
import { securityLogFilter } from "@/lib/ui/security-log-filter";

export const metadata: Metadata = { title: "Security log" };

const PER_PAGE = 25;
const PATH = "/settings/security-log";

/**
 * Settings → Security log: the caller's audit events, newest first, filtered by key and by
 * day with a plain GET form — no client JavaScript; the same service GET /api/v1/audit-events calls.
 */
export default async function SecurityLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageSession(PATH);
  if (user.workspace.blocked) return <OrganizationBlocked title="Security log" reason={user.workspace.blocked} />;
  // The organization's trail is for roles with activity:read (owners, admins), as in the API.
  if (!user.workspace.scopes.includes("activity:read")) {
    return (
      <div className="space-y-6">
        <PageHeader title="Security log" />
        <EmptyState title="Only owners and admins read this organization's security log">
          Your role in {user.workspace.organization.name} is {user.workspace.role}. Your own keys, and what they did, are in Settings → API Keys.
        </EmptyState>
      </div>
    );
  }
  const params = await searchParams;
  const page = pageParam(params.page);
  const filter = securityLogFilter(params);
  const [{ items, total }, keys] = await Promise.all([
    listAuditEvents(db, { organizationId: user.workspace.organization.id, page, perPage: PER_PAGE, keyId: filter.keyId, since: filter.since, until: filter.until }),
    listApiKeys(db, { reach: keyReach(user.workspace), page: 1, perPage: 100 }),
  ]);
  const field = "mt-1 block w-full rounded-md border border-neutral-300 bg-white px-2.5 py-1.5 text-sm text-neutral-900 dark:border-neutral-700 dark:bg-neutral-900 dark:text-neutral-100";
  const label = "text-sm font-medium text-neutral-800 dark:text-neutral-200";

  return (
    <div className="space-y-6">
      <PageHeader
        title="Security log"
        description="Every change to your API keys — created, renamed, narrowed, rolled, revoked, and by whom — newest first. Kept 400 days."
      />
      <form method="get" action={PATH} className="grid gap-3 rounded-xl border border-neutral-200 p-4 sm:grid-cols-[1fr_auto_auto_auto] sm:items-end dark:border-neutral-800" aria-label="Filter the log">
        <div>
          <label htmlFor="log-key" className={label}>Key</label>
          <select id="log-key" name="key" defaultValue={filter.keyId ?? ""} className={field}>
            <option value="">All keys and sign-ins</option>
            {keys.items.map((key) => (
              <option key={key.id} value={key.id}>
                {key.name} ({key.key_prefix}…)
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="log-from" className={label}>From</label>
          <input id="log-from" name="from" type="date" defaultValue={filter.from ?? ""} className={field} />
        </div>
        <div>
          <label htmlFor="log-to" className={label}>To</label>
          <input id="log-to" name="to" type="date" defaultValue={filter.to ?? ""} className={field} />
        </div>
        <button type="submit" className={buttonClasses({ variant: "secondary", size: "md" })}>
          Filter
        </button>
      </form>
      {filter.invalid ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {filter.invalid}
        </p>
      ) : null}
      {items.length === 0 ? (
        <EmptyState title={filter.active ? "No events match this filter" : "No events yet"}>
          {filter.active ? "Try another key or a wider range of days." : "Creating, changing or revoking an API key is recorded here."}
        </EmptyState>
      ) : (
        <AuditEventList events={items} />
      )}
      <Pagination basePath={filter.basePath(PATH)} page={page} perPage={PER_PAGE} total={total} noun={total === 1 ? "event" : "events"} />
    </div>
  );
}
