import { openApiDocumentFor } from "@/lib/api/openapi";
import { methodNotAllowed, serve } from "@/lib/api/serve";
import { methodsAt, operations } from "@/lib/contract";
import { env } from "@/lib/env";
import { sessionCookieName } from "@/lib/supabase/cookie-name";

// GET /api/v1/openapi.json — the OpenAPI 3.1 document of this API
//
// Answered as the bare document, not inside the `{data}` envelope: it is a file for
// tools (Swagger UI, client generators, validators), which expect an OpenAPI document at
// the top level of the JSON. It holds no user data and only changes with a deploy, so
// unlike the rest of the API it may be cached. Its session cookie scheme names this
// deployment's real cookie (it depends on the Supabase project).
export const GET = serve(operations.getOpenApiDocument, () =>
  Response.json(openApiDocumentFor(sessionCookieName(env.NEXT_PUBLIC_SUPABASE_URL)), {
    headers: { "cache-control": "public, max-age=300" },
  }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(methodsAt("/api/v1/openapi.json"));
