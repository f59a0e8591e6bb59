import { methodNotAllowed, serve } from "@/lib/api/serve";
import { systemActor } from "@/lib/activity/audit-actor";
import { revokeLeakedKeys } from "@/lib/api-keys/leaks";
import { requestOrigin } from "@/lib/http/request-origin";
import { clientOf } from "@/lib/auth/failure-limiter";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";
import { assertReportAllowed } from "@/lib/leaks/report-limiter";

// POST /api/v1/credentials/revoke — anyone hands in exposed keys; every live one is revoked; always 202, never says which existed
export const POST = serve(operations.revokeCredentials, async ({ request, body }) => {
  assertReportAllowed(clientOf(request));
  const origin = requestOrigin(request);
  await revokeLeakedKeys(db, body.credentials.map((token) => ({ token })), { by: "public_revocation", actor: systemActor(origin.ip, origin.userAgent) });
  return { received: body.credentials.length };
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/credentials/revoke"));
