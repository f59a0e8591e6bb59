import { getKeyUsage } from "@/lib/api-keys/key-usage";
import { methodNotAllowed, serve } from "@/lib/api/serve";
import { keyReach } from "@/lib/auth/reach";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";

// GET /api/v1/api-keys/:id/usage — one key's requests per day or hour by outcome, last IP and user agent
export const GET = serve(operations.getApiKeyUsage, ({ principal, params, query }) =>
  getKeyUsage(db, { reach: keyReach(principal), id: params.id, days: query.days, granularity: query.granularity }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/api-keys/{id}/usage"));
