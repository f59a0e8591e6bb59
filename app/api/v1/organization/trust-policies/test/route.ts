import { methodNotAllowed, serve } from "@/lib/api/serve";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";
import { issuerKeys } from "@/lib/oidc/issuer-keys";
import { testTrustPolicies } from "@/lib/oidc/trust-policies";

// POST /api/v1/organization/trust-policies/test — which trust policy a token (or claims) would match, and why
export const POST = serve(operations.testTrustPolicies, ({ principal, body }) =>
  testTrustPolicies(db, { organizationId: principal.organization.id, role: principal.role, input: body, keys: issuerKeys, nowSeconds: Math.floor(Date.now() / 1000) }),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/organization/trust-policies/test"));
