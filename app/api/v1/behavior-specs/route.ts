import { methodNotAllowed, serve } from "@/lib/api/serve";
import { createBehaviorSpec, listBehaviorSpecs } from "@/lib/behavior-specs/service";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";

// GET /api/v1/behavior-specs — list the caller's specs, newest first
export const GET = serve(operations.listBehaviorSpecs, ({ principal, query, requestId }) =>
  listBehaviorSpecs(db, { userId: principal.userId, page: query.page, perPage: query.per_page, requestId }),
);

// POST /api/v1/behavior-specs — create a spec
export const POST = serve(operations.createBehaviorSpec, ({ principal, body }) => createBehaviorSpec(db, { userId: principal.userId, ...body }));

export const { PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/behavior-specs"));
