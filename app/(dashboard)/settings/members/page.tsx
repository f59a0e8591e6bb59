import type { Metadata } from "next";

import { OrganizationBlocked } from "@/components/organization-blocked";
import { requirePageSession } from "@/lib/auth/page-session";
import { db } from "@/lib/db";
import { listInvitations } from "@/lib/organizations/invitations";
import { listMembers } from "@/lib/organizations/members";

import { MembersManager } from "./members-manager";

export const metadata: Metadata = { title: "Members" };

const PATH = "/settings/members";
// One page holds a team; beyond it the table says how many more there are.
const PER_PAGE = 100;

/**
 * Settings → Members: who belongs to the organization shown, with their role; for owners
 * and admins (members:write), changing roles, removing, inviting and the invitations. Read
 * with the services GET /api/v1/organization/members and …/invitations call; every change
 * goes through the API, then refreshes this page.
 */
export default async function MembersPage() {
  const user = await requirePageSession(PATH);
  const { workspace } = user;
  if (workspace.blocked) return <OrganizationBlocked title="Members" reason={workspace.blocked} />;
  const organizationId = workspace.organization.id;
  const canManage = workspace.scopes.includes("members:write");
  const [members, invitations] = await Promise.all([
    listMembers(db, { organizationId, page: 1, perPage: PER_PAGE }),
    canManage && !workspace.organization.personal ? listInvitations(db, { organizationId, page: 1, perPage: PER_PAGE }) : null,
  ]);

  return (
    <MembersManager
      organization={{ name: workspace.organization.name, personal: workspace.organization.personal }}
      me={{ userId: user.id, role: workspace.role }}
      canManage={canManage}
      members={members.items}
      moreMembers={Math.max(0, members.total - members.items.length)}
      invitations={invitations?.items ?? null}
    />
  );
}
