import { methodNotAllowed, serve } from "@/lib/api/serve";
import { requestActor } from "@/lib/auth/request-actor";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { createTrustPolicy, listTrustPolicies } from "@/lib/oidc/trust-policies";

// GET /api/v1/organization/service-accounts/:id/trust-policies — its live trust policies (owners and admins)
export const GET = serve(operations.listTrustPolicies, ({ principal, params, requestId }) =>
  listTrustPolicies(db, { organizationId: principal.organization.id, role: principal.role, serviceAccountId: params.id, requestId }),
);

// POST /api/v1/organization/service-accounts/:id/trust-policies — let CI jobs trade their OIDC token for its keys
export const POST = serve(operations.createTrustPolicy, ({ principal, params, body, request }) =>
  createTrustPolicy(db, {
    organizationId: principal.organization.id,
    role: principal.role,
    creatorId: principal.userId,
    actor: requestActor(principal, request),
    serviceAccountId: params.id,
    input: body,
    appUrl: env.APP_URL,
    allowLoopbackIssuers: env.OIDC_ALLOW_LOOPBACK_ISSUERS,
  }),
);

export const { PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/organization/service-accounts/{id}/trust-policies"));
