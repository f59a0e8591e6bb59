import { methodNotAllowed, serve } from "@/lib/api/serve";
import { requestActor } from "@/lib/auth/request-actor";
import { wideningCheck } from "@/lib/auth/widening";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";
import { getOrganizationPolicy, updateOrganizationPolicy } from "@/lib/organizations/policy";

// GET /api/v1/organization/policy — the organization's policies
export const GET = serve(operations.getOrganizationPolicy, ({ principal }) => getOrganizationPolicy(db, { organizationId: principal.organization.id }));

// PATCH /api/v1/organization/policy — change some (org:write); tightening is in force for every key and session when this answers
export const PATCH = serve(operations.updateOrganizationPolicy, ({ principal, body, request }) =>
  updateOrganizationPolicy(db, {
    organizationId: principal.organization.id, userId: principal.userId, patch: body,
    actor: requestActor(principal, request),
    authorizeWidening: wideningCheck(principal),
  }),
);

export const { POST, PUT, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/organization/policy"));
