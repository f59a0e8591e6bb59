import { methodNotAllowed, serve } from "@/lib/api/serve";
import { requestActor } from "@/lib/auth/request-actor";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";
import { createInvitation, listInvitations } from "@/lib/organizations/invitations";

// GET /api/v1/organization/invitations — every invitation of the organization, newest first (owners and admins)
export const GET = serve(operations.listInvitations, ({ principal, query, requestId }) =>
  listInvitations(db, { organizationId: principal.organization.id, page: query.page, perPage: query.per_page, requestId }),
);

// POST /api/v1/organization/invitations — invite by e-mail; the link (its token) is only in the mail
export const POST = serve(operations.createInvitation, ({ principal, body, request }) =>
  createInvitation(db, {
    organization: principal.organization,
    inviter: { userId: principal.userId, email: principal.email, serviceAccountName: principal.serviceAccount?.name ?? null, role: principal.role },
    actor: requestActor(principal, request),
    input: body,
  }),
);

export const { PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/organization/invitations"));
