import { methodNotAllowed, serve } from "@/lib/api/serve";
import { requestActor } from "@/lib/auth/request-actor";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";
import { createServiceAccount, listServiceAccounts } from "@/lib/organizations/service-accounts";

// GET /api/v1/organization/service-accounts — the organization's live service accounts, oldest first
export const GET = serve(operations.listServiceAccounts, ({ principal, query, requestId }) =>
  listServiceAccounts(db, { organizationId: principal.organization.id, page: query.page, perPage: query.per_page, requestId }),
);

// POST /api/v1/organization/service-accounts — create one (owners and admins)
export const POST = serve(operations.createServiceAccount, ({ principal, body, request }) =>
  createServiceAccount(db, {
    organizationId: principal.organization.id,
    role: principal.role,
    creatorId: principal.userId,
    actor: requestActor(principal, request),
    input: body,
  }),
);

export const { PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/organization/service-accounts"));
