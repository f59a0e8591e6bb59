// The SDK's client against a fetch double (pure logic: no server): requests built from the
// operations table, the envelope unwrapped, error answers thrown as their classes with
// status, code, details, request id and Retry-After, redirects refused, and the key's
// expiry header reported.
import { describe, expect, it } from "vitest";

import {
  ApiError,
  ConflictError,
  createClient,
  DeviceFlowError,
  ERROR_STATUS,
  ForbiddenError,
  InternalError,
  NotFoundError,
  ORGANIZATION_HEADER,
  RateLimitedError,
  TunedTensorError,
  UnauthorizedError,
  UnexpectedResponseError,
  ValidationError,
  type ClientOptions,
  type ErrorCode,
  type KeyExpiry,
} from "../../sdk/src/index.ts";

const BASE = "https://api.example.test";
// A key-shaped string, built here so that no literal in the repository looks like a real key.
const KEY = `tt_${"testkey".repeat(6)}1234567`;

type Seen = { url: string; init: RequestInit };

function fake(responses: (Response | Error)[], options: ClientOptions = {}) {
  const seen: Seen[] = [];
  const slept: number[] = [];
  const client = createClient({
    baseUrl: `${BASE}/`,
    apiKey: KEY,
    retry: { attempts: 3 },
    sleep: async (ms) => {
      slept.push(ms);
    },
    now: () => Date.parse("2026-12-01T00:00:00Z"),
    ...options,
    fetch: async (url, init) => {
      seen.push({ url: String(url), init: init ?? {} });
      const next = responses.shift();
      if (!next) throw new Error("no more responses");
      if (next instanceof Error) throw next;
      return next;
    },
  });
  return { client, seen, slept };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const failure = (status: number, code: string, message: string, headers: Record<string, string> = {}, details?: unknown) =>
  json(status, { error: { code, message, ...(details ? { details } : {}) } }, { "x-request-id": "req-1", ...headers });

const SPEC = { id: "6f1d3c2e-8a4b-4c1d-9e7f-0a1b2c3d4e5f", name: "Support tone" };

describe("requests", () => {
  it("fill the path and query, send the key as a bearer and the body as JSON, never follow redirects", async () => {
    const { client, seen } = fake([json(200, { data: SPEC }), json(200, { data: [SPEC], meta: { page: 2, per_page: 5, total: 6 } }), json(201, { data: SPEC })]);
    expect(await client.getBehaviorSpec({ params: { id: "a/b c" } })).toEqual(SPEC);
    const page = await client.listBehaviorSpecs({ query: { page: 2, per_page: "5" } });
    expect(page).toEqual({ data: [SPEC], meta: { page: 2, per_page: 5, total: 6 } });
    await client.createBehaviorSpec({ body: { name: "x", examples: [{ input: "a", output: "b" }] } });

    expect(seen.map((s) => `${s.init.method} ${s.url}`)).toEqual([
      `GET ${BASE}/api/v1/behavior-specs/a%2Fb%20c`,
      `GET ${BASE}/api/v1/behavior-specs?page=2&per_page=5`,
      `POST ${BASE}/api/v1/behavior-specs`,
    ]);
    const headers = seen[2]!.init.headers as Record<string, string>;
    expect(headers).toMatchObject({ authorization: `Bearer ${KEY}`, accept: "application/json", "content-type": "application/json" });
    expect(JSON.parse(String(seen[2]!.init.body))).toEqual({ name: "x", examples: [{ input: "a", output: "b" }] });
    expect(seen.every((s) => s.init.redirect === "manual")).toBe(true);
    expect((seen[0]!.init.headers as Record<string, string>)["content-type"]).toBeUndefined();
  });

  it("send no Authorization without a key, and the browser's cookies with credentials", async () => {
    const { client, seen } = fake([json(200, { data: { status: "ok" } })], { apiKey: undefined, credentials: "include" });
    await client.getHealth();
    expect((seen[0]!.init.headers as Record<string, string>).authorization).toBeUndefined();
    expect(seen[0]!.init.credentials).toBe("include");
  });

  it("name the organization in every request with `organization`, a call's own header winning; none without it or when blank", async () => {
    const org = "3c9a2f1e-5b7d-4e8a-9c6b-2d1f0e9a8b7c";
    const { client, seen } = fake([json(200, { data: SPEC }), json(201, { data: SPEC }), json(200, { data: SPEC })], { organization: " acme " });
    expect(client.organization).toBe("acme");
    await client.getBehaviorSpec({ params: { id: SPEC.id } });
    await client.createBehaviorSpec({ body: { name: "x", examples: [{ input: "a", output: "b" }] } });
    await client.getBehaviorSpec({ params: { id: SPEC.id }, headers: { [ORGANIZATION_HEADER]: org } });
    expect(seen.map((s) => (s.init.headers as Record<string, string>)[ORGANIZATION_HEADER])).toEqual(["acme", "acme", org]);
    expect(ORGANIZATION_HEADER).toBe("tt-organization");

    for (const organization of [undefined, "", "  "]) {
      const plain = fake([json(200, { data: { status: "ok" } })], { organization });
      expect(plain.client.organization).toBeNull();
      await plain.client.getHealth();
      expect(Object.keys(plain.seen[0]!.init.headers as Record<string, string>)).not.toContain(ORGANIZATION_HEADER);
    }
  });

  it("need a base URL outside a browser", async () => {
    const client = createClient({ fetch: async () => json(200, {}) });
    await expect(client.getHealth()).rejects.toThrow(/baseUrl is required/);
  });

  it("give the whole answer through request()", async () => {
    const { client } = fake([json(200, { data: SPEC }, { "x-request-id": "abc", "tt-key-expires-at": "2026-12-03T00:00:00.000Z" })]);
    const answer = await client.request("getBehaviorSpec", { params: { id: SPEC.id } });
    expect(answer).toMatchObject({ status: 200, result: SPEC, requestId: "abc", keyExpiresAt: "2026-12-03T00:00:00.000Z" });
  });
});

describe("error answers", () => {
  const cases: [ErrorCode, new (...args: never[]) => ApiError][] = [
    ["validation_error", ValidationError],
    ["unauthorized", UnauthorizedError],
    ["forbidden", ForbiddenError],
    ["not_found", NotFoundError],
    ["conflict", ConflictError],
    ["rate_limited", RateLimitedError],
    ["authorization_pending", DeviceFlowError],
    ["internal_error", InternalError],
  ];
  it.each(cases)("%s is thrown as its class, with status, code, message and request id", async (code, Class) => {
    const { client } = fake([failure(ERROR_STATUS[code], code, "nope")], { retry: false });
    const error = await client.createBehaviorSpec({ body: { name: "x", examples: [] } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(TunedTensorError);
    expect(error).toMatchObject({ status: ERROR_STATUS[code], code, message: "nope", requestId: "req-1", details: [] });
  });

  it("a validation error carries its details", async () => {
    const details = [{ path: "examples", message: "must have at least 1 item" }];
    const { client } = fake([failure(400, "validation_error", "Invalid request body", {}, details)]);
    const error = (await client.createBehaviorSpec({ body: { name: "x", examples: [] } }).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.details).toEqual(details);
  });

  it("a 403 for a missing scope names it; a step-up challenge is recognised", async () => {
    const { client } = fake([
      failure(403, "forbidden", "This API key lacks the scope specs:write", { "www-authenticate": 'Bearer error="insufficient_scope", scope="specs:write"' }),
      failure(403, "forbidden", "Second factor", { "www-authenticate": 'Bearer realm="tunedtensor", error="insufficient_user_authentication", acr_values="aal2"' }),
    ]);
    const scope = (await client.deleteBehaviorSpec({ params: { id: SPEC.id } }).catch((e: unknown) => e)) as ForbiddenError;
    expect([scope.missingScope, scope.secondFactorRequired]).toEqual(["specs:write", false]);
    const stepUp = (await client.createBehaviorSpec({ body: { name: "x", examples: [] } }).catch((e: unknown) => e)) as ForbiddenError;
    expect([stepUp.missingScope, stepUp.secondFactorRequired]).toEqual([null, true]);
  });

  it("a 429 carries Retry-After in seconds", async () => {
    const { client } = fake([failure(429, "rate_limited", "slow down", { "retry-after": "42" })]);
    const error = (await client.createBehaviorSpec({ body: { name: "x", examples: [] } }).catch((e: unknown) => e)) as RateLimitedError;
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.retryAfter).toBe(42);
  });

  it("a code this SDK does not know is a plain ApiError; an error without the envelope is an unexpected answer", async () => {
    const { client } = fake(
      [failure(418, "teapot", "short and stout"), new Response("<html>Bad gateway</html>", { status: 502, headers: { "x-request-id": "r2" } }), json(500, { message: "oops" })],
      { retry: false },
    );
    const unknown = await client.getMe().catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ApiError);
    expect(unknown).toMatchObject({ status: 418, code: "teapot" });
    const gateway = await client.getMe().catch((e: unknown) => e);
    expect(gateway).toBeInstanceOf(UnexpectedResponseError);
    expect(gateway).toMatchObject({ status: 502, requestId: "r2", message: `unexpected response from ${BASE}/api/v1/me: HTTP 502, not JSON` });
    await expect(client.getMe()).rejects.toThrow(`unexpected response from ${BASE}/api/v1/me: HTTP 500 without an error envelope`);
  });

  it("a redirect, a success that is not JSON and a success without data are unexpected answers", async () => {
    const { client } = fake([
      new Response(null, { status: 302, headers: { location: "https://elsewhere.example/" } }),
      new Response("<html></html>", { status: 200 }),
      json(200, { nodata: true }),
      json(200, { data: [] }),
    ]);
    const redirect = await client.getMe().catch((e: unknown) => e);
    expect(redirect).toBeInstanceOf(UnexpectedResponseError);
    expect(redirect).toMatchObject({ status: 302, location: "https://elsewhere.example/" });
    await expect(client.getMe()).rejects.toThrow(/not JSON/);
    await expect(client.getMe()).rejects.toThrow(/no "data"/);
    await expect(client.listApiKeys()).rejects.toThrow(/without pagination/);
  });
});

describe("the key's expiry", () => {
  it("is kept from every answer and reported, soon when under 7 days", async () => {
    const reports: KeyExpiry[] = [];
    const { client } = fake(
      [
        json(200, { data: SPEC }, { "tt-key-expires-at": "2026-12-20T00:00:00.000Z" }),
        json(200, { data: SPEC }, { "tt-key-expires-at": "2026-12-03T00:00:00.000Z" }),
        json(200, { data: SPEC }),
      ],
      { onKeyExpiry: (expiry) => reports.push(expiry) },
    );
    expect(client.keyExpiresAt).toBeNull();
    await client.getBehaviorSpec({ params: { id: SPEC.id } });
    await client.getBehaviorSpec({ params: { id: SPEC.id } });
    await client.getBehaviorSpec({ params: { id: SPEC.id } });
    expect(reports).toEqual([
      { expiresAt: "2026-12-20T00:00:00.000Z", remainingMs: 19 * 86_400_000, soon: false },
      { expiresAt: "2026-12-03T00:00:00.000Z", remainingMs: 2 * 86_400_000, soon: true },
    ]);
    expect(client.keyExpiresAt).toBe("2026-12-03T00:00:00.000Z");
  });
});

describe("keys in text", () => {
  const key = "tt_AbCdEfGh" + "x".repeat(35) + "123456";
  it("are masked to their prefix, and cut to it wherever they appear", async () => {
    const { maskKey, redactKeys, KEY_PREFIX_LENGTH } = await import("../../sdk/src/index.ts");
    expect(KEY_PREFIX_LENGTH).toBe(11);
    expect(maskKey(key)).toBe("tt_AbCdEfGh…");
    expect(maskKey("not a key")).toBeNull();
    expect(redactKeys(`bad key ${key}!`)).toBe("bad key tt_AbCdEfGh…!");
    expect(redactKeys("tt_AbCdEfGh is only a prefix")).toBe("tt_AbCdEfGh is only a prefix");
  });
});
