import "server-only";

import { randomUUID } from "node:crypto";
import type { z } from "zod";

import { authorizeScope, countAnswer, resolvePrincipal, type KeyNote, type Principal } from "@/lib/auth/principal";
import { checkSession } from "@/lib/auth/session-check";
import {
  ApiError,
  KEY_EXPIRES_HEADER,
  REQUEST_ID_HEADER,
  validationError,
  type BodyOf,
  type IsPublic,
  type OperationDefinition,
  type ParamsOf,
  type QueryOf,
  type ResultOf,
} from "@/lib/contract";

import { readJsonBody, readJsonText } from "./body";
import { ok, page, toErrorResponse } from "./envelope";


type RouteParams = Record<string, string | string[] | undefined>;
type NextRouteContext = { params: Promise<RouteParams> };
type RouteHandler = (request: Request, route: NextRouteContext) => Promise<Response>;

/** What a handler gets: its input already checked against the contract. */
export type HandlerContext<O extends OperationDefinition> = {
  request: Request;
  requestId: string;
  params: ParamsOf<O>;
  query: QueryOf<O>;
  body: BodyOf<O>;
} & (IsPublic<O> extends true ? unknown : { principal: Principal });

/** What a handler returns: the data, one page of it, or (outside the envelope) the Response. */
export type HandlerResult<O extends OperationDefinition> = O["response"]["envelope"] extends "page"
  ? { items: ResultOf<O>[]; total: number }
  : O["response"]["envelope"] extends "none"
    ? Response
    : ResultOf<O>;

// A client's own request id is kept (for tracing across systems) only when it is a
// short token; anything else could smuggle text into our logs.
const REQUEST_ID = /^[\w.:-]{1,128}$/;
const requestIdOf = (request: Request) => {
  const given = request.headers.get(REQUEST_ID_HEADER);
  return given && REQUEST_ID.test(given) ? given : randomUUID();
};

// Every request (serve and withPublic) is handed over to the event loop's next turn
// (setImmediate) before any work: the requests that arrived together are then answered
// together, in one later turn. Answered at once, a request that never waits for I/O (health,
// a key or a session remembered in memory) runs start to finish alone, and that costs the
// app more CPU per request than the same request finished a turn later with the others
// (docs/BENCHMARKS.md, "The verification cache" and "Row a, and the session cookie"). At low
// load it adds one turn of the loop, microseconds.
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function finish(response: Response, requestId: string, principal?: Principal) {
  response.headers.set(REQUEST_ID_HEADER, requestId);
  // Every answer to a key that expires says when (the CLI warns ahead of it): a column of
  // the row the key was verified with, so it costs no query.
  if (principal?.type === "api_key" && principal.expiresAt) response.headers.set(KEY_EXPIRES_HEADER, principal.expiresAt.toISOString());
  return response;
}

/**
 * Serves one operation of the contract (lib/contract/operations.ts): the one wrapper every
 * /api/v1 route uses. In order: who is calling (API key or session, unless the operation
 * is public), whether that credential may call it (403), whether an API key has the scope
 * the operation needs (403 `insufficient_scope`), whether a session that mints a
 * credential is still alive (Supabase Auth, 401), the path parameters, the query and the
 * JSON body against the operation's schemas (400, 413, 415); then the handler, whose
 * result is sent in the operation's envelope and status. Anything thrown becomes the
 * error envelope. A key without the scope learns nothing about the input or the data.
 */
export function serve<const O extends OperationDefinition>(
  operation: O,
  handler: (context: HandlerContext<O>) => Promise<HandlerResult<O>> | HandlerResult<O>,
): RouteHandler {
  const isPublic = operation.credentials.length === 0;
  return async (request, route) => {
    await nextTurn();
    if (isPublic) return answer(request, route);
    const note: KeyNote = { keyId: null };
    const response = await answer(request, route, note);
    // A request made with a key: its answer counted for the key's usage, in memory.
    countAnswer(request, response.status, note);
    return response;
  };

  async function answer(request: Request, route: NextRouteContext, note?: KeyNote): Promise<Response> {
    const requestId = requestIdOf(request);
    let principal: Principal | undefined;
    try {
      if (!isPublic) {
        principal = await resolvePrincipal(request, note);
        if (!operation.credentials.includes(principal.type)) {
          throw new ApiError("forbidden", operation.forbiddenMessage ?? "This credential cannot be used for this request");
        }
        authorizeScope(principal, operation.scope, operation.mintsCredential === true);
        if (operation.mintsCredential) {
          if (principal.type !== "session") throw new ApiError("forbidden", "Only a signed-in session can do this");
          await checkSession(principal.session, "mint");
        }
      }
      const params = operation.params ? parseParams(operation.params, (await route?.params) ?? {}) : {};
      const query = operation.query ? parseQuery(operation.query, new URL(request.url).searchParams) : {};
      const body = operation.body && !operation.oauth ? await (operation.verbatimBody ? readJsonText(request) : readJsonBody(request, operation.body)) : undefined;
      const context = { request, requestId, params, query, body, principal } as HandlerContext<O>;
      const result: unknown = await handler(context);
      return finish(respond(operation, result, query as { page?: number; per_page?: number }), requestId, principal);
    } catch (error) {
      return finish(toErrorResponse(error, requestId), requestId, principal);
    }
  }
}

function respond(operation: OperationDefinition, result: unknown, query: { page?: number; per_page?: number }): Response {
  const response = operation.response;
  if (response.envelope === "none") return result as Response;
  if (response.envelope === "page") {
    const { items, total } = result as { items: unknown[]; total: number };
    return page(items, { page: query.page!, per_page: query.per_page!, total });
  }
  return ok(result, { status: response.status });
}

function parseParams(schema: z.ZodType, raw: RouteParams): unknown {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new ApiError(
    "validation_error",
    "Invalid path parameter",
    result.error.issues.map((issue) => ({ path: issue.path.map(String).join(".") || "path", message: issue.message })),
  );
}

function parseQuery(schema: z.ZodObject, searchParams: URLSearchParams): unknown {
  const raw = Object.fromEntries(Object.keys(schema.shape).map((name) => [name, searchParams.get(name) ?? undefined]));
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw validationError(result.error, raw, "Invalid query parameters", "query");
}

/** The same envelope and error handling for what is not an operation (the 404 catch-all, bench routes). */
export function withPublic(handler: (request: Request, context: { requestId: string }) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    await nextTurn();
    const requestId = requestIdOf(request);
    try {
      return finish(await handler(request, { requestId }), requestId);
    } catch (error) {
      return toErrorResponse(error, requestId);
    }
  };
}

/**
 * Handlers for the methods a route does not implement: a 405 envelope with an Allow
 * header, instead of Next's empty 405, and an OPTIONS answer whose Allow agrees with it
 * (Next's automatic one would list every exported method). Destructure into the route's
 * exports; `allow` is the contract's (methodsAt).
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
