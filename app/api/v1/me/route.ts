import { ok } from "@/lib/api/envelope";
import { methodNotAllowed, withAuth } from "@/lib/api/with-auth";
import { describePrincipal } from "@/lib/auth/me";

// GET /api/v1/me — the caller: user id, e-mail, and how they authenticated
export const GET = withAuth(async (_request, { principal }) => ok(describePrincipal(principal)));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(["GET"]);
