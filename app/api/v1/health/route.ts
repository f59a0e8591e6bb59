import { methodNotAllowed, serve } from "@/lib/api/serve";
import { methodsAt, operations } from "@/lib/contract";

// GET /api/v1/health — liveness for load balancers and benchmarks; no auth, no database
export const GET = serve(operations.getHealth, () => ({ status: "ok" as const }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/health"));
