import { methodNotAllowed, serve } from "@/lib/api/serve";
import { revokeApiKey, updateApiKey } from "@/lib/api-keys/service";
import { keyReach } from "@/lib/auth/reach";
import { requestActor } from "@/lib/auth/request-actor";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";

// PATCH /api/v1/api-keys/:id — rename a key or narrow its scopes (session only; never widen)
export const PATCH = serve(operations.updateApiKey, ({ principal, params, body, request }) =>
  updateApiKey(db, { reach: keyReach(principal), id: params.id, actor: requestActor(principal, request), ...body }),
);

// DELETE /api/v1/api-keys/:id — revoke a key; from this response on, it gets 403
// (by a session: "by owner"; by a key: "by key", and the audit event names which key)
export const DELETE = serve(operations.revokeApiKey, ({ principal, params, request }) =>
  revokeApiKey(db, { reach: keyReach(principal), id: params.id, actor: requestActor(principal, request) }),
);

export const { GET, POST, PUT, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/api-keys/{id}"));
