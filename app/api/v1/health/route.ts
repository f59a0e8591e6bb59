import { ok } from "@/lib/api/envelope";
import { methodNotAllowed, withPublic } from "@/lib/api/with-auth";

// GET /api/v1/health — liveness for load balancers and benchmarks; no auth, no database
export const GET = withPublic(async () => ok({ status: "ok" }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(["GET"]);
