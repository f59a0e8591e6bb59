import { methodNotAllowed, serve } from "@/lib/api/serve";
import { rollApiKey } from "@/lib/api-keys/roll";
import { keyReach } from "@/lib/auth/reach";
import { requestActor } from "@/lib/auth/request-actor";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";

// POST /api/v1/api-keys/:id/roll — a new key now (shown once), the old one until its grace window ends (session only, at aal2 where required)
export const POST = serve(operations.rollApiKey, ({ principal, params, body, request }) =>
  rollApiKey(db, { reach: keyReach(principal), rollerId: principal.userId, id: params.id, actor: requestActor(principal, request), ...body }),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/api-keys/{id}/roll"));
