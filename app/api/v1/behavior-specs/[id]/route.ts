import { readJsonBody } from "@/lib/api/body";
import { ok } from "@/lib/api/envelope";
import { idParam } from "@/lib/api/params";
import { methodNotAllowed, withAuth } from "@/lib/api/with-auth";
import { updateBehaviorSpecInput } from "@/lib/behavior-specs/schema";
import { deleteBehaviorSpec, getBehaviorSpec, updateBehaviorSpec } from "@/lib/behavior-specs/service";
import { db } from "@/lib/db";

// GET /api/v1/behavior-specs/:id — one of the caller's specs
export const GET = withAuth(
  async (_request, { principal, params }) => ok(await getBehaviorSpec(db, { userId: principal.userId, id: params.id })),
  { params: idParam },
);

// PATCH /api/v1/behavior-specs/:id — change the given fields; the others keep their values
export const PATCH = withAuth(
  async (request, { principal, params }) => {
    const patch = await readJsonBody(request, updateBehaviorSpecInput);
    return ok(await updateBehaviorSpec(db, { userId: principal.userId, id: params.id, patch }));
  },
  { params: idParam },
);

// DELETE /api/v1/behavior-specs/:id — delete a spec for good; answers with what was deleted
export const DELETE = withAuth(
  async (_request, { principal, params }) => ok(await deleteBehaviorSpec(db, { userId: principal.userId, id: params.id })),
  { params: idParam },
);

export const { POST, PUT, OPTIONS } = methodNotAllowed(["GET", "PATCH", "DELETE"]);
