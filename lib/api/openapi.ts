import { z } from "zod";

import { apiKeyOutput, createApiKeyInput, createdApiKeyOutput } from "@/lib/api-keys/schema";
import { meOutput } from "@/lib/auth/me";
import { behaviorSpecOutput, createBehaviorSpecInput, updateBehaviorSpecInput } from "@/lib/behavior-specs/schema";

import { MAX_BODY_BYTES } from "./body";
import { ERROR_CODES, ERROR_STATUS, type ErrorCode } from "./errors";
import { paginationQuery } from "./pagination";
import { idParam } from "./params";

// The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the handlers
// themselves parse with, so the document cannot drift from what the API accepts and
// answers. OpenAPI 3.1's Schema Object *is* JSON Schema 2020-12, so zod's own
// converter output is embedded as it is (minus `$schema`): request bodies are described
// by the input side of their schema (what a client sends, before transforms and
// defaults), responses by the output side (what the server sends).
//
// Which paths and methods exist is written out below by hand, one entry per exported
// route handler; tests/integration/openapi.test.ts walks app/api/v1 on disk and fails
// when the two differ.

export const OPENAPI_VERSION = "3.1.0";

/**
 * The session cookie's name as the code alone knows it. It depends on the Supabase
 * project (lib/supabase/cookie-name.ts), so the document a deployment serves names the
 * real cookie instead (openApiDocumentFor).
 */
export const SESSION_COOKIE_PLACEHOLDER = "sb-<project-ref>-auth-token";

type Json = Record<string, unknown>;
type Io = "input" | "output";
type Ref = { $ref: string };

export type OpenApiOperation = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security?: Record<string, string[]>[];
  parameters?: (Ref | Json)[];
  requestBody?: Json;
  responses: Record<string, Ref | Json>;
};
export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";
export type OpenApiDocument = {
  openapi: typeof OPENAPI_VERSION;
  info: Json;
  servers: { url: string; description?: string }[];
  tags: { name: string; description: string }[];
  security: Record<string, string[]>[];
  paths: Record<string, Partial<Record<HttpMethod, OpenApiOperation>>>;
  components: {
    schemas: Record<string, Json>;
    responses: Record<string, Json>;
    parameters: Record<string, Json>;
    headers: Record<string, Json>;
    securitySchemes: Record<string, Json>;
  };
};

// ---------------------------------------------------------------------------------
// zod → JSON Schema 2020-12

const SCHEMA_REF = "#/components/schemas/";
const schemaRef = (name: string): Ref => ({ $ref: `${SCHEMA_REF}${name}` });

/**
 * Collects components.schemas. zod emits a self-contained JSON Schema document per
 * call: `$schema` (meaningless inside OpenAPI, where the dialect is the document's) is
 * dropped, and any `$defs` (schemas registered with an id, or recursive ones) are
 * hoisted into components.schemas with their `#/$defs/…` references rewritten, since
 * inside an OpenAPI document `#` means the document, not the embedded schema.
 */
export class SchemaComponents {
  readonly schemas: Record<string, Json> = {};

  add(name: string, schema: z.ZodType, io: Io): Ref {
    this.put(name, this.convert(schema, io, name));
    return schemaRef(name);
  }

  /** A schema to embed in place (parameters), not as a component of its own. */
  inline(schema: z.ZodType, io: Io): Json {
    return this.convert(schema, io, undefined);
  }

  private convert(schema: z.ZodType, io: Io, owner: string | undefined): Json {
    const body = { ...(z.toJSONSchema(schema, { target: "draft-2020-12", io }) as Json) };
    const $defs = body.$defs;
    delete body.$schema;
    delete body.$defs;
    const defs = ($defs ?? {}) as Record<string, Json>;
    // zod names anonymous shared/recursive schemas __schema0, __schema1… per call.
    const names = new Map(Object.keys(defs).map((key) => [key, key.startsWith("__") ? `${owner ?? "Inline"}${key}` : key]));
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (typeof value !== "object" || value === null) return value;
      const out: Json = {};
      for (const [key, inner] of Object.entries(value)) {
        if (key === "$ref" && typeof inner === "string") out[key] = this.resolveRef(inner, names, owner);
        else out[key] = rewrite(inner);
      }
      return out;
    };
    for (const [key, def] of Object.entries(defs)) this.put(names.get(key)!, rewrite(def) as Json);
    return rewrite(body) as Json;
  }

  private resolveRef(ref: string, names: Map<string, string>, owner: string | undefined): string {
    if (ref === "#" && owner) return `${SCHEMA_REF}${owner}`;
    const def = /^#\/\$defs\/(.+)$/.exec(ref)?.[1];
    const name = def === undefined ? undefined : names.get(def);
    if (name === undefined) throw new Error(`OpenAPI: cannot place the JSON Schema reference ${ref}`);
    return `${SCHEMA_REF}${name}`;
  }

  private put(name: string, schema: Json) {
    const existing = this.schemas[name];
    if (existing && JSON.stringify(existing) !== JSON.stringify(schema)) {
      throw new Error(`OpenAPI: two different schemas are named ${name}`);
    }
    this.schemas[name] = schema;
  }
}

// ---------------------------------------------------------------------------------
// Shapes that have no zod schema in the handlers (they are built by lib/api/envelope.ts
// and the health route), written as zod here so they go through the same converter.

const errorEnvelope = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).describe("Stable, machine-readable; branch on this"),
      message: z.string().describe("For people; its wording may change"),
      details: z
        .array(
          z.object({
            path: z.string().describe("The offending field as a dotted path (`examples.3.output`), or `body`, `query`, `id`"),
            message: z.string(),
          }),
        )
        .optional()
        .describe("validation_error only: one entry per offending field"),
    }),
  })
  .describe("The error envelope every /api/v1 failure is answered with");

const pageMeta = z
  .object({
    page: z.int().min(1).describe("The page returned, 1-based"),
    per_page: z.int().min(1).max(100).describe("Items per page"),
    total: z.int().min(0).describe("Items across all pages"),
  })
  .describe("Where this page sits in the whole list");

const health = z.object({ status: z.literal("ok") });

const dataEnvelope = (data: Json): Json => ({
  type: "object",
  properties: { data },
  required: ["data"],
  additionalProperties: false,
});

const pageEnvelope = (item: Ref): Json => ({
  type: "object",
  properties: { data: { type: "array", items: item }, meta: schemaRef("PageMeta") },
  required: ["data", "meta"],
  additionalProperties: false,
});

// ---------------------------------------------------------------------------------
// Shared responses, parameters and headers

const REQUEST_ID_HEADER = { "x-request-id": { $ref: "#/components/headers/XRequestId" } };
const json = (schema: Json | Ref, example?: unknown) => ({
  "application/json": { schema, ...(example === undefined ? {} : { example }) },
});

function errorResponse(description: string, code: ErrorCode, message: string, extra: { headers?: Json; details?: { path: string; message: string }[] } = {}) {
  const example = { error: { code, message, ...(extra.details ? { details: extra.details } : {}) } };
  return {
    description,
    headers: { ...REQUEST_ID_HEADER, ...extra.headers },
    content: json(schemaRef("Error"), example),
  };
}

const ERROR_RESPONSES = {
  ValidationError: errorResponse(
    "`validation_error`: the request body, a query parameter or a path parameter is invalid. " +
      "`details` names each offending field.",
    "validation_error",
    "Invalid request body",
    { details: [{ path: "name", message: "must not be empty" }] },
  ),
  Unauthorized: errorResponse(
    "`unauthorized`: no credentials, a malformed `Authorization` header, an unknown or mistyped API key, " +
      "an expired API key, or no valid session. A bad `Authorization` header never falls back to the session cookie.",
    "unauthorized",
    "Invalid API key",
    { headers: { "www-authenticate": { $ref: "#/components/headers/WWWAuthenticate" } } },
  ),
  Forbidden: errorResponse("`forbidden`: the API key has been revoked (it stops working the moment it is revoked).", "forbidden", "API key revoked"),
  ForbiddenChange: errorResponse(
    "`forbidden`: the API key has been revoked, or the request is authenticated by the session cookie " +
      "and its `Origin` is not the app's own (cross-site request refused).",
    "forbidden",
    "API key revoked",
  ),
  ForbiddenKeyCreation: errorResponse(
    "`forbidden`: the request was authenticated with an API key — keys cannot create keys, only a session can — " +
      "or the key is revoked, or the session-authenticated request's `Origin` is not the app's own.",
    "forbidden",
    "API keys cannot create API keys; create one in the dashboard (Settings → API Keys)",
  ),
  NotFound: errorResponse(
    "`not_found`: no such resource, or it belongs to someone else (the two are indistinguishable on purpose).",
    "not_found",
    "Behaviour spec not found",
  ),
  MethodNotAllowed: errorResponse(
    "`method_not_allowed`: the path exists but not with this method; `Allow` lists the methods it has.",
    "method_not_allowed",
    "Method PUT is not allowed here; use GET",
    { headers: { allow: { $ref: "#/components/headers/Allow" } } },
  ),
  PayloadTooLarge: errorResponse(
    `\`payload_too_large\`: the request body is over ${MAX_BODY_BYTES} bytes. The rest of it is not read, so the connection is closed (\`Connection: close\`).`,
    "payload_too_large",
    `Request body must be at most ${MAX_BODY_BYTES} bytes`,
  ),
  UnsupportedMediaType: errorResponse(
    "`unsupported_media_type`: the request has a body-taking method but its `Content-Type` is not `application/json`.",
    "unsupported_media_type",
    "Content-Type must be application/json",
  ),
  RateLimited: errorResponse(
    "`rate_limited`: too many failed authentications from this client (more than the limit, 30 a minute by default). " +
      "Every authenticated request from it — a valid key included — is refused until `Retry-After` seconds have passed.",
    "rate_limited",
    "Too many failed authentication attempts; try again in 42 s",
    { headers: { "retry-after": { $ref: "#/components/headers/RetryAfter" } } },
  ),
  InternalError: errorResponse(
    "`internal_error`: something failed on our side. The message carries the request id, which is also logged.",
    "internal_error",
    "Internal server error (request 3f1c2a9e-8d0b-4a51-9b7e-2c6f0e4d1a77)",
  ),
} as const;
type ErrorResponseName = keyof typeof ERROR_RESPONSES;

// Each shared response must answer with the status its code maps to in lib/api/errors.ts.
const ERROR_RESPONSE_STATUS: Record<ErrorResponseName, number> = {
  ValidationError: ERROR_STATUS.validation_error,
  Unauthorized: ERROR_STATUS.unauthorized,
  Forbidden: ERROR_STATUS.forbidden,
  ForbiddenChange: ERROR_STATUS.forbidden,
  ForbiddenKeyCreation: ERROR_STATUS.forbidden,
  NotFound: ERROR_STATUS.not_found,
  MethodNotAllowed: ERROR_STATUS.method_not_allowed,
  PayloadTooLarge: ERROR_STATUS.payload_too_large,
  UnsupportedMediaType: ERROR_STATUS.unsupported_media_type,
  RateLimited: ERROR_STATUS.rate_limited,
  InternalError: ERROR_STATUS.internal_error,
};

const errorRef = (name: ErrorResponseName) => ({ [ERROR_RESPONSE_STATUS[name]]: { $ref: `#/components/responses/${name}` } });

/**
 * The error responses an operation can give, from what it takes: credentials (401, 403, 429),
 * input of any kind (400), a path id (404), a body (413, 415). Every operation can 500.
 * 405 belongs to the methods a path does *not* have, so it is not an operation's
 * response; it is described once, in the document's description and components.
 */
function errors(kind: { auth: boolean; input?: boolean; id?: boolean; body?: boolean; forbidden?: "Forbidden" | "ForbiddenChange" | "ForbiddenKeyCreation" }) {
  return {
    ...(kind.input || kind.id || kind.body ? errorRef("ValidationError") : {}),
    ...(kind.auth ? errorRef("Unauthorized") : {}),
    ...(kind.auth ? errorRef(kind.forbidden ?? "Forbidden") : {}),
    ...(kind.id ? errorRef("NotFound") : {}),
    ...(kind.body ? errorRef("PayloadTooLarge") : {}),
    ...(kind.body ? errorRef("UnsupportedMediaType") : {}),
    ...(kind.auth ? errorRef("RateLimited") : {}),
    ...errorRef("InternalError"),
  };
}

function success(status: number, description: string, schema: Json | Ref, example?: unknown) {
  return { [status]: { description, headers: REQUEST_ID_HEADER, content: json(schema, example) } };
}

const jsonBody = (schema: Ref, description: string) => ({
  required: true,
  description: `${description} Sent as \`Content-Type: application/json\` (any \`application/*+json\` is accepted), at most ${MAX_BODY_BYTES} bytes. Unknown fields are refused.`,
  content: { "application/json": { schema } },
});

// ---------------------------------------------------------------------------------
// The document

const SPEC_EXAMPLE = {
  id: "6f1d3c2e-8a4b-4c1d-9e7f-0a1b2c3d4e5f",
  name: "Support tone",
  description: "Polite, short answers for customer support",
  system_prompt: "You are a helpful support agent.",
  guidelines: ["Greet the customer by name"],
  constraints: ["Never promise refunds"],
  examples: [{ input: "Where is my order?", output: "Sorry for the wait! Could you share your order number?" }],
  base_model: "meta-llama/Llama-3.2-3B-Instruct",
  created_at: "2026-01-15T10:00:00.000Z",
  updated_at: "2026-01-15T10:00:00.000Z",
};
const KEY_EXAMPLE = {
  id: "0b7c9f8e-2d3a-4e5b-8c6d-7e8f9a0b1c2d",
  name: "CI",
  key_prefix: "tt_Gs6WOD23",
  created_at: "2026-01-15T10:00:00.000Z",
  last_used_at: null,
  expires_at: null,
  revoked_at: null,
};

const DESCRIPTION = `The Tuned Tensor REST API.

**Authentication.** Send an API key as \`Authorization: Bearer tt_…\`, or, from browser JavaScript on the
app's own origin, rely on the Supabase session cookie the dashboard sets. When an \`Authorization\` header is
present it alone decides: there is no fallback to the cookie. Cookie-authenticated POST, PATCH, PUT and
DELETE requests must come from the app's own origin (\`Origin\` check). API keys cannot create API keys.

**Envelope.** Success: \`{"data": …}\`, plus \`"meta": {"page", "per_page", "total"}\` on paginated lists.
Failure: \`{"error": {"code", "message", "details"?}}\` — see the \`Error\` schema. Every response carries an
\`x-request-id\` header; API responses are \`cache-control: no-store\`.

**Other failures of any path.** A path that does not exist answers \`404 not_found\`; a method a path does not
have answers \`405 method_not_allowed\` with an \`Allow\` header (components.responses.MethodNotAllowed).

This document itself is \`GET /api/v1/openapi.json\`.`;

function build(): OpenApiDocument {
  const s = new SchemaComponents();

  s.add("Error", errorEnvelope, "output");
  s.add("PageMeta", pageMeta, "output");
  const Health = s.add("Health", health, "output");
  const Me = s.add("Me", meOutput, "output");
  const ApiKey = s.add("ApiKey", apiKeyOutput, "output");
  const CreatedApiKey = s.add("CreatedApiKey", createdApiKeyOutput, "output");
  const CreateApiKeyInput = s.add("CreateApiKeyInput", createApiKeyInput, "input");
  const BehaviorSpec = s.add("BehaviorSpec", behaviorSpecOutput, "output");
  const CreateBehaviorSpecInput = s.add("CreateBehaviorSpecInput", createBehaviorSpecInput, "input");
  const UpdateBehaviorSpecInput = s.add("UpdateBehaviorSpecInput", updateBehaviorSpecInput, "input");

  // Query values arrive as strings, so the input side of paginationQuery is just a digit
  // pattern; its output side (integer, bounds, default) is what the value means, and
  // what OpenAPI's query-parameter serialisation expects a parameter schema to say.
  const query = s.inline(paginationQuery, "output") as { properties: Record<string, Json> };
  const path = s.inline(idParam, "input") as { properties: Record<string, Json> };
  const parameters = {
    Page: { name: "page", in: "query", required: false, description: "The page to return, 1-based.", schema: query.properties.page },
    PerPage: { name: "per_page", in: "query", required: false, description: "Items per page, 1–100.", schema: query.properties.per_page },
    Id: { name: "id", in: "path", required: true, description: "The resource's id (a UUID).", schema: path.properties.id },
  };
  const paramRef = (name: keyof typeof parameters) => ({ $ref: `#/components/parameters/${name}` });
  const paginated = [paramRef("Page"), paramRef("PerPage")];

  const meta = { page: 1, per_page: 20, total: 1 };

  const paths: OpenApiDocument["paths"] = {
    "/api/v1/health": {
      get: {
        operationId: "getHealth",
        summary: "Liveness check",
        description: "For load balancers and monitors: no credentials, no database.",
        tags: ["Meta"],
        security: [],
        responses: { ...success(200, "The app is up", dataEnvelope(Health), { data: { status: "ok" } }), ...errors({ auth: false }) },
      },
    },
    "/api/v1/openapi.json": {
      get: {
        operationId: "getOpenApiDocument",
        summary: "This OpenAPI 3.1 document",
        description: "The document itself, as plain JSON (not in the `{data}` envelope), cacheable for 5 minutes.",
        tags: ["Meta"],
        security: [],
        responses: {
          ...success(200, "The OpenAPI document", { type: "object", description: "An OpenAPI 3.1.0 document" }),
          ...errors({ auth: false }),
        },
      },
    },
    "/api/v1/me": {
      get: {
        operationId: "getMe",
        summary: "Who is calling",
        description: "The authenticated user and how the request was authenticated (which API key, or the session).",
        tags: ["Account"],
        responses: {
          ...success(200, "The caller", dataEnvelope(Me), {
            data: { user: { id: "2b1e4c7a-9d3f-4e8b-a6c5-1f0e9d8c7b6a", email: "ada@example.com" }, authentication: { method: "api_key", key_id: KEY_EXAMPLE.id, key_prefix: KEY_EXAMPLE.key_prefix } },
          }),
          ...errors({ auth: true }),
        },
      },
    },
    "/api/v1/api-keys": {
      get: {
        operationId: "listApiKeys",
        summary: "List API keys",
        description: "The caller's keys, newest first, revoked and expired ones included. Never the key itself or its hash: `key_prefix` tells keys apart.",
        tags: ["API keys"],
        parameters: paginated,
        responses: {
          ...success(200, "One page of keys", pageEnvelope(ApiKey), { data: [KEY_EXAMPLE], meta }),
          ...errors({ auth: true, input: true }),
        },
      },
      post: {
        operationId: "createApiKey",
        summary: "Create an API key",
        description:
          "**Session only**: an API key cannot create keys (403), so a leaked key cannot mint its own replacements. " +
          "Call it from the dashboard or browser JavaScript on the app's origin. The response is the only time the full key is sent: store it now.",
        tags: ["API keys"],
        security: [{ sessionCookie: [] }],
        requestBody: jsonBody(CreateApiKeyInput, "The new key's name and optional expiry."),
        responses: {
          ...success(201, "The created key, including the full `key` (shown only this once)", dataEnvelope(CreatedApiKey), {
            // Not a well-formed key on purpose: an example must never look like a live secret to
            // secret scanners (or be copied as one).
            data: { ...KEY_EXAMPLE, key: "tt_Gs6WOD23-example-the-full-key-appears-here-once" },
          }),
          ...errors({ auth: true, body: true, forbidden: "ForbiddenKeyCreation" }),
        },
      },
    },
    "/api/v1/api-keys/{id}": {
      delete: {
        operationId: "revokeApiKey",
        summary: "Revoke an API key",
        description:
          "Revokes the key at once: from this response on, requests with it get `403 forbidden`. " +
          "Revoking an already revoked key succeeds and keeps the first `revoked_at`. The key stays listed, with `revoked_at` set.",
        tags: ["API keys"],
        parameters: [paramRef("Id")],
        responses: {
          ...success(200, "The revoked key", dataEnvelope(ApiKey), { data: { ...KEY_EXAMPLE, revoked_at: "2026-01-16T09:30:00.000Z" } }),
          ...errors({ auth: true, id: true, forbidden: "ForbiddenChange" }),
        },
      },
    },
    "/api/v1/behavior-specs": {
      get: {
        operationId: "listBehaviorSpecs",
        summary: "List behaviour specs",
        description: "The caller's specs, newest first.",
        tags: ["Behaviour specs"],
        parameters: paginated,
        responses: {
          ...success(200, "One page of specs", pageEnvelope(BehaviorSpec), { data: [SPEC_EXAMPLE], meta }),
          ...errors({ auth: true, input: true }),
        },
      },
      post: {
        operationId: "createBehaviorSpec",
        summary: "Create a behaviour spec",
        tags: ["Behaviour specs"],
        requestBody: jsonBody(CreateBehaviorSpecInput, "The new spec."),
        responses: {
          ...success(201, "The created spec", dataEnvelope(BehaviorSpec), { data: SPEC_EXAMPLE }),
          ...errors({ auth: true, body: true, forbidden: "ForbiddenChange" }),
        },
      },
    },
    "/api/v1/behavior-specs/{id}": {
      get: {
        operationId: "getBehaviorSpec",
        summary: "Get a behaviour spec",
        tags: ["Behaviour specs"],
        parameters: [paramRef("Id")],
        responses: {
          ...success(200, "The spec", dataEnvelope(BehaviorSpec), { data: SPEC_EXAMPLE }),
          ...errors({ auth: true, id: true }),
        },
      },
      patch: {
        operationId: "updateBehaviorSpec",
        summary: "Update a behaviour spec",
        description:
          "Changes only the fields sent; the others keep their values. `null` clears `description` or `system_prompt`; " +
          "`[]` clears `guidelines` or `constraints`; arrays are replaced whole. A body with no field is a 400.",
        tags: ["Behaviour specs"],
        parameters: [paramRef("Id")],
        requestBody: jsonBody(UpdateBehaviorSpecInput, "The fields to change."),
        responses: {
          ...success(200, "The updated spec", dataEnvelope(BehaviorSpec), { data: { ...SPEC_EXAMPLE, name: "Support tone v2", updated_at: "2026-01-16T08:00:00.000Z" } }),
          ...errors({ auth: true, id: true, body: true, forbidden: "ForbiddenChange" }),
        },
      },
      delete: {
        operationId: "deleteBehaviorSpec",
        summary: "Delete a behaviour spec",
        description: "Deletes the spec for good and answers with what was deleted.",
        tags: ["Behaviour specs"],
        parameters: [paramRef("Id")],
        responses: {
          ...success(200, "The deleted spec", dataEnvelope(BehaviorSpec), { data: SPEC_EXAMPLE }),
          ...errors({ auth: true, id: true, forbidden: "ForbiddenChange" }),
        },
      },
    },
  };

  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: "Tuned Tensor API",
      version: "1.0.0",
      description: DESCRIPTION,
    },
    // Relative on purpose: the same static document is then right on localhost, preview
    // deployments and production alike (a relative server URL resolves against where the
    // document was fetched from), and building it needs no environment. Production is
    // listed too, for tools that load the document from a file.
    servers: [
      { url: "/", description: "The host that served this document" },
      { url: "https://tunedtensor.com", description: "Production" },
    ],
    tags: [
      { name: "Account", description: "The caller" },
      { name: "API keys", description: "Create (session only), list and revoke API keys" },
      { name: "Behaviour specs", description: "What a tuned model should do, with examples" },
      { name: "Meta", description: "Health and this document" },
    ],
    security: [{ apiKey: [] }, { sessionCookie: [] }],
    paths,
    components: {
      schemas: s.schemas,
      responses: ERROR_RESPONSES,
      parameters,
      headers: {
        XRequestId: {
          description:
            "Identifies this request in the server's logs; quote it when reporting a problem. " +
            "A client's own `x-request-id` (1–128 characters of letters, digits, `_ . : -`) is echoed back; otherwise one is generated.",
          schema: { type: "string" },
        },
        WWWAuthenticate: { description: "The authentication scheme to use.", schema: { type: "string", const: 'Bearer realm="tunedtensor"' } },
        Allow: { description: "The methods this path has.", schema: { type: "string", examples: ["GET, POST, OPTIONS"] } },
        RetryAfter: { description: "Seconds until the client may try again.", schema: { type: "string", pattern: "^[0-9]+$", examples: ["42"] } },
      },
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "tt_…",
          description:
            "An API key, sent as `Authorization: Bearer tt_…`. Format: `tt_` + 43 base62 characters (256 random bits) + " +
            "a 6-character base62 CRC32 checksum of those 43, 52 characters in all; a mistyped key is rejected without a lookup. " +
            "Lists show `key_prefix`: `tt_` + the first 8 characters. Create keys in the dashboard (Settings → API Keys). " +
            "A revoked key gets 403 at once; an expired one 401.",
        },
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: SESSION_COOKIE_PLACEHOLDER,
          description:
            "The Supabase session cookie the dashboard sets on sign-in (large sessions are split into `.0`, `.1`… chunks). " +
            "For browser JavaScript on the app's own origin (`fetch` with default credentials). POST, PATCH, PUT and DELETE " +
            "authenticated by it must come from the app's own origin (`Origin`, or else `Sec-Fetch-Site`), or get 403. " +
            "Ignored whenever an `Authorization` header is present.",
        },
      },
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

let cached: OpenApiDocument | undefined;

/**
 * The document, built on first use and then reused: it depends on nothing but code.
 * Frozen, since every caller shares the one object.
 */
export function openApiDocument(): OpenApiDocument {
  return (cached ??= deepFreeze(build()));
}

const served = new Map<string, OpenApiDocument>();

/**
 * The document as a deployment serves it: the same, except that the session cookie's
 * security scheme names the cookie this deployment's sessions really use, so that a tool
 * given the document (Swagger UI, a client generator, a fuzzer) can send it. Built once
 * per name, frozen like openApiDocument().
 */
export function openApiDocumentFor(sessionCookieName: string): OpenApiDocument {
  let doc = served.get(sessionCookieName);
  if (!doc) {
    const copy = structuredClone(openApiDocument());
    copy.components.securitySchemes.sessionCookie!.name = sessionCookieName;
    doc = deepFreeze(copy);
    served.set(sessionCookieName, doc);
  }
  return doc;
}
