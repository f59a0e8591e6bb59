import { methodNotAllowed, serve } from "@/lib/api/serve";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";
import { listMembers } from "@/lib/organizations/members";

// GET /api/v1/organization/members — the organization's members, oldest first
export const GET = serve(operations.listMembers, ({ principal, query }) =>
  listMembers(db, { organizationId: principal.organization.id, page: query.page, perPage: query.per_page }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/organization/members"));
