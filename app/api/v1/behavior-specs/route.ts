import { methodNotAllowed, serve } from "@/lib/api/serve";
import { createBehaviorSpec, listBehaviorSpecs } from "@/lib/behavior-specs/service";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";

// GET /api/v1/behavior-specs — the organization's specs, newest first
export const GET = serve(operations.listBehaviorSpecs, ({ principal, query, requestId }) =>
  listBehaviorSpecs(db, { organizationId: principal.organization.id, page: query.page, perPage: query.per_page, requestId }),
);

// POST /api/v1/behavior-specs — create a spec
export const POST = serve(operations.createBehaviorSpec, ({ principal, body }) => createBehaviorSpec(db, { organizationId: principal.organization.id, createdBy: principal.userId, ...body }));

export const { PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/behavior-specs"));
