import { methodNotAllowed, serve } from "@/lib/api/serve";
import { requestActor } from "@/lib/auth/request-actor";
import { wideningCheck } from "@/lib/auth/widening";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";
import { deleteServiceAccount, updateServiceAccount } from "@/lib/organizations/service-accounts";

// PATCH /api/v1/organization/service-accounts/:id — change its limits; lowered ones are in force when this answers
export const PATCH = serve(operations.updateServiceAccount, ({ principal, params, body, request }) =>
  updateServiceAccount(db, {
    organizationId: principal.organization.id,
    role: principal.role,
    id: params.id,
    actor: requestActor(principal, request),
    input: body,
    authorizeWidening: wideningCheck(principal),
  }),
);

// DELETE /api/v1/organization/service-accounts/:id — delete it; from this response on, its keys get 403
export const DELETE = serve(operations.deleteServiceAccount, ({ principal, params, request }) =>
  deleteServiceAccount(db, { organizationId: principal.organization.id, id: params.id, actor: requestActor(principal, request) }),
);

export const { GET, POST, PUT, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/organization/service-accounts/{id}"));
