import { methodNotAllowed, serve } from "@/lib/api/serve";
import { clientOf } from "@/lib/auth/failure-limiter";
import { requestOrigin } from "@/lib/http/request-origin";
import { exchangeDeviceCode } from "@/lib/cli-login/device-codes";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

// POST /api/v1/cli/token — poll with the device code; once approved, the new key, answered once
// (the key was approved by a session at /cli/authorize, recorded then as cli_login.approved; its
// key.created is by tt auth login, from the polling CLI's address)
export const POST = serve(operations.exchangeDeviceCode, ({ body, request }) =>
  exchangeDeviceCode(db, {
    deviceCode: body.device_code,
    actor: { type: "cli_login", ...requestOrigin(request) },
    // Polls with device codes nobody issued are limited per client like creations.
    limits: { client: clientOf(request), perClient: env.DEVICE_CODE_LIMIT },
  }),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/cli/token"));
