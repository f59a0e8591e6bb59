import { methodNotAllowed, serve } from "@/lib/api/serve";
import { requestActor } from "@/lib/auth/request-actor";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";
import { deleteTrustPolicy, updateTrustPolicy } from "@/lib/oidc/trust-policies";

// PATCH /api/v1/organization/trust-policies/:id — change it; disabled, every key it minted gets 403 from this response on
export const PATCH = serve(operations.updateTrustPolicy, ({ principal, params, body, request }) =>
  updateTrustPolicy(db, { organizationId: principal.organization.id, role: principal.role, id: params.id, actor: requestActor(principal, request), input: body }),
);

// DELETE /api/v1/organization/trust-policies/:id — delete it; every key it minted gets 403 from this response on
export const DELETE = serve(operations.deleteTrustPolicy, ({ principal, params, request }) =>
  deleteTrustPolicy(db, { organizationId: principal.organization.id, role: principal.role, id: params.id, actor: requestActor(principal, request) }),
);

export const { GET, POST, PUT, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/organization/trust-policies/{id}"));
