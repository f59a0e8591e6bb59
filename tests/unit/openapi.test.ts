// The OpenAPI document: valid OpenAPI 3.1, every operation fully described, every error
// answered with the shared envelope, and built by walking the contract (lib/contract).
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { z } from "zod";

import {
  openApiDocument,
  openApiDocumentFor,
  SchemaComponents,
  SESSION_COOKIE_PLACEHOLDER,
  type HttpMethod,
  type OpenApiOperation,
} from "@/lib/api/openapi";
import { parseApiKey } from "@/lib/api-keys/key-format";
import {
  apiKeyOutput,
  behaviorSpecOutput,
  createApiKeyInput,
  createBehaviorSpecInput,
  createdApiKeyOutput,
  ERROR_CODES,
  ERROR_STATUS,
  meOutput,
  operations as contract,
  updateApiKeyInput,
  updateBehaviorSpecInput,
  type ErrorCode,
} from "@/lib/contract";
import { sessionCookieName } from "@/lib/supabase/cookie-name";

type Json = Record<string, unknown>;

const doc = openApiDocument();
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ path, method: method as HttpMethod, op: op as OpenApiOperation })),
);

/** Follows a local `$ref` (`#/components/...`) to what it names. */
function resolve(ref: string): Json {
  expect(ref).toMatch(/^#\//);
  let node: unknown = doc;
  for (const part of ref.slice(2).split("/")) {
    node = (node as Json | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  expect(node, `${ref} resolves`).toBeTypeOf("object");
  return node as Json;
}
const deref = (value: unknown): Json => {
  const node = value as Json;
  return typeof node.$ref === "string" ? resolve(node.$ref) : node;
};

function* walk(value: unknown, at = "#"): Generator<[string, string, unknown]> {
  if (typeof value !== "object" || value === null) return;
  for (const [key, inner] of Object.entries(value)) {
    yield [at, key, inner];
    yield* walk(inner, `${at}/${key}`);
  }
}

const isPublic = (op: OpenApiOperation) => Array.isArray(op.security) && op.security.length === 0;

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as Json);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    expect(doc.openapi).toBe("3.1.0");
  });

  it("would be refused by that validator if it were broken (the check is not vacuous)", async () => {
    const broken = structuredClone(doc) as Json & { paths: Record<string, Record<string, Json>> };
    broken.paths["/api/v1/health"]!.get!.responses = { "200": { content: {} } }; // a response without its description
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it("is built once per process", () => {
    expect(openApiDocument()).toBe(doc);
  });

  it("is served naming the deployment's real session cookie, and is otherwise the same document", () => {
    const served = openApiDocumentFor(sessionCookieName("http://127.0.0.1:54321"));
    expect(served.components.securitySchemes.sessionCookie).toMatchObject({ type: "apiKey", in: "cookie", name: "sb-127-auth-token" });
    expect(openApiDocumentFor(sessionCookieName("https://abcdefghijklmnop.supabase.co")).components.securitySchemes.sessionCookie!.name).toBe(
      "sb-abcdefghijklmnop-auth-token",
    );
    const renamed = structuredClone(doc);
    renamed.components.securitySchemes.sessionCookie!.name = "sb-127-auth-token";
    expect(served).toEqual(renamed);
    expect(doc.components.securitySchemes.sessionCookie!.name).toBe(SESSION_COOKIE_PLACEHOLDER);
    expect(openApiDocumentFor("sb-127-auth-token")).toBe(served);
    expect(Object.isFrozen(served.components.securitySchemes.sessionCookie)).toBe(true);
  });

  it("has every local $ref resolvable, and no embedded $schema", () => {
    let refs = 0;
    for (const [at, key, value] of walk(doc)) {
      expect(key, `${at} carries $schema`).not.toBe("$schema");
      expect(key, `${at} carries $defs (should be hoisted to components.schemas)`).not.toBe("$defs");
      if (key === "$ref") {
        refs++;
        resolve(value as string);
      }
    }
    expect(refs).toBeGreaterThan(20);
  });

  it("covers the operations of the API", () => {
    expect(operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort()).toEqual(
      [
        "DELETE /api/v1/api-keys/{id}",
        "DELETE /api/v1/behavior-specs/{id}",
        "GET /api/v1/api-keys",
        "GET /api/v1/api-keys/{id}/usage",
        "GET /api/v1/audit-events",
        "GET /api/v1/behavior-specs",
        "GET /api/v1/behavior-specs/{id}",
        "GET /api/v1/health",
        "GET /api/v1/me",
        "GET /api/v1/openapi.json",
        "PATCH /api/v1/api-keys/{id}",
        "PATCH /api/v1/behavior-specs/{id}",
        "POST /api/v1/api-keys",
        "POST /api/v1/api-keys/{id}/roll",
        "POST /api/v1/behavior-specs",
        "POST /api/v1/cli/device-codes",
        "POST /api/v1/cli/token",
        "POST /api/v1/credentials/revoke",
        "POST /api/v1/secret-scanning/github",
        "GET /api/v1/organizations",
        "POST /api/v1/organizations",
        "GET /api/v1/organization",
        "PATCH /api/v1/organization",
        "DELETE /api/v1/organization",
        "GET /api/v1/organization/policy",
        "PATCH /api/v1/organization/policy",
        "GET /api/v1/organization/members",
        "PATCH /api/v1/organization/members/{user_id}",
        "DELETE /api/v1/organization/members/{user_id}",
        "DELETE /api/v1/organization/membership",
        "GET /api/v1/organization/invitations",
        "POST /api/v1/organization/invitations",
        "DELETE /api/v1/organization/invitations/{id}",
        "POST /api/v1/invitations/accept",
        "GET /api/v1/organization/service-accounts",
        "POST /api/v1/organization/service-accounts",
        "PATCH /api/v1/organization/service-accounts/{id}",
        "DELETE /api/v1/organization/service-accounts/{id}",
        "POST /api/v1/organization/service-accounts/{id}/keys",
        "GET /api/v1/organization/service-accounts/{id}/trust-policies",
        "POST /api/v1/organization/service-accounts/{id}/trust-policies",
        "PATCH /api/v1/organization/trust-policies/{id}",
        "DELETE /api/v1/organization/trust-policies/{id}",
        "POST /api/v1/organization/trust-policies/test",
        "POST /api/v1/oauth/token",
      ].sort(),
    );
  });

  it("has exactly the contract's operations, each at its method and path", () => {
    expect(operations.map(({ method, path, op }) => `${op.operationId} ${method.toUpperCase()} ${path}`).sort()).toEqual(
      Object.entries(contract)
        .map(([id, operation]) => `${id} ${operation.method} ${operation.path}`)
        .sort(),
    );
  });

  it("gives every operation a unique operationId, a summary and declared tags", () => {
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const tags = new Set(doc.tags.map((tag) => tag.name));
    expect([...tags].sort()).toEqual(["API keys", "Account", "Activity", "Behaviour specs", "CLI login", "Keyless CI", "Leaked keys", "Meta", "Organizations"]);
    for (const { op } of operations) {
      expect(op.operationId).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op.summary.length).toBeGreaterThan(0);
      expect(op.tags.length).toBeGreaterThan(0);
      for (const tag of op.tags) expect(tags.has(tag)).toBe(true);
    }
  });

  it("documents one success response per operation, in the envelope, with x-request-id", () => {
    for (const { path, method, op } of operations) {
      const successes = Object.keys(op.responses).filter((status) => /^2\d\d$/.test(status));
      expect(successes, `${method} ${path}`).toHaveLength(1);
      const response = deref(op.responses[successes[0]!]);
      expect(response.headers).toHaveProperty("x-request-id");
      const schema = deref((response.content as Record<string, { schema: unknown }>)["application/json"]!.schema);
      // Outside the envelope: the document itself (a file for tools), GitHub's labels (its format), and the OAuth token endpoint (RFC 8693's).
      if (["getOpenApiDocument", "reportGitHubSecretScanning", "exchangeToken"].includes(op.operationId as string)) continue;
      expect((schema.properties as Json).data, `${method} ${path}`).toBeDefined();
    }
  });

  it("answers every error with a shared response holding the Error envelope, status matching its code", () => {
    for (const { path, method, op } of operations) {
      const errors = Object.entries(op.responses).filter(([status]) => /^[45]\d\d$/.test(status));
      expect(errors.length, `${method} ${path}`).toBeGreaterThan(0);
      for (const [status, ref] of errors) {
        expect((ref as Json).$ref, `${method} ${path} ${status}`).toMatch(/^#\/components\/responses\//);
        const response = resolve((ref as { $ref: string }).$ref);
        // The OAuth token endpoint refuses in RFC 6749 §5.2's shape, outside the envelope.
        if (op.operationId === "exchangeToken" && status === "400") {
          expect((ref as Json).$ref).toBe("#/components/responses/OAuthError");
          continue;
        }
        const content = (response.content as Record<string, { schema: Json; example: { error: { code: ErrorCode } } }>)["application/json"]!;
        expect(content.schema).toEqual({ $ref: "#/components/schemas/Error" });
        expect(ERROR_STATUS[content.example.error.code]).toBe(Number(status));
        expect(response.headers).toHaveProperty("x-request-id");
      }
      expect(op.responses).toHaveProperty("500");
    }
  });

  it("lists the errors each operation can give, from what it takes", () => {
    for (const { path, method, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      const statuses = Object.keys(op.responses);
      const hasId = /\{(user_)?id\}/.test(path);
      const hasQuery = (op.parameters ?? []).some((p) => deref(p).in === "query");
      const hasBody = op.requestBody !== undefined;
      if (isPublic(op)) {
        // A public operation's only 401 is a signature that does not verify (GitHub's reports).
        if (op.operationId !== "reportGitHubSecretScanning") expect(statuses, where).not.toContain("401");
        expect(statuses, where).not.toContain("403");
      } else {
        expect(statuses, where).toEqual(expect.arrayContaining(["401", "403"]));
      }
      if (hasId || hasQuery || hasBody) expect(statuses, where).toContain("400");
      else expect(statuses, where).not.toContain("400");
      if (hasId) {
        expect(statuses, where).toContain("404");
        const id = (op.parameters ?? []).map(deref).find((p) => p.in === "path");
        expect(id, where).toMatchObject({ name: expect.stringMatching(/^(user_)?id$/), required: true, schema: { type: "string", format: "uuid" } });
      }
      // The OAuth token endpoint says everything wrong with its body with RFC 6749's 400.
      if (op.operationId === "exchangeToken") expect(statuses, where).toEqual(["200", "400", "500"]);
      else if (hasBody) expect(statuses, where).toEqual(expect.arrayContaining(["413", "415"]));
      else expect(statuses, where).not.toEqual(expect.arrayContaining(["413"]));
    }
  });

  it("describes the 401 challenge and the 405 Allow header", () => {
    expect(deref(doc.components.responses.Unauthorized).headers).toHaveProperty("www-authenticate");
    expect(deref(doc.components.responses.MethodNotAllowed).headers).toHaveProperty("allow");
  });

  it("shares the Error envelope, its codes those of lib/contract/errors.ts", () => {
    const error = doc.components.schemas.Error as { properties: { error: { properties: { code: { enum: string[] } }; required: string[] } } };
    expect(error.properties.error.properties.code.enum).toEqual(ERROR_CODES);
    expect(error.properties.error.required).toEqual(["code", "message"]);
    expect(Object.keys(doc.components.responses).sort()).toEqual(
      expect.arrayContaining(["ValidationError", "Unauthorized", "Forbidden", "NotFound", "MethodNotAllowed", "PayloadTooLarge", "UnsupportedMediaType", "InternalError"]),
    );
  });

  it("paginates the two lists with page ≥ 1 and per_page 1–100, default 20", () => {
    for (const id of ["listApiKeys", "listBehaviorSpecs"]) {
      const { op } = operations.find(({ op }) => op.operationId === id)!;
      const params = (op.parameters ?? []).map(deref);
      expect(params).toEqual([
        expect.objectContaining({ name: "page", in: "query", schema: expect.objectContaining({ type: "integer", minimum: 1, default: 1 }) }),
        expect.objectContaining({ name: "per_page", in: "query", schema: expect.objectContaining({ type: "integer", minimum: 1, maximum: 100, default: 20 }) }),
      ]);
      const schema = deref((deref(op.responses["200"]).content as Record<string, { schema: Json }>)["application/json"]!.schema);
      expect(schema.required).toEqual(["data", "meta"]);
      expect(resolve("#/components/schemas/PageMeta").required).toEqual(["page", "per_page", "total"]);
    }
  });

  it("has the two security schemes, both globally, none on health and the document", () => {
    expect(doc.security).toEqual([{ apiKey: [] }, { sessionCookie: [] }]);
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer", bearerFormat: "tt_…" });
    expect(doc.components.securitySchemes.sessionCookie).toMatchObject({ type: "apiKey", in: "cookie", name: "sb-<project-ref>-auth-token" });
    const byId = Object.fromEntries(operations.map(({ op }) => [op.operationId, op]));
    expect(byId.getHealth!.security).toEqual([]);
    expect(byId.getOpenApiDocument!.security).toEqual([]);
    // Keys cannot create keys: the session-only operations.
    for (const id of ["createApiKey", "rollApiKey"]) {
      expect(byId[id]!.security).toEqual([{ sessionCookie: [] }]);
      expect(byId[id]!.description).toMatch(/session only/i);
      expect(deref(byId[id]!.responses["403"]).description).toMatch(/keys cannot create keys/i);
    }
    // Every other operation: the scope a key needs in the key's requirement (none: the
    // document's own), and the session (whose role's scopes are checked in its organization).
    for (const [id, operation] of Object.entries(contract) as [string, { scope: string | null; credentials: readonly string[] }][]) {
      if (["getHealth", "getOpenApiDocument", "createApiKey", "rollApiKey"].includes(id)) continue;
      if (operation.credentials.length === 0) {
        expect(byId[id]!.security, id).toEqual([]);
        continue;
      }
      if (!operation.credentials.includes("api_key")) {
        expect(byId[id]!.security, id).toEqual([{ sessionCookie: [] }]);
        continue;
      }
      expect(byId[id]!.security, id).toEqual(operation.scope ? [{ apiKey: [operation.scope] }, { sessionCookie: [] }] : undefined);
    }
    expect(byId.createBehaviorSpec!.security).toEqual([{ apiKey: ["specs:write"] }, { sessionCookie: [] }]);
    expect(byId.getMe!.security).toBeUndefined();
  });

  it("says which scope a key lacks: the 403 of a scoped operation documents the insufficient_scope challenge", () => {
    const byId = Object.fromEntries(operations.map(({ op }) => [op.operationId, op]));
    for (const id of ["listBehaviorSpecs", "createBehaviorSpec", "listApiKeys", "revokeApiKey"]) {
      const forbidden = deref(byId[id]!.responses["403"]);
      expect(forbidden.description, id).toMatch(/insufficient_scope/);
      const header = deref((forbidden.headers as Json)["www-authenticate"]);
      expect(new RegExp((header.schema as { pattern: string }).pattern).test('Bearer error="insufficient_scope", scope="specs:write"'), id).toBe(true);
    }
    expect(deref(byId.getMe!.responses["403"]).headers).not.toHaveProperty("www-authenticate");
    const challenge = new RegExp((deref(doc.components.headers.WWWAuthenticate).schema as { pattern: string }).pattern);
    expect(challenge.test('Bearer realm="tunedtensor"')).toBe(true);
    expect(challenge.test('Bearer realm="tunedtensor", error="invalid_token"')).toBe(true);
    expect(doc.info.description).toMatch(/specs:read/);
  });

  it("embeds the handlers' own zod schemas: inputs by their input side, responses by their output side", () => {
    const json = (schema: z.ZodType, io: "input" | "output") => {
      const generated: Record<string, unknown> = { ...z.toJSONSchema(schema, { target: "draft-2020-12", io }) };
      delete generated.$schema;
      return generated;
    };
    const schemas = doc.components.schemas;
    expect(schemas.CreateApiKeyInput).toEqual(json(createApiKeyInput, "input"));
    expect(schemas.UpdateApiKeyInput).toEqual(json(updateApiKeyInput, "input"));
    expect(schemas.ApiKey).toEqual(json(apiKeyOutput, "output"));
    expect(schemas.CreatedApiKey).toEqual(json(createdApiKeyOutput, "output"));
    expect(schemas.Me).toEqual(json(meOutput, "output"));
    expect(schemas.BehaviorSpec).toEqual(json(behaviorSpecOutput, "output"));
    expect(schemas.CreateBehaviorSpecInput).toEqual(json(createBehaviorSpecInput, "input"));
    expect(schemas.UpdateBehaviorSpecInput).toEqual(json(updateBehaviorSpecInput, "input"));
  });

  it("has examples that the real schemas accept", () => {
    const outputs: Record<string, z.ZodType> = {
      getMe: meOutput,
      listApiKeys: z.array(apiKeyOutput),
      createApiKey: createdApiKeyOutput,
      revokeApiKey: apiKeyOutput,
      updateApiKey: apiKeyOutput,
      listBehaviorSpecs: z.array(behaviorSpecOutput),
      createBehaviorSpec: behaviorSpecOutput,
      getBehaviorSpec: behaviorSpecOutput,
      updateBehaviorSpec: behaviorSpecOutput,
      deleteBehaviorSpec: behaviorSpecOutput,
    };
    for (const [operationId, schema] of Object.entries(outputs)) {
      const { op } = operations.find(({ op }) => op.operationId === operationId)!;
      const [, response] = Object.entries(op.responses).find(([status]) => status.startsWith("2"))!;
      const example = ((response as Json).content as Record<string, { example: { data: unknown } }>)["application/json"]!.example;
      expect(schema.safeParse(example.data).error, operationId).toBeUndefined();
    }
    const created = operations.find(({ op }) => op.operationId === "createApiKey")!.op;
    const key = ((created.responses["201"] as Json).content as Record<string, { example: { data: { key: string; key_prefix: string } } }>)["application/json"]!
      .example.data;
    // It starts with the documented prefix but is deliberately not a well-formed key, so
    // secret scanners never flag the document (and nobody copies it as a real one).
    expect(key.key.startsWith(key.key_prefix)).toBe(true);
    expect(parseApiKey(key.key)).toBeNull();
  });
});

describe("SchemaComponents", () => {
  it("hoists zod's $defs (ids, recursion) into components.schemas and rewrites their references", () => {
    const tag = z.object({ label: z.string() }).meta({ id: "TagForTest" });
    type Node = { name: string; children: Node[] };
    const node: z.ZodType<Node> = z.object({ name: z.string(), get children() { return z.array(node); } });
    const components = new SchemaComponents();
    expect(components.add("Post", z.object({ tags: z.array(tag), tree: node }), "output")).toEqual({ $ref: "#/components/schemas/Post" });
    const text = JSON.stringify(components.schemas);
    expect(text).not.toMatch(/\$defs|\$schema|"#\/\$defs|"\$ref":"#"/);
    expect(components.schemas.TagForTest).toMatchObject({ type: "object", properties: { label: { type: "string" } } });
    for (const [, key, value] of walk(components.schemas)) {
      if (key === "$ref") expect(components.schemas[(value as string).replace("#/components/schemas/", "")], value as string).toBeDefined();
    }
    z.globalRegistry.remove(tag);
  });

  it("refuses two different schemas under one name", () => {
    const components = new SchemaComponents();
    components.add("Same", z.object({ a: z.string() }), "output");
    expect(() => components.add("Same", z.object({ b: z.string() }), "output")).toThrow(/two different schemas/);
  });
});

describe("lists whose items may appear once", () => {
  // What the document calls valid, the API accepts: a list the contract refuses with a repeat
  // says `uniqueItems` wherever a request body has it (Schemathesis sent a policy with a role
  // twice, valid by the document, and got a 400).
  const bodies = operations.flatMap(({ path, method, op }) => {
    const schema = (op.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined)?.content?.["application/json"]?.schema;
    return schema ? [{ where: `${method.toUpperCase()} ${path}`, schema }] : [];
  });
  /** Every property `name` in a request body, through $refs, with where it is. */
  const propertiesNamed = (name: string) => {
    const found: { where: string; schema: Json }[] = [];
    const visit = (node: unknown, where: string, depth: number) => {
      if (typeof node !== "object" || node === null || depth > 12) return;
      const here = deref(node);
      const props = here.properties as Record<string, unknown> | undefined;
      if (props?.[name]) found.push({ where, schema: deref(props[name]) });
      for (const inner of Object.values(here)) visit(inner, where, depth + 1);
    };
    for (const { where, schema } of bodies) visit(schema, where, 0);
    return found;
  };
  const repeated = {
    key_creator_roles: { op: "updateOrganizationPolicy", body: { key_creator_roles: ["admin", "admin"] }, message: "must not name a role twice" },
    scopes: { op: "createApiKey", body: { name: "k", scopes: ["specs:read", "specs:read"] }, message: "must not name a scope twice" },
    allowed_events: {
      op: "createTrustPolicy",
      body: { name: "p", provider: "github", conditions: { repository_id: "1", repository_owner_id: "2" }, allowed_events: ["push", "push"] },
      message: "must not name an event twice",
    },
  } as const;
  for (const [field, { op, body, message }] of Object.entries(repeated)) {
    it(`${field}: a repeat is refused in words, and every request body says uniqueItems`, () => {
      const parsed = (contract as unknown as Record<string, { body: z.ZodType }>)[op]!.body.safeParse(body);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => i.message)).toContain(message);
      const found = propertiesNamed(field);
      expect(found.length).toBeGreaterThan(0);
      for (const { where, schema } of found) {
        const list = (schema.anyOf as Json[] | undefined)?.find((s) => s.type === "array") ?? schema;
        expect(list.uniqueItems, `${where}: ${field}`).toBe(true);
      }
    });
  }
});
