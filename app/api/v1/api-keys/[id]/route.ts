import { methodNotAllowed, serve } from "@/lib/api/serve";
import { revokeApiKey, updateApiKey } from "@/lib/api-keys/service";
import { keyReach } from "@/lib/auth/reach";
import { requestActor } from "@/lib/auth/request-actor";
import { wideningCheck } from "@/lib/auth/widening";
import { ApiError, methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";

// PATCH /api/v1/api-keys/:id — rename a key or narrow its scopes (session only; never widen), or
// change its limits (lower them with keys:write; raise or remove them signed in)
export const PATCH = serve(operations.updateApiKey, ({ principal, params, body, request }) => {
  if (principal.type !== "session" && (body.name !== undefined || body.scopes !== undefined)) {
    throw new ApiError(
      "forbidden",
      "API keys cannot change API keys' names or scopes; rename or narrow keys in the dashboard (Settings → API Keys). A key with keys:write may lower a key's limits",
    );
  }
  return updateApiKey(db, {
    reach: keyReach(principal),
    id: params.id,
    actor: requestActor(principal, request),
    authorizeWidening: wideningCheck(principal),
    ...body,
  });
});

// DELETE /api/v1/api-keys/:id — revoke a key; from this response on, it gets 403
// (by a session: "by owner"; by a key: "by key", and the audit event names which key)
export const DELETE = serve(operations.revokeApiKey, ({ principal, params, request }) =>
  revokeApiKey(db, { reach: keyReach(principal), id: params.id, actor: requestActor(principal, request) }),
);

export const { GET, POST, PUT, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/api-keys/{id}"));
