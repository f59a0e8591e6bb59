import { ok } from "@/lib/api/envelope";
import { idParam } from "@/lib/api/params";
import { methodNotAllowed, withAuth } from "@/lib/api/with-auth";
import { revokeApiKey } from "@/lib/api-keys/service";
import { db } from "@/lib/db";

// DELETE /api/v1/api-keys/:id — revoke a key; from this response on, it gets 403
export const DELETE = withAuth(
  async (_request, { principal, params }) => ok(await revokeApiKey(db, { userId: principal.userId, id: params.id })),
  { params: idParam },
);

export const { GET, POST, PUT, PATCH, OPTIONS } = methodNotAllowed(["DELETE"]);
