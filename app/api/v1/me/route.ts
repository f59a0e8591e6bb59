import { methodNotAllowed, serve } from "@/lib/api/serve";
import { describePrincipal } from "@/lib/auth/me";
import { methodsAt, operations } from "@/lib/contract";

// GET /api/v1/me — the caller: user id, e-mail, and how they authenticated
export const GET = serve(operations.getMe, ({ principal }) => describePrincipal(principal));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/me"));
