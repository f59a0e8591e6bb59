import { methodNotAllowed, serve } from "@/lib/api/serve";
import { createDeviceCode } from "@/lib/cli-login/device-codes";
import { methodsAt, operations } from "@/lib/contract";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

// POST /api/v1/cli/device-codes — start `tt auth login` through the browser (RFC 8628); no credentials
export const POST = serve(operations.createDeviceCode, ({ body }) => createDeviceCode(db, { ...body, appUrl: env.APP_URL }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/cli/device-codes"));
