import { methodNotAllowed, serve } from "@/lib/api/serve";
import { requestActor } from "@/lib/auth/request-actor";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";
import { revokeInvitation } from "@/lib/organizations/invitations";

// DELETE /api/v1/organization/invitations/:id — revoke an invitation; its link stops working (idempotent)
export const DELETE = serve(operations.revokeInvitation, ({ principal, params, request }) =>
  revokeInvitation(db, { organizationId: principal.organization.id, id: params.id, actor: requestActor(principal, request) }),
);

export const { GET, POST, PUT, PATCH, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/organization/invitations/{id}"));
