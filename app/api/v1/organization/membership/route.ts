import { methodNotAllowed, serve } from "@/lib/api/serve";
import { requestActor } from "@/lib/auth/request-actor";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";
import { leaveOrganization } from "@/lib/organizations/members";

// DELETE /api/v1/organization/membership — leave the organization (session); your keys in it are revoked when this answers
export const DELETE = serve(operations.leaveOrganization, ({ principal, request }) =>
  leaveOrganization(db, { organizationId: principal.organization.id, personal: principal.organization.personal, userId: principal.userId!, actor: requestActor(principal, request) }),
);

export const { GET, POST, PUT, PATCH, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/organization/membership"));
