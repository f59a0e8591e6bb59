import { methodNotAllowed, serve } from "@/lib/api/serve";
import { createApiKey, listApiKeys } from "@/lib/api-keys/service";
import { keyReach, memberKey } from "@/lib/auth/reach";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";

// GET /api/v1/api-keys — the keys the caller reaches in its organization, newest first (never the key or its hash)
export const GET = serve(operations.listApiKeys, ({ principal, query, requestId }) =>
  listApiKeys(db, { reach: keyReach(principal), page: query.page, perPage: query.per_page, requestId }),
);

// POST /api/v1/api-keys — create a key; the response is the only time the full key is sent
// (session only, confirmed with Supabase Auth: the contract's credentials and mintsCredential)
// in the request's organization, as the caller's role and its policy allow
export const POST = serve(operations.createApiKey, ({ principal, body, request }) => createApiKey(db, memberKey(principal, body, request)));

export const { PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/api-keys"));
