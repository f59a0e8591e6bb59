import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { z } from "zod";

import { OrganizationBlocked } from "@/components/organization-blocked";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { requirePageSession } from "@/lib/auth/page-session";
import { ROLE_SCOPES } from "@/lib/contract/organizations";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { listServiceAccounts } from "@/lib/organizations/service-accounts";

import { TrustPoliciesManager } from "./trust-policies-manager";

type Params = Promise<{ id: string }>;

/** The service account, or notFound(): a malformed id, an unknown one and another organization's end alike. */
const load = cache(async (id: string) => {
  const user = await requirePageSession(`/settings/service-accounts/${encodeURIComponent(id)}`);
  if (user.workspace.blocked || !z.guid().safeParse(id).success) return { user, account: null };
  // An organization has few service accounts: the list's first page holds them (the list page shows the same).
  const { items } = await listServiceAccounts(db, { organizationId: user.workspace.organization.id, page: 1, perPage: 100 });
  return { user, account: items.find((a) => a.id === id.toLowerCase()) ?? null };
});

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { account } = await load((await params).id);
  return { title: account ? `${account.name} — Service account` : "Service account" };
}

/**
 * Settings → Service accounts → one service account: its trust policies (keyless CI,
 * docs/CI.md), which let CI jobs trade their OIDC token for a short-lived key of it. Managed
 * by owners and admins (members:write) through the API, from the browser.
 */
export default async function ServiceAccountPage({ params }: { params: Params }) {
  const { user, account } = await load((await params).id);
  if (user.workspace.blocked) return <OrganizationBlocked title="Service accounts" reason={user.workspace.blocked} />;
  if (!account) notFound();
  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: "/settings/service-accounts", label: "Service accounts" }} current={account.name} />
      <TrustPoliciesManager
        account={{ id: account.id, name: account.name, role: account.role }}
        roleScopes={[...ROLE_SCOPES[account.role]]}
        canManage={user.workspace.scopes.includes("members:write")}
        appUrl={env.APP_URL}
      />
    </div>
  );
}
