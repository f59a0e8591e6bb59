import { methodNotAllowed, serve } from "@/lib/api/serve";
import { requestActor } from "@/lib/auth/request-actor";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";
import { createServiceAccountKey } from "@/lib/organizations/service-accounts";

// POST /api/v1/organization/service-accounts/:id/keys — a key held by the service account; the
// response is the only time the full key is sent (session only, confirmed with Supabase Auth)
export const POST = serve(operations.createServiceAccountKey, ({ principal, params, body, request }) =>
  createServiceAccountKey(db, {
    organization: principal.organization,
    role: principal.role,
    id: params.id,
    actor: requestActor(principal, request),
    input: body,
  }),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/organization/service-accounts/{id}/keys"));
