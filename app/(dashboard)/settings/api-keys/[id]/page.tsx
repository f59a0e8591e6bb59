import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import type { ReactNode } from "react";
import { cache } from "react";
import { z } from "zod";

import { AuditEventList } from "@/components/activity/audit-event-list";
import { UsageChart } from "@/components/activity/usage-chart";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { LimitsUse } from "@/components/usage-limits/limits-use";
import { listAuditEvents } from "@/lib/activity/audit";
import { getKeyUsage } from "@/lib/api-keys/key-usage";
import { getApiKey } from "@/lib/api-keys/service";
import { keyReach } from "@/lib/auth/reach";
import { requirePageSession } from "@/lib/auth/page-session";
import { SCOPES } from "@/lib/contract";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/domain-errors";
import { getOrganizationPolicy } from "@/lib/organizations/policy";
import { accessLabel } from "@/lib/ui/api-key-scopes";
import { STATUS_BADGE, withStatus } from "@/lib/ui/api-key-status";
import { mintedByFacts } from "@/lib/ui/minted-by";
import { limitsText } from "@/lib/ui/usage-limits";

import { KeyLimitsEditor } from "./key-limits-editor";

type Params = Promise<{ id: string }>;
const EVENTS = 20;

/**
 * One of the signed-in user's keys, or notFound(): a malformed id, an unknown one and
 * someone else's key all end in the same 404, as the API answers. cache(): the metadata
 * and the page share one query.
 */
const loadKey = cache(async (id: string) => {
  const user = await requirePageSession(`/settings/api-keys/${encodeURIComponent(id)}`);
  // The list says why the organization's keys are out of reach (its two-factor policy).
  if (user.workspace.blocked) redirect("/settings/api-keys");
  if (!z.guid().safeParse(id).success) notFound();
  try {
    return { user, key: await getApiKey(db, { reach: keyReach(user.workspace), id }) };
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not_found") notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { key } = await loadKey((await params).id);
  return { title: `${key.name} — API key` };
}


function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-neutral-600 dark:text-neutral-400">{term}</dt>
      <dd className="mt-0.5 text-sm wrap-anywhere text-neutral-900 dark:text-neutral-100">{children}</dd>
    </div>
  );
}

/**
 * Settings → API Keys → one key: its requests over the last 30 days (a chart drawn on the
 * server, with the same numbers as a table), where it was last used from, what it may do
 * and what it did, and its events. The same services the API's usage and audit-event
 * operations call; nothing here runs in the browser but the local times.
 */
export default async function ApiKeyPage({ params }: { params: Params }) {
  const { user, key } = await loadKey((await params).id);
  // The organization's trail is for roles with activity:read (owners, admins), as in the API.
  const readsTrail = user.workspace.scopes.includes("activity:read");
  const [usage, events, policy] = await Promise.all([
    getKeyUsage(db, { reach: keyReach(user.workspace), id: key.id, days: 30, granularity: "day" }),
    readsTrail ? listAuditEvents(db, { organizationId: user.workspace.organization.id, keyId: key.id, page: 1, perPage: EVENTS }) : null,
    getOrganizationPolicy(db, { organizationId: user.workspace.organization.id }),
  ]);
  // Who may change the key's limits: whoever may change the key (keys:write reaches it);
  // the API decides the rest (raising asks for the session's second factor).
  const editsLimits = user.workspace.scopes.includes("keys:write") && !key.revoked_at;
  const effective = key.effective_limits;
  const status = STATUS_BADGE[withStatus([key])[0]!.status];
  const t = usage.totals;
  const failed = t.client_error + t.server_error + t.refused;

  return (
    <div className="space-y-8">
      <div className="space-y-3">
        <Breadcrumb parent={{ href: "/settings/api-keys", label: "API keys" }} current={key.name} />
        <PageHeader
          title={key.name}
          eyebrow={<code className="font-mono">{key.key_prefix}…</code>}
          description={<Badge tone={status.tone}>{status.label}</Badge>}
        />
      </div>

      <section aria-labelledby="usage-heading" className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="usage-heading" className="text-lg font-semibold text-neutral-900 dark:text-neutral-50">Requests, last 30 days</h2>
          <p className="text-sm text-neutral-600 dark:text-neutral-400" data-testid="usage-totals">
            {t.success} succeeded · {failed} failed ({t.client_error} client errors, {t.server_error} server errors, {t.refused} refused) · {t.limited} limited
          </p>
        </div>
        <UsageChart usage={usage} />
        <p className="text-xs text-neutral-600 dark:text-neutral-400">Days in UTC. Counted by each server and written once a minute, so the last minute may not show yet.</p>
      </section>

      <section aria-labelledby="limits-heading" className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="limits-heading" className="text-lg font-semibold text-neutral-900 dark:text-neutral-50">Limits</h2>
          <p className="text-sm text-neutral-600 dark:text-neutral-400" data-testid="key-limits">
            {effective.source === "key"
              ? `Its own: ${limitsText(effective)}`
              : effective.source === "organization"
                ? `Organization default: ${limitsText(effective)}`
                : "No limits"}
          </p>
        </div>
        {key.holder.type === "service_account" ? (
          <p className="text-sm text-neutral-600 dark:text-neutral-400">Its service account&apos;s limits apply too, shared by all its keys (Settings → Service accounts).</p>
        ) : null}
        {usage.limits.length > 0 ? <LimitsUse limits={usage.limits} /> : null}
        {editsLimits ? <KeyLimitsEditor keyId={key.id} keyName={key.name} own={key.limits} organizationDefault={policy.default_key_limits} /> : null}
      </section>

      <section aria-labelledby="details-heading" className="space-y-3">
        <h2 id="details-heading" className="text-lg font-semibold text-neutral-900 dark:text-neutral-50">Details</h2>
        <dl className="grid gap-4 rounded-xl border border-neutral-200 p-4 sm:grid-cols-2 dark:border-neutral-800">
          <Fact term="Created"><LocalTime iso={key.created_at} /></Fact>
          <Fact term="Last used">{key.last_used_at ? <LocalTime iso={key.last_used_at} format="relative" /> : "Never"}</Fact>
          <Fact term="Last address">{usage.last_ip ?? "—"}</Fact>
          <Fact term="Last user agent">{usage.last_user_agent ?? "—"}</Fact>
          <Fact term="Expires">{key.expires_at ? <LocalTime iso={key.expires_at} /> : "Never"}</Fact>
          <Fact term="Access">{accessLabel(key.scopes)}</Fact>
          {key.minted_by ? (
            <Fact term="Minted for a CI run">
              <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs" data-testid="key-minted-by">
                {mintedByFacts(key.minted_by).map((fact) => (
                  <div key={fact.label} className="contents">
                    <dt className="text-neutral-600 dark:text-neutral-400">{fact.label}</dt>
                    <dd className="font-mono wrap-anywhere">{fact.value}</dd>
                  </div>
                ))}
              </dl>
              <span className="mt-1 block text-xs text-neutral-600 dark:text-neutral-400">By its service account&apos;s trust policy; disabling or deleting the policy stops this key.</span>
            </Fact>
          ) : null}
          <Fact term="Scopes">
            <ul className="flex flex-wrap gap-1.5" aria-label="Scopes and whether each was used in the last 30 days">
              {SCOPES.filter((s) => key.scopes.includes(s)).map((s) => (
                <li key={s}>
                  <Badge tone={key.scopes_used.includes(s) ? "green" : "neutral"}>
                    {s}
                    <span className="font-normal">{key.scopes_used.includes(s) ? " · used" : " · unused"}</span>
                  </Badge>
                </li>
              ))}
            </ul>
          </Fact>
        </dl>
      </section>

      {events ? (
      <section aria-labelledby="events-heading" className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="events-heading" className="text-lg font-semibold text-neutral-900 dark:text-neutral-50">Events</h2>
          {events.total > EVENTS ? (
            <Link href={`/settings/security-log?key=${key.id}`} className="text-sm underline underline-offset-4">
              All {events.total} events in the security log
            </Link>
          ) : null}
        </div>
        <AuditEventList events={events.items} linkKeys={false} />
      </section>
      ) : null}
    </div>
  );
}
