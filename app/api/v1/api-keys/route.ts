import { readJsonBody } from "@/lib/api/body";
import { ok, page } from "@/lib/api/envelope";
import { parsePagination } from "@/lib/api/pagination";
import { methodNotAllowed, withAuth } from "@/lib/api/with-auth";
import { createApiKeyInput } from "@/lib/api-keys/schema";
import { createApiKey, listApiKeys } from "@/lib/api-keys/service";
import { db } from "@/lib/db";

// GET /api/v1/api-keys — list the caller's keys, newest first (never the key or its hash)
export const GET = withAuth(async (_request, { principal, searchParams }) => {
  const { page: pageNo, perPage } = parsePagination(searchParams);
  const { items, total } = await listApiKeys(db, { userId: principal.userId, page: pageNo, perPage });
  return page(items, { page: pageNo, per_page: perPage, total });
});

// POST /api/v1/api-keys — create a key; the response is the only time the full key is sent
export const POST = withAuth(
  async (request, { principal }) => {
    const input = await readJsonBody(request, createApiKeyInput);
    return ok(await createApiKey(db, { userId: principal.userId, ...input }), { status: 201 });
  },
  {
    // A leaked key must not be able to mint its own replacements and outlive revocation.
    allow: ["session"],
    mintsCredential: true,
    forbiddenMessage: "API keys cannot create API keys; create one in the dashboard (Settings → API Keys)",
  },
);

export const { PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(["GET", "POST"]);
