import { listAuditEvents } from "@/lib/activity/audit";
import { methodNotAllowed, serve } from "@/lib/api/serve";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";

// GET /api/v1/audit-events — the organization's security log, newest first (filter by key and time)
export const GET = serve(operations.listAuditEvents, ({ principal, query, requestId }) =>
  listAuditEvents(db, {
    requestId,
    organizationId: principal.organization.id,
    page: query.page,
    perPage: query.per_page,
    keyId: query.key_id,
    since: query.since,
    until: query.until,
  }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/audit-events"));
