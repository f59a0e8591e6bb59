import { methodNotAllowed, serve } from "@/lib/api/serve";
import { createApiKey, listApiKeys } from "@/lib/api-keys/service";
import { requestActor } from "@/lib/auth/request-actor";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";

// GET /api/v1/api-keys — list the caller's keys, newest first (never the key or its hash)
export const GET = serve(operations.listApiKeys, ({ principal, query, requestId }) =>
  listApiKeys(db, { userId: principal.userId, page: query.page, perPage: query.per_page, requestId }),
);

// POST /api/v1/api-keys — create a key; the response is the only time the full key is sent
// (session only, confirmed with Supabase Auth: the contract's credentials and mintsCredential)
export const POST = serve(operations.createApiKey, ({ principal, body, request }) =>
  createApiKey(db, { userId: principal.userId, actor: requestActor(principal, request), ...body }),
);

export const { PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/api-keys"));
