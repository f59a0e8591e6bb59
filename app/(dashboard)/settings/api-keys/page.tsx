import type { Metadata } from "next";

import { OrganizationBlocked } from "@/components/organization-blocked";
import { Pagination, pageParam } from "@/components/ui/pagination";
import { listApiKeys } from "@/lib/api-keys/service";
import { keyReach } from "@/lib/auth/reach";
import { db } from "@/lib/db";
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
  const { items, total } = await listApiKeys(db, { reach: keyReach(user.workspace), page, perPage: PER_PAGE });
  // Status as of now: an expired key says so without anyone revoking it.
  const keys: ApiKeyRow[] = withStatus(items);

  return (
    <ApiKeysManager
      keys={keys}
      anyKeys={total > 0}
      pagination={<Pagination basePath={PATH} page={page} perPage={PER_PAGE} total={total} noun={total === 1 ? "key" : "keys"} />}
    />
  );
}
