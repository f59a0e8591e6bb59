import type { Metadata } from "next";

import { OrganizationBlocked } from "@/components/organization-blocked";
import { requirePageSession } from "@/lib/auth/page-session";
import { hasVerifiedFactor } from "@/lib/auth/second-factor";
import { db } from "@/lib/db";
import { getOrganization } from "@/lib/organizations/organizations";

import { OrganizationSettings } from "./organization-settings";

export const metadata: Metadata = { title: "Organization" };

const PATH = "/settings/organization";

/**
 * Settings → Organization: its name and slug, its policies (editable with org:write,
 * read-only otherwise) and, for owners, deleting it. Read with the service GET
 * /api/v1/organization calls; changes go through the API.
 */
export default async function OrganizationPage() {
  const user = await requirePageSession(PATH);
  const { workspace } = user;
  if (workspace.blocked) return <OrganizationBlocked title="Organization" reason={workspace.blocked} />;
  const [organization, twoFactor] = await Promise.all([
    getOrganization(db, { organizationId: workspace.organization.id, role: workspace.role }),
    hasVerifiedFactor(db, user.id),
  ]);
  return <OrganizationSettings organization={organization} canWrite={workspace.scopes.includes("org:write")} hasTwoFactor={twoFactor} />;
}
