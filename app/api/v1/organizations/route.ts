import { methodNotAllowed, serve } from "@/lib/api/serve";
import { requestActor } from "@/lib/auth/request-actor";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";
import { createOrganization, listOrganizations } from "@/lib/organizations/organizations";

// GET /api/v1/organizations — the caller's organizations, the personal workspace first (a service account's key: its own)
export const GET = serve(operations.listOrganizations, ({ principal, query }) =>
  listOrganizations(db, { userId: principal.serviceAccount ? null : principal.userId, organizationId: principal.organization.id, page: query.page, perPage: query.per_page }),
);

// POST /api/v1/organizations — create one (session only); the caller becomes its owner
export const POST = serve(operations.createOrganization, ({ principal, body, request }) =>
  createOrganization(db, { userId: principal.userId!, name: body.name, slug: body.slug, actor: requestActor(principal, request) }),
);

export const { PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/organizations"));
