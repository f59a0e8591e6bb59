import "server-only";

import { randomUUID } from "node:crypto";
import type { z } from "zod";

import { confirmSessionWithAuth } from "@/lib/auth/confirm-session";
import { resolvePrincipal, type AuthMethod, type Principal } from "@/lib/auth/principal";

import { toErrorResponse } from "./envelope";
import { ApiError } from "./errors";

type RouteParams = Record<string, string | string[] | undefined>;
type NextRouteContext = { params: Promise<RouteParams> };

export type AuthContext<P> = { principal: Principal; params: P; searchParams: URLSearchParams; requestId: string };
export type PublicContext = { searchParams: URLSearchParams; requestId: string };

type AuthOptions<P> = {
  /** Which credentials may call this route; both by default. */
  allow?: readonly AuthMethod[];
  /** The 403 message for a principal whose method is not allowed. */
  forbiddenMessage?: string;
  /** Validates the dynamic segments (e.g. `{ id: uuid }`); a mismatch is a 400 naming the segment. */
  params?: z.ZodType<P>;
  /**
   * The route mints or widens a credential: the session is confirmed with Supabase Auth
   * first (a signed-out or suspended session → 401), not only verified locally.
   */
  mintsCredential?: boolean;
};

// A client's own request id is kept (for tracing across systems) only when it is a
// short token; anything else could smuggle text into our logs.
const REQUEST_ID = /^[\w.:-]{1,128}$/;
const requestIdOf = (request: Request) => {
  const given = request.headers.get("x-request-id");
  return given && REQUEST_ID.test(given) ? given : randomUUID();
};

function finish(response: Response, requestId: string) {
  response.headers.set("x-request-id", requestId);
  return response;
}

/**
 * The one wrapper every authenticated /api/v1 route uses: resolves who is calling (API
 * key or session), checks the method is allowed, validates path parameters, and turns
 * anything thrown into the error envelope. The handler gets a typed context.
 */
export function withAuth<P = Record<string, never>>(
  handler: (request: Request, context: AuthContext<P>) => Promise<Response>,
  options: AuthOptions<P> = {},
) {
  return async (request: Request, route: NextRouteContext): Promise<Response> => {
    const requestId = requestIdOf(request);
    try {
      const principal = await resolvePrincipal(request);
      if (options.allow && !options.allow.includes(principal.type)) {
        throw new ApiError("forbidden", options.forbiddenMessage ?? "This credential cannot be used for this request");
      }
      if (options.mintsCredential) await confirmSessionWithAuth(principal);
      const params = await parseParams(route, options.params);
      const searchParams = new URL(request.url).searchParams;
      return finish(await handler(request, { principal, params, searchParams, requestId }), requestId);
    } catch (error) {
      return toErrorResponse(error, requestId);
    }
  };
}

/** The same envelope and error handling for the few routes that need no credentials. */
export function withPublic(handler: (request: Request, context: PublicContext) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    const requestId = requestIdOf(request);
    try {
      return finish(await handler(request, { searchParams: new URL(request.url).searchParams, requestId }), requestId);
    } catch (error) {
      return toErrorResponse(error, requestId);
    }
  };
}

async function parseParams<P>(route: NextRouteContext | undefined, schema: z.ZodType<P> | undefined): Promise<P> {
  const raw = (await route?.params) ?? {};
  if (!schema) return raw as P;
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new ApiError(
    "validation_error",
    "Invalid path parameter",
    result.error.issues.map((issue) => ({ path: issue.path.map(String).join(".") || "path", message: issue.message })),
  );
}


/**
 * Handlers for the methods a route does not implement: a 405 envelope with an Allow
 * header, instead of Next's empty 405, and an OPTIONS answer whose Allow agrees with it
 * (Next's automatic one would list every exported method). Destructure into the route's
 * exports.
 */
export function methodNotAllowed(allow: readonly string[]) {
  // Next answers HEAD from GET.
  const allowed = [...allow, ...(allow.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const handler = withPublic(async (request) => {
    throw new ApiError("method_not_allowed", `Method ${request.method} is not allowed here; use ${allow.join(" or ")}`, undefined, { allow: allowed });
  });
  const OPTIONS = async () => new Response(null, { status: 204, headers: { allow: allowed } });
  return { GET: handler, POST: handler, PUT: handler, PATCH: handler, DELETE: handler, OPTIONS };
}

