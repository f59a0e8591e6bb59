// Keyless CI in the SDK against fetch doubles (pure logic: no server): the RFC 8693 exchange
// (form body, RFC 6749 answers and errors), the credential that exchanges lazily, shares one
// exchange between calls in flight and exchanges again before the key expires (the clock
// injected), the job's token from GitHub's runner or GitLab's id_tokens: variable, and
// where keyless CI sits in clientFromEnvironment's precedence.
import { describe, expect, it } from "vitest";

import {
  createClient,
  exchangeOidcToken,
  ID_TOKEN_TYPE,
  OidcCredential,
  TOKEN_EXCHANGE_GRANT,
  TokenExchangeError,
  UnexpectedResponseError,
} from "../../sdk/src/index.ts";
import { ciIdToken, CiTokenError, clientFromEnvironment, oidcAudience } from "../../sdk/src/node.ts";

const BASE = "https://api.example.test";
// Key-shaped strings, built here so that no literal in the repository looks like a real key.
const minted = (n: number) => `tt_${"minted".repeat(7)}${String(n).padStart(7, "0")}`;
const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm8vciJ9.c2ln";

type Seen = { url: string; init: RequestInit };
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const granted = (n: number, expiresIn = 900) =>
  json(200, { access_token: minted(n), issued_token_type: "urn:ietf:params:oauth:token-type:access_token", token_type: "Bearer", expires_in: expiresIn, scope: "specs:read specs:write" });

/** A fetch that answers the exchange with key n, n+1…, and every other request with an empty page. */
function server() {
  const seen: Seen[] = [];
  let n = 0;
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    seen.push({ url: String(url), init: init ?? {} });
    if (String(url).endsWith("/api/v1/oauth/token")) return granted(++n);
    return json(200, { data: [], meta: { page: 1, per_page: 20, total: 0 } });
  };
  return { seen, fetch: fetch as typeof globalThis.fetch, exchanges: () => seen.filter((s) => s.url.endsWith("/oauth/token")) };
}
const bearer = (s: Seen) => new Headers(s.init.headers).get("authorization");

describe("exchangeOidcToken", () => {
  it("posts RFC 8693's form and answers the key, its expiry from expires_in and the scopes", async () => {
    const seen: Seen[] = [];
    const key = await exchangeOidcToken({
      baseUrl: `${BASE}/`,
      subjectToken: JWT,
      policy: " 0b7c8d9e-0000-4000-8000-000000000001 ",
      now: () => 1_000_000,
      fetch: (async (url: string, init: RequestInit) => (seen.push({ url, init }), granted(1))) as unknown as typeof fetch,
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe(`${BASE}/api/v1/oauth/token`);
    expect(seen[0]!.init.method).toBe("POST");
    expect(new Headers(seen[0]!.init.headers).get("content-type")).toBe("application/x-www-form-urlencoded");
    const form = new URLSearchParams(String(seen[0]!.init.body));
    expect(Object.fromEntries(form)).toEqual({
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token: JWT,
      subject_token_type: ID_TOKEN_TYPE,
      audience: "0b7c8d9e-0000-4000-8000-000000000001",
    });
    expect(key).toEqual({ apiKey: minted(1), expiresIn: 900, expiresAt: 1_000_000 + 900_000, scopes: ["specs:read", "specs:write"], policy: "0b7c8d9e-0000-4000-8000-000000000001" });
  });

  it("sends no audience when no policy is named (the server picks the one that matches)", async () => {
    let body = "";
    await exchangeOidcToken({ baseUrl: BASE, subjectToken: JWT, fetch: (async (_: string, init: RequestInit) => ((body = String(init.body)), granted(1))) as unknown as typeof fetch });
    expect(new URLSearchParams(body).has("audience")).toBe(false);
  });

  it("throws RFC 6749's error as TokenExchangeError, with the server's description", async () => {
    const refuse = (async () => json(400, { error: "invalid_grant", error_description: "the token matches no trust policy" })) as unknown as typeof fetch;
    const error = await exchangeOidcToken({ baseUrl: BASE, subjectToken: JWT, fetch: refuse }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenExchangeError);
    expect(error).toMatchObject({ status: 400, error: "invalid_grant", description: "the token matches no trust policy", message: "invalid_grant: the token matches no trust policy" });
  });

  it("refuses an answer that is not the exchange's: not JSON, the API's envelope, no expires_in", async () => {
    for (const answer of [
      new Response("<html>", { status: 502 }),
      json(404, { error: { code: "not_found", message: "no such route" } }),
      json(200, { access_token: minted(1) }),
    ]) {
      const error = await exchangeOidcToken({ baseUrl: BASE, subjectToken: JWT, fetch: (async () => answer) as unknown as typeof fetch }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnexpectedResponseError);
    }
  });
});

describe("the oidc credential option", () => {
  it("exchanges on the first request only, then sends the minted key", async () => {
    const s = server();
    let tokens = 0;
    const client = createClient({ baseUrl: BASE, fetch: s.fetch, oidc: { token: async () => (tokens++, JWT), policy: "p1" } });
    expect(s.seen).toHaveLength(0); // lazy: nothing before the first call
    await client.call("listBehaviorSpecs");
    await client.call("listBehaviorSpecs");
    expect(tokens).toBe(1);
    expect(s.exchanges()).toHaveLength(1);
    const calls = s.seen.filter((x) => !x.url.endsWith("/oauth/token"));
    expect(calls.map(bearer)).toEqual([`Bearer ${minted(1)}`, `Bearer ${minted(1)}`]);
  });

  it("exchanges again before the key expires (30 s before, the clock injected), not after every call", async () => {
    const s = server();
    let now = 0;
    const client = createClient({ baseUrl: BASE, fetch: s.fetch, now: () => now, oidc: { token: async () => JWT } });
    await client.call("listBehaviorSpecs");
    now = 900_000 - 30_001; // still more than 30 s left of 900 s
    await client.call("listBehaviorSpecs");
    expect(s.exchanges()).toHaveLength(1);
    now = 900_000 - 30_000;
    await client.call("listBehaviorSpecs");
    expect(s.exchanges()).toHaveLength(2);
    expect(bearer(s.seen.at(-1)!)).toBe(`Bearer ${minted(2)}`);
  });

  it("shares one exchange between calls in flight together (a CI token is good for one exchange)", async () => {
    const s = server();
    let tokens = 0;
    const client = createClient({ baseUrl: BASE, fetch: s.fetch, oidc: { token: async () => (tokens++, JWT) } });
    await Promise.all([1, 2, 3, 4].map(() => client.call("listBehaviorSpecs")));
    expect(tokens).toBe(1);
    expect(s.exchanges()).toHaveLength(1);
  });

  it("a failed exchange fails the call, and the next call tries again", async () => {
    let fail = true;
    const fetch = (async (url: URL | string) =>
      String(url).endsWith("/oauth/token") ? (fail ? json(400, { error: "invalid_grant", error_description: "expired" }) : granted(7)) : json(200, { data: [], meta: { page: 1, per_page: 20, total: 0 } })) as unknown as typeof globalThis.fetch;
    const credential = new OidcCredential({ baseUrl: BASE, fetch, token: async () => JWT });
    const client = createClient({ baseUrl: BASE, fetch, oidc: credential });
    await expect(client.call("listBehaviorSpecs")).rejects.toBeInstanceOf(TokenExchangeError);
    fail = false;
    await client.call("listBehaviorSpecs");
    expect(credential.last?.apiKey).toBe(minted(7));
  });

  it("refuses a key and oidc together", () => {
    expect(() => createClient({ baseUrl: BASE, apiKey: minted(1), oidc: { token: async () => JWT } })).toThrow(/not both/);
  });
});

describe("ciIdToken: the job's own token", () => {
  it("GitHub Actions: asks the runner with the request token, the audience appended", async () => {
    const seen: Seen[] = [];
    const fetch = (async (url: URL, init: RequestInit) => (seen.push({ url: String(url), init }), json(200, { value: JWT }))) as unknown as typeof globalThis.fetch;
    const env = { ACTIONS_ID_TOKEN_REQUEST_URL: "https://runner.example/token?api-version=2.0", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "req-token", GITHUB_ACTIONS: "true" };
    expect(await ciIdToken({ env, audience: "https://tunedtensor.com", fetch })).toBe(JWT);
    const url = new URL(seen[0]!.url);
    expect(url.searchParams.get("api-version")).toBe("2.0");
    expect(url.searchParams.get("audience")).toBe("https://tunedtensor.com");
    expect(new Headers(seen[0]!.init.headers).get("authorization")).toBe("bearer req-token");
  });

  it("GitHub Actions without id-token: write (no request variables): says which permission the job lacks, asks nothing", async () => {
    let asked = false;
    const fetch = (async () => ((asked = true), json(200, { value: JWT }))) as unknown as typeof globalThis.fetch;
    const error = (await ciIdToken({ env: { GITHUB_ACTIONS: "true" }, audience: BASE, fetch }).catch((e: unknown) => e)) as CiTokenError;
    expect(error).toBeInstanceOf(CiTokenError);
    expect(error.message).toMatch(/ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set.*permissions: id-token: write/);
    expect(error.hints.join("\n")).toContain("id-token: write");
    expect(asked).toBe(false);
  });

  it("GitHub's refusal is reported without the request token", async () => {
    const fetch = (async () => json(403, { message: "nope" })) as unknown as typeof globalThis.fetch;
    const env = { ACTIONS_ID_TOKEN_REQUEST_URL: "https://runner.example/token?api-version=2.0", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "req-token-secret" };
    const error = (await ciIdToken({ env, audience: BASE, fetch }).catch((e: unknown) => e)) as CiTokenError;
    expect(error.message).toMatch(/HTTP 403/);
    expect(`${error.message}${error.hints.join("")}`).not.toContain("req-token-secret");
  });

  it("GitLab: the id_tokens: variable, by default TUNED_TENSOR_ID_TOKEN, or the one TUNED_TENSOR_OIDC_TOKEN_VAR names", async () => {
    expect(await ciIdToken({ env: { GITLAB_CI: "true", TUNED_TENSOR_ID_TOKEN: JWT }, audience: BASE })).toBe(JWT);
    expect(await ciIdToken({ env: { TUNED_TENSOR_OIDC_TOKEN_VAR: "MY_TOKEN", MY_TOKEN: `${JWT}x` }, audience: BASE })).toBe(`${JWT}x`);
    const error = (await ciIdToken({ env: { GITLAB_CI: "true" }, audience: "https://tt.example" }).catch((e: unknown) => e)) as CiTokenError;
    expect(error.message).toMatch(/GitLab job has no OIDC token/);
    expect(error.hints.join("\n")).toMatch(/id_tokens:\n\s+TUNED_TENSOR_ID_TOKEN:\n\s+aud: https:\/\/tt\.example/);
  });

  it("outside any CI: says what each CI needs", async () => {
    await expect(ciIdToken({ env: {}, audience: BASE })).rejects.toThrow(/neither a GitHub Actions job nor a GitLab job/);
  });

  it("the audience: the flag, then TUNED_TENSOR_OIDC_AUDIENCE, then the server's origin", () => {
    expect(oidcAudience("https://tt.example/prefix", {})).toBe("https://tt.example");
    expect(oidcAudience("https://tt.example", { TUNED_TENSOR_OIDC_AUDIENCE: "aud-env" })).toBe("aud-env");
    expect(oidcAudience("https://tt.example", { TUNED_TENSOR_OIDC_AUDIENCE: "aud-env" }, "aud-flag")).toBe("aud-flag");
  });
});

describe("clientFromEnvironment with TUNED_TENSOR_OIDC_POLICY", () => {
  const ci = { GITLAB_CI: "true", TUNED_TENSOR_ID_TOKEN: JWT, TUNED_TENSOR_BASE_URL: BASE, TUNED_TENSOR_OIDC_POLICY: "p1" };

  it("mints a key from the job's token before the stored key, never instead of an explicit one", async () => {
    const s = server();
    const stored = () => ({ api_key: minted(900) });
    await clientFromEnvironment({ env: ci, stored, fetch: s.fetch }).call("listBehaviorSpecs");
    expect(new URLSearchParams(String(s.exchanges()[0]!.init.body)).get("audience")).toBe("p1");
    expect(bearer(s.seen.at(-1)!)).toBe(`Bearer ${minted(1)}`);

    await clientFromEnvironment({ env: { ...ci, TUNED_TENSOR_API_KEY: minted(500) }, stored, fetch: s.fetch }).call("listBehaviorSpecs");
    await clientFromEnvironment({ env: ci, apiKey: minted(600), stored, fetch: s.fetch }).call("listBehaviorSpecs");
    expect(s.exchanges()).toHaveLength(1);
    expect(s.seen.slice(-2).map(bearer)).toEqual([`Bearer ${minted(500)}`, `Bearer ${minted(600)}`]);
  });
});
