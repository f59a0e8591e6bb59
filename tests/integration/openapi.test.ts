// GET /api/v1/openapi.json against the running app: a valid OpenAPI 3.1 document that
// lists exactly the routes on disk, each served from the contract operation of its method
// and path (so a new route handler outside the contract, or a contract operation or
// documentation of a route that is gone, fails here), plus the envelope the API gives for
// paths and methods that do not exist.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, describe, expect, it } from "vitest";

import { operations } from "@/lib/contract";

import { api, type Call, type Json } from "../support/http";
import { sessionCookie } from "../support/session";
import { APP_URL, newUser } from "../support/stack";

type Doc = { openapi: string; paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json> } };

const API_DIR = fileURLToPath(new URL("../../app/api/v1", import.meta.url));
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(path);
    return /^route\.(ts|tsx|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** `api-keys/[id]/route.ts` → `/api/v1/api-keys/{id}`; null for catch-alls, which are not endpoints. */
function urlPathOf(file: string): string | null {
  const segments = relative(API_DIR, file).split(sep).slice(0, -1);
  if (segments.some((s) => s.startsWith("[...") || s.startsWith("[[..."))) return null;
  const parts = segments.filter((s) => !/^\(.*\)$/.test(s)).map((s) => s.replace(/^\[(\w+)\]$/, "{$1}"));
  return ["/api/v1", ...parts].join("/");
}

/**
 * The HTTP methods a route file really implements: its GET/POST/… exports, less the ones
 * produced by methodNotAllowed (directly, or through a const holding its result) and the
 * ones re-exported from a catch-all (its "No such endpoint" 404). An export in a form
 * this does not know fails loudly rather than being guessed at.
 */
function implementedMethods(file: string): string[] {
  const source = readFileSync(file, "utf8");
  const fromNotAllowed = new Set(
    [...source.matchAll(/\bconst\s+(\w+)\s*=\s*methodNotAllowed\s*\(/g)].map((m) => m[1]!),
  );
  const implemented = new Set<string>();
  const refused = new Set<string>();
  for (const m of source.matchAll(/export\s+const\s+(\w+)\s*=\s*([\w.]+)/g)) {
    if (METHODS.includes(m[1] as (typeof METHODS)[number])) {
      (m[2] === "methodNotAllowed" ? refused : implemented).add(m[1]!);
    }
  }
  for (const m of source.matchAll(/export\s+(?:async\s+)?function\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) implemented.add(m[1]!);
  for (const m of source.matchAll(/export\s+const\s*\{([^}]*)\}\s*=\s*(\w+)\s*(\(?)/g)) {
    const names = m[1]!.split(",").map((n) => n.trim()).filter(Boolean);
    const fromHelper = (m[2] === "methodNotAllowed" && m[3] === "(") || fromNotAllowed.has(m[2]!);
    if (!fromHelper) throw new Error(`${file}: cannot tell what "export const { ${names.join(", ")} } = ${m[2]}" exports`);
    for (const name of names) refused.add(name);
  }
  for (const m of source.matchAll(/export\s*\{([^}]*)\}\s*(?:from\s*["']([^"']+)["'])?/g)) {
    const from = m[2];
    // Re-exporting a catch-all's handlers (the 404 "No such endpoint") adds no endpoint.
    if (from !== undefined && !from.includes("[...")) throw new Error(`${file}: cannot tell what is re-exported from ${from}`);
    for (const spec of m[1]!.split(",")) {
      const [local, exported = local] = spec.trim().split(/\s+as\s+/);
      if (!exported || !METHODS.includes(exported as (typeof METHODS)[number])) continue;
      if (from !== undefined || fromNotAllowed.has(local!)) refused.add(exported);
      else implemented.add(exported);
    }
  }
  for (const name of implemented) expect(refused.has(name), `${file} exports ${name} twice`).toBe(false);
  return [...implemented];
}

/** `api`, as this file reads it: the Response's status and headers, the parsed body, the text. */
const get = async (path: string, call?: Call) => {
  const { status, headers, body, text } = await api(path, call);
  return { res: { status, headers }, body: text.trim().startsWith("{") ? (body as Json) : undefined, text };
};

let doc: Doc;
let served: { status: number; headers: Headers };

beforeAll(async () => {
  const { res, body, text } = await get("/api/v1/openapi.json");
  served = res;
  if (!body) throw new Error(`GET /api/v1/openapi.json did not answer JSON (${res.status}): ${text.slice(0, 200)}`);
  doc = body as Doc;
});

describe("GET /api/v1/openapi.json", () => {
  it("is 200 JSON, outside the {data} envelope, cacheable, with a request id", () => {
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toMatch(/^application\/json/);
    expect(served.headers.get("cache-control")).toBe("public, max-age=300");
    expect(served.headers.get("x-request-id")).toBeTruthy();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc).not.toHaveProperty("data");
  });

  it("names the session cookie this deployment really reads, so a tool given the document can authenticate", async () => {
    const scheme = (doc.components as unknown as { securitySchemes: Record<string, Json> }).securitySchemes.sessionCookie!;
    expect(scheme).toMatchObject({ type: "apiKey", in: "cookie" });
    const { session } = await newUser("openapi-cookie");
    // One unsplit cookie under exactly the advertised name, as a generic client sends it.
    const value = `base64-${Buffer.from(JSON.stringify(session), "utf8").toString("base64url")}`;
    const me = await get("/api/v1/me", { headers: { cookie: `${String(scheme.name)}=${value}` } });
    expect(me.res.status).toBe(200);
    expect(me.body).toMatchObject({ data: { user: { id: session.user.id }, authentication: { method: "session" } } });
  });

  it("validates as OpenAPI 3.1", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("lists exactly the routes and methods that exist in app/api/v1", () => {
    const onDisk = routeFiles(API_DIR).flatMap((file) => {
      const path = urlPathOf(file);
      return path === null ? [] : implementedMethods(file).map((method) => `${method} ${path}`);
    });
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => METHODS.includes(key.toUpperCase() as (typeof METHODS)[number]))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    // A sanity floor, so a parser that finds nothing cannot pass by matching nothing.
    expect(onDisk).toEqual(expect.arrayContaining(["GET /api/v1/health", "POST /api/v1/api-keys", "DELETE /api/v1/api-keys/{id}"]));
    expect(documented.sort()).toEqual(onDisk.sort());
  });

  it("serves every route method on disk from the contract operation of that method and path", () => {
    const served = routeFiles(API_DIR).flatMap((file) => {
      const path = urlPathOf(file);
      if (path === null) return [];
      const source = readFileSync(file, "utf8");
      return implementedMethods(file).map((method) => {
        const id = new RegExp(`export\\s+const\\s+${method}\\s*=\\s*serve\\(\\s*operations\\.(\\w+)`).exec(source)?.[1];
        return `${method} ${path} ${id ?? "(not served from the contract)"}`;
      });
    });
    const contract = Object.entries(operations).map(([id, operation]) => `${operation.method} ${operation.path} ${id}`);
    expect(served.sort()).toEqual(contract.sort());
    for (const [id, operation] of Object.entries(operations)) {
      expect(doc.paths[operation.path]?.[operation.method.toLowerCase()], id).toMatchObject({ operationId: id });
    }
  });

  it("refuses other methods with the 405 envelope", async () => {
    const { res, body } = await get("/api/v1/openapi.json", { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(body).toEqual({ error: { code: "method_not_allowed", message: expect.any(String) } });
  });
});

describe("paths and methods that do not exist", () => {
  it("an unknown path is the 404 envelope, as JSON", async () => {
    const { res, body } = await get("/api/v1/nope");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(body).toEqual({ error: { code: "not_found", message: "No such endpoint: GET /api/v1/nope" } });
  });

  it("PUT /api/v1/health is the 405 envelope with an Allow header", async () => {
    const { res, body } = await get("/api/v1/health", { method: "PUT" });
    expect(res.status).toBe(405);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(body).toEqual({ error: { code: "method_not_allowed", message: "Method PUT is not allowed here; use GET" } });
  });
});

describe("the documented shapes are the real ones", () => {
  // The fields of a documented object schema, to compare with what the API really sent.
  const fields = (name: string) => Object.keys((doc.components.schemas[name] as { properties: Json }).properties).sort();
  const codes = () => ((doc.components.schemas.Error as Json).properties as { error: { properties: { code: { enum: string[] } } } }).error.properties.code.enum;

  it("health, me, a created key and a created spec carry exactly the documented fields", async () => {
    const user = await newUser("openapi");
    const cookie = sessionCookie(user.session);
    const json = { "content-type": "application/json", cookie, origin: APP_URL };

    const health = await get("/api/v1/health");
    expect(Object.keys((health.body as { data: Json }).data).sort()).toEqual(fields("Health"));

    const created = await get("/api/v1/api-keys", { method: "POST", headers: json, body: JSON.stringify({ name: "openapi" }) });
    expect(created.res.status).toBe(201);
    const key = (created.body as { data: Json & { key: string } }).data;
    expect(Object.keys(key).sort()).toEqual(fields("CreatedApiKey"));
    const auth = { authorization: `Bearer ${key.key}` };

    const me = await get("/api/v1/me", { headers: auth });
    expect(Object.keys((me.body as { data: Json }).data).sort()).toEqual(fields("Me"));

    const list = await get("/api/v1/api-keys", { headers: auth });
    expect(Object.keys(list.body as Json).sort()).toEqual(["data", "meta"]);
    expect(Object.keys((list.body as { data: Json[] }).data[0]!).sort()).toEqual(fields("ApiKey"));
    expect(Object.keys((list.body as { meta: Json }).meta).sort()).toEqual(fields("PageMeta"));

    const spec = await get("/api/v1/behavior-specs", {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ name: "openapi", examples: [{ input: "a", output: "b" }] }),
    });
    expect(spec.res.status).toBe(201);
    expect(Object.keys((spec.body as { data: Json }).data).sort()).toEqual(fields("BehaviorSpec"));

    // Errors use the documented codes and the documented status for each.
    const invalid = await get("/api/v1/behavior-specs?per_page=0", { headers: auth });
    expect(invalid.res.status).toBe(400);
    expect(codes()).toContain((invalid.body as { error: { code: string } }).error.code);
    expect(Object.keys((invalid.body as { error: Json }).error).sort()).toEqual(["code", "details", "message"]);
  });
});
