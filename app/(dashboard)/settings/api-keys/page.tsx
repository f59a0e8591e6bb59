import type { Metadata } from "next";

import { OrganizationBlocked } from "@/components/organization-blocked";
import { Pagination, pageParam } from "@/components/ui/pagination";
import { listApiKeys } from "@/lib/api-keys/service";
import { keyReach } from "@/lib/auth/reach";
import { db } from "@/lib/db";
import { mintableScopes } from "@/lib/organizations/key-power";
import { listMembers } from "@/lib/organizations/members";
import { listServiceAccounts } from "@/lib/organizations/service-accounts";
import { withStatus } from "@/lib/ui/api-key-status";

import { requirePageSession } from "@/lib/auth/page-session";
import { ApiKeysManager, type ApiKeyRow } from "./api-keys-manager";

export const metadata: Metadata = { title: "API keys" };

const PER_PAGE = 20;
const PATH = "/settings/api-keys";

export default async function ApiKeysPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageSession(PATH);
  // Nothing of the organization's, and no "Create API key": the API would refuse both.
  if (user.workspace.blocked) return <OrganizationBlocked title="API keys" reason={user.workspace.blocked} />;
  const page = pageParam((await searchParams).page);
  // The same service function GET /api/v1/api-keys calls, for this render; every change
  // goes through the API (fetch, session cookie) and then refreshes this page.
  const organizationId = user.workspace.organization.id;
  const [{ items, total }, members, serviceAccounts] = await Promise.all([
    listApiKeys(db, { reach: keyReach(user.workspace), page, perPage: PER_PAGE }),
    listMembers(db, { organizationId, page: 1, perPage: 100 }),
    listServiceAccounts(db, { organizationId, page: 1, perPage: 100 }),
  ]);
  // Who holds each key, in words: a member's address ("you" for the user's own) or a service account's name.
  const names = new Map<string, string>([
    ...members.items.map((member) => [member.user.id, member.user.id === user.id ? "You" : (member.user.email ?? "A deleted account")] as const),
    ...serviceAccounts.items.map((account) => [account.id, `Service account “${account.name}”`] as const),
  ]);
  // Status as of now: an expired key says so without anyone revoking it.
  const keys: ApiKeyRow[] = withStatus(items).map((key) => ({
    ...key,
    holderLabel: names.get(key.holder.id) ?? (key.holder.type === "member" ? "A former member" : "A deleted service account"),
  }));
  const { organization, role } = user.workspace;

  return (
    <ApiKeysManager
      keys={keys}
      anyKeys={total > 0}
      canCreate={organization.keyCreatorRoles.includes(role)}
      allowedScopes={mintableScopes(role, organization.memberKeyScopes)}
      organizationName={organization.personal ? null : organization.name}
      pagination={<Pagination basePath={PATH} page={page} perPage={PER_PAGE} total={total} noun={total === 1 ? "key" : "keys"} />}
    />
  );
}
