import { openApiDocument } from "@/lib/api/openapi";
import { methodNotAllowed, withPublic } from "@/lib/api/with-auth";

// GET /api/v1/openapi.json — the OpenAPI 3.1 document of this API
//
// Answered as the bare document, not inside the `{data}` envelope: it is a file for
// tools (Swagger UI, client generators, validators), which expect an OpenAPI document at
// the top level of the JSON. It holds no user data and only changes with a deploy, so
// unlike the rest of the API it may be cached.
export const GET = withPublic(async () =>
  Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodNotAllowed(["GET"]);
