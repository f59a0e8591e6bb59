import { methodNotAllowed, serve } from "@/lib/api/serve";
import { requestActor } from "@/lib/auth/request-actor";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";
import { deleteServiceAccount } from "@/lib/organizations/service-accounts";

// DELETE /api/v1/organization/service-accounts/:id — delete it; from this response on, its keys get 403
export const DELETE = serve(operations.deleteServiceAccount, ({ principal, params, request }) =>
  deleteServiceAccount(db, { organizationId: principal.organization.id, id: params.id, actor: requestActor(principal, request) }),
);

export const { GET, POST, PUT, PATCH, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/organization/service-accounts/{id}"));
