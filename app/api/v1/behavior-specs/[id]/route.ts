import { methodNotAllowed, serve } from "@/lib/api/serve";
import { deleteBehaviorSpec, getBehaviorSpec, updateBehaviorSpec } from "@/lib/behavior-specs/service";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";

// GET /api/v1/behavior-specs/:id — one of the organization's specs
export const GET = serve(operations.getBehaviorSpec, ({ principal, params }) => getBehaviorSpec(db, { organizationId: principal.organization.id, id: params.id }));

// PATCH /api/v1/behavior-specs/:id — change the given fields; the others keep their values
export const PATCH = serve(operations.updateBehaviorSpec, ({ principal, params, body }) =>
  updateBehaviorSpec(db, { organizationId: principal.organization.id, id: params.id, patch: body }),
);

// DELETE /api/v1/behavior-specs/:id — delete a spec for good; answers with what was deleted
export const DELETE = serve(operations.deleteBehaviorSpec, ({ principal, params }) =>
  deleteBehaviorSpec(db, { organizationId: principal.organization.id, id: params.id }),
);

export const { POST, PUT, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/behavior-specs/{id}"));
