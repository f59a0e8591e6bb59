import { methodNotAllowed, serve } from "@/lib/api/serve";
import { clientOf } from "@/lib/auth/failure-limiter";
import { createDeviceCode } from "@/lib/cli-login/device-codes";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

// POST /api/v1/cli/device-codes — start `tt auth login` through the browser (RFC 8628); no credentials, limited per client and in total
export const POST = serve(operations.createDeviceCode, ({ body, request }) =>
  createDeviceCode(db, {
    ...body,
    appUrl: env.APP_URL,
    limits: { client: clientOf(request), perClient: env.DEVICE_CODE_LIMIT, pendingMax: env.DEVICE_CODES_PENDING_MAX },
  }),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/cli/device-codes"));
