import { methodNotAllowed, serve } from "@/lib/api/serve";
import { requestActor } from "@/lib/auth/request-actor";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";
import { removeMember, updateMember } from "@/lib/organizations/members";

// PATCH /api/v1/organization/members/:user_id — change a member's role (members:write; admins not an owner's, nor to owner)
export const PATCH = serve(operations.updateMember, ({ principal, params, body, request }) =>
  updateMember(db, { organizationId: principal.organization.id, userId: params.user_id, role: body.role, ...manager(principal, request) }),
);

// DELETE /api/v1/organization/members/:user_id — remove a member; their keys here are revoked when this answers
export const DELETE = serve(operations.removeMember, ({ principal, params, request }) =>
  removeMember(db, { organizationId: principal.organization.id, userId: params.user_id, ...manager(principal, request) }),
);

const manager = (principal: Parameters<typeof requestActor>[0], request: Request) => ({ actorRole: principal.role, actor: requestActor(principal, request) });

export const { GET, POST, PUT, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/organization/members/{user_id}"));
