import { methodNotAllowed, serve } from "@/lib/api/serve";
import { revokeApiKey } from "@/lib/api-keys/service";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";

// DELETE /api/v1/api-keys/:id — revoke a key; from this response on, it gets 403
export const DELETE = serve(operations.revokeApiKey, ({ principal, params }) => revokeApiKey(db, { userId: principal.userId, id: params.id }));

export const { GET, POST, PUT, PATCH, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/api-keys/{id}"));
