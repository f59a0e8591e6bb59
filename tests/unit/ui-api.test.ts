// The dashboard's callApi (lib/ui/api.ts) is the SDK with the session cookie: the request it
// sends (same origin, cookie, no key, no cache) and each kind of answer in the dashboard's
// words — a page, validation details kept, the step-up challenge's own message, friendly
// words by code, a network failure and a proxy's page. A fetch double stands in for the
// browser's.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { callApi } from "@/lib/ui/api";

type Seen = { url: string; init: RequestInit };
let seen: Seen[];
let answers: (Response | Error)[];

beforeEach(() => {
  seen = [];
  answers = [];
  vi.stubGlobal("location", { href: "http://localhost:3000/settings/api-keys" });
  vi.stubGlobal("fetch", async (url: URL, init: RequestInit) => {
    seen.push({ url: String(url), init });
    const next = answers.shift();
    if (!next) throw new Error("no more answers");
    if (next instanceof Error) throw next;
    return next;
  });
});
afterEach(() => vi.unstubAllGlobals());

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers });
const ID = "0b7c9f8e-2d3a-4e5b-8c6d-7e8f9a0b1c2d";

describe("callApi", () => {
  it("sends the operation to the page's origin with the cookie, and unwraps the envelope", async () => {
    answers.push(json(200, { data: { id: ID, name: "CI" } }));
    const result = await callApi("revokeApiKey", { params: { id: ID } });
    expect(result).toEqual({ ok: true, status: 200, data: { id: ID, name: "CI" } });
    expect(seen[0]!.url).toBe(`http://localhost:3000/api/v1/api-keys/${ID}`);
    expect(seen[0]!.init).toMatchObject({ method: "DELETE", credentials: "same-origin", cache: "no-store", redirect: "manual" });
    expect((seen[0]!.init.headers as Record<string, string>).authorization).toBeUndefined();
  });

  it("gives a page's items and meta", async () => {
    answers.push(json(200, { data: [{ id: ID }], meta: { page: 1, per_page: 20, total: 1 } }));
    expect(await callApi("listApiKeys")).toEqual({ ok: true, status: 200, data: [{ id: ID }], meta: { page: 1, per_page: 20, total: 1 } });
  });

  it("keeps a validation error's message and details", async () => {
    const details = [{ path: "name", message: "is required" }];
    answers.push(json(400, { error: { code: "validation_error", message: "Invalid request body", details } }));
    expect(await callApi("createApiKey", { body: { name: "" } })).toEqual({ ok: false, status: 400, code: "validation_error", message: "Invalid request body", details });
  });

  it("keeps the step-up challenge's own message and says a second factor is needed", async () => {
    answers.push(
      json(403, { error: { code: "forbidden", message: "A second factor is needed" } }, { "www-authenticate": 'Bearer realm="tunedtensor", error="insufficient_user_authentication", acr_values="aal2"' }),
    );
    expect(await callApi("createApiKey", { body: { name: "x" } })).toEqual({ ok: false, status: 403, code: "forbidden", message: "A second factor is needed", details: [], secondFactor: true });
  });

  it("puts other failures in the dashboard's words, by code", async () => {
    answers.push(json(401, { error: { code: "unauthorized", message: "Authentication required" } }));
    answers.push(json(404, { error: { code: "not_found", message: "API key not found" } }));
    answers.push(new TypeError("fetch failed"));
    answers.push(new Response("<html>Bad gateway</html>", { status: 502 }));
    expect(await callApi("rollApiKey", { params: { id: ID }, body: {} })).toMatchObject({ ok: false, status: 401, code: "unauthorized", message: "Your session has ended. Log in again to continue." });
    expect(await callApi("rollApiKey", { params: { id: ID }, body: {} })).toMatchObject({ ok: false, status: 404, message: "It no longer exists — it may have been deleted." });
    expect(await callApi("rollApiKey", { params: { id: ID }, body: {} })).toMatchObject({ ok: false, status: 0, code: "network_error" });
    expect(await callApi("rollApiKey", { params: { id: ID }, body: {} })).toMatchObject({ ok: false, status: 502, code: "internal_error", message: "Something went wrong on our side. Please try again." });
    expect(seen).toHaveLength(4); // a POST is never retried
  });
});
