import { methodNotAllowed, serve } from "@/lib/api/serve";
import { requestActor } from "@/lib/auth/request-actor";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";
import { acceptInvitation } from "@/lib/organizations/invitations";

// POST /api/v1/invitations/accept — join the organization an invitation's link is for
// (session only: the signed-in account must have the invited address, confirmed)
export const POST = serve(operations.acceptInvitation, ({ principal, body, request }) =>
  acceptInvitation(db, { token: body.token, userId: principal.userId!, actor: requestActor(principal, request) }),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/invitations/accept"));
