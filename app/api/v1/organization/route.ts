import { requireSecondFactorCode } from "@/lib/account/second-factor-code";
import { methodNotAllowed, serve } from "@/lib/api/serve";
import type { Principal } from "@/lib/auth/principal";
import { requestActor } from "@/lib/auth/request-actor";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";
import { deleteOrganization, getOrganization, updateOrganization } from "@/lib/organizations/organizations";

// A service account's key has no role of its own to show (its service account's bounds it).
const roleOf = (principal: Principal) => (principal.serviceAccount ? null : principal.role);

// GET /api/v1/organization — the request's organization (Tt-Organization for a session; a key's own), with its policies
export const GET = serve(operations.getOrganization, ({ principal }) => getOrganization(db, { organizationId: principal.organization.id, role: roleOf(principal) }));

// PATCH /api/v1/organization — rename it or change its slug (org:write)
export const PATCH = serve(operations.updateOrganization, ({ principal, body, request }) =>
  updateOrganization(db, { organizationId: principal.organization.id, role: roleOf(principal), userId: principal.userId, ...body, actor: requestActor(principal, request) }),
);

// DELETE /api/v1/organization — delete it (session, owners only, its slug typed again, the second factor's code when the owner has one)
export const DELETE = serve(operations.deleteOrganization, ({ principal, body }) =>
  deleteOrganization(db, { organizationId: principal.organization.id, userId: principal.userId!, ...body, verifyCode: (code) => requireSecondFactorCode(principal.userId!, code) }),
);

export const { POST, PUT, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/organization"));
