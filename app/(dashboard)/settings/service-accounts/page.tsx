import type { Metadata } from "next";

import { OrganizationBlocked } from "@/components/organization-blocked";
import { requirePageSession } from "@/lib/auth/page-session";
import { db } from "@/lib/db";
import { listServiceAccounts } from "@/lib/organizations/service-accounts";

import { ServiceAccountsManager } from "./service-accounts-manager";

export const metadata: Metadata = { title: "Service accounts" };

const PATH = "/settings/service-accounts";
const PER_PAGE = 100;

/**
 * Settings → Service accounts: the organization's named non-human members, whose keys outlive
 * whoever made them. Listed for every member; created, deleted and given keys by owners and
 * admins (members:write), through the API.
 */
export default async function ServiceAccountsPage() {
  const user = await requirePageSession(PATH);
  const { workspace } = user;
  if (workspace.blocked) return <OrganizationBlocked title="Service accounts" reason={workspace.blocked} />;
  const { items, total } = await listServiceAccounts(db, { organizationId: workspace.organization.id, page: 1, perPage: PER_PAGE });
  return (
    <ServiceAccountsManager
      organizationName={workspace.organization.name}
      canManage={workspace.scopes.includes("members:write")}
      serviceAccounts={items}
      more={Math.max(0, total - items.length)}
    />
  );
}
