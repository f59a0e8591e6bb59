// The OIDC issuers' key cache (lib/oidc/jwks-cache.ts) with a fake fetch and a fake clock:
// discovery, a fetch per unknown kid at most once per back-off window, rotation, a set that
// ages out, a discovery document naming another issuer, failures backing off too; and the
// token verification on top of it (lib/oidc/verify-token.ts).
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";

import { jwksCache } from "@/lib/oidc/jwks-cache";
import { TokenRejected, verifyToken } from "@/lib/oidc/verify-token";

const ISSUER = "https://ci.example.com";
type Key = { kid: string; privateKey: CryptoKey; jwk: JWK };
async function makeKey(kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256" } };
}

/** A fake issuer: what it publishes, what was fetched, and whether it answers. */
function fakeIssuer(published: Key[], options: { issuerInDocument?: string } = {}) {
  const calls: string[] = [];
  let down = false;
  const fetchImpl = (async (input: string | URL | Request) => {
    const url = String(input);
    calls.push(url);
    if (down) return new Response("down", { status: 503 });
    if (url === `${ISSUER}/.well-known/openid-configuration`) {
      return Response.json({ issuer: options.issuerInDocument ?? ISSUER, jwks_uri: `${ISSUER}/keys` });
    }
    if (url === `${ISSUER}/keys`) return Response.json({ keys: published.map((k) => k.jwk) });
    return new Response("no", { status: 404 });
  }) as typeof fetch;
  return { fetchImpl, calls, keyFetches: () => calls.filter((c) => c.endsWith("/keys")).length, setDown: (value: boolean) => (down = value) };
}

let a: Key;
let b: Key;
beforeAll(async () => {
  [a, b] = await Promise.all([makeKey("a"), makeKey("b")]);
});

describe("jwksCache", () => {
  it("finds the key a kid names through the discovery document, and fetches once for many lookups", async () => {
    const issuer = fakeIssuer([a]);
    let clock = 0;
    const cache = jwksCache({ allowUrl: () => true, fetch: issuer.fetchImpl, now: () => clock, refetchMs: 60_000 });
    expect(await cache.keyFor(ISSUER, "a", "RS256")).toBeDefined();
    clock += 10;
    for (let i = 0; i < 5; i++) expect(await cache.keyFor(ISSUER, "a", "RS256")).toBeDefined();
    expect(issuer.calls).toEqual([`${ISSUER}/.well-known/openid-configuration`, `${ISSUER}/keys`]);
    // The wrong family of algorithm is not a match.
    expect(await cache.keyFor(ISSUER, "a", "ES256")).toBeUndefined();
  });

  it("fetches again for an unknown kid at most once per window, and sees a rotation after it", async () => {
    const published = [a];
    const issuer = fakeIssuer(published);
    let clock = 0;
    const cache = jwksCache({ allowUrl: () => true, fetch: issuer.fetchImpl, now: () => clock, refetchMs: 60_000 });
    expect(await cache.keyFor(ISSUER, "a", "RS256")).toBeDefined();
    // Unknown kids within the window: no fetch at all, whatever their number.
    clock += 1_000;
    for (let i = 0; i < 20; i++) expect(await cache.keyFor(ISSUER, `made-up-${i}`, "RS256")).toBeUndefined();
    expect(issuer.keyFetches()).toBe(1);
    published.push(b);
    expect(await cache.keyFor(ISSUER, "b", "RS256")).toBeUndefined();
    expect(issuer.keyFetches()).toBe(1);
    // The window over: one fetch, which finds the rotated key; the old one still verifies.
    clock += 60_000;
    expect(await cache.keyFor(ISSUER, "b", "RS256")).toBeDefined();
    expect(await cache.keyFor(ISSUER, "a", "RS256")).toBeDefined();
    expect(issuer.keyFetches()).toBe(2);
  });

  it("lets lookups that arrive during a fetch wait for it instead of fetching again", async () => {
    const issuer = fakeIssuer([a]);
    const cache = jwksCache({ allowUrl: () => true, fetch: issuer.fetchImpl, now: () => 0 });
    const keys = await Promise.all(Array.from({ length: 10 }, () => cache.keyFor(ISSUER, "a", "RS256")));
    expect(keys.every((k) => k !== undefined)).toBe(true);
    expect(issuer.keyFetches()).toBe(1);
  });

  it("drops a key the issuer withdrew once the set is older than maxAgeMs", async () => {
    const published = [a];
    const issuer = fakeIssuer(published);
    let clock = 0;
    const cache = jwksCache({ allowUrl: () => true, fetch: issuer.fetchImpl, now: () => clock, refetchMs: 1_000, maxAgeMs: 10_000 });
    expect(await cache.keyFor(ISSUER, "a", "RS256")).toBeDefined();
    published.splice(0, 1, b);
    clock += 5_000;
    expect(await cache.keyFor(ISSUER, "a", "RS256")).toBeDefined();
    clock += 10_000;
    expect(await cache.keyFor(ISSUER, "a", "RS256")).toBeUndefined();
    expect(await cache.keyFor(ISSUER, "b", "RS256")).toBeDefined();
  });

  it("backs off after a failed fetch too, and keeps answering from the set it has", async () => {
    const issuer = fakeIssuer([a]);
    let clock = 0;
    const errors: string[] = [];
    const cache = jwksCache({ allowUrl: () => true, fetch: issuer.fetchImpl, now: () => clock, refetchMs: 60_000, onError: (_, m) => errors.push(m) });
    expect(await cache.keyFor(ISSUER, "a", "RS256")).toBeDefined();
    issuer.setDown(true);
    clock += 60_000;
    expect(await cache.keyFor(ISSUER, "unknown", "RS256")).toBeUndefined();
    expect(errors).toEqual([expect.stringMatching(/HTTP 503/)]);
    const before = issuer.calls.length;
    clock += 1_000;
    expect(await cache.keyFor(ISSUER, "unknown", "RS256")).toBeUndefined();
    expect(issuer.calls.length).toBe(before);
    expect(await cache.keyFor(ISSUER, "a", "RS256")).toBeDefined();
  });

  it("refuses a discovery document that names another issuer, and never fetches a URL it may not", async () => {
    const issuer = fakeIssuer([a], { issuerInDocument: "https://evil.example.com" });
    const errors: string[] = [];
    const cache = jwksCache({ allowUrl: () => true, fetch: issuer.fetchImpl, now: () => 0, onError: (_, m) => errors.push(m) });
    expect(await cache.keyFor(ISSUER, "a", "RS256")).toBeUndefined();
    expect(errors[0]).toMatch(/names another issuer/);
    expect(issuer.keyFetches()).toBe(0);
    const closed = fakeIssuer([a]);
    const none = jwksCache({ allowUrl: () => false, fetch: closed.fetchImpl, now: () => 0 });
    expect(await none.keyFor(ISSUER, "a", "RS256")).toBeUndefined();
    expect(closed.calls).toEqual([]);
  });
});

describe("verifyToken", () => {
  const sign = (claims: Record<string, unknown>, key: Key = a, kid = key.kid) =>
    new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid }).sign(key.privateKey);
  const NOW = 1_800_000_000;
  const claims = (overrides: Record<string, unknown> = {}) => ({ iss: ISSUER, aud: "x", jti: "j", iat: NOW, nbf: NOW - 5, exp: NOW + 300, ...overrides });
  const verify = async (token: string, now = NOW) => {
    const cache = jwksCache({ allowUrl: () => true, fetch: fakeIssuer([a]).fetchImpl, now: () => 0 });
    return verifyToken(token, { keys: cache, nowSeconds: now });
  };
  const reason = async (token: string, now = NOW) => {
    try {
      await verify(token, now);
      return "verified";
    } catch (error) {
      if (error instanceof TokenRejected) return error.reason;
      throw error;
    }
  };

  it("verifies a token signed by a published key, with 60 s of skew on exp, nbf and iat", async () => {
    expect(await reason(await sign(claims()))).toBe("verified");
    expect(await reason(await sign(claims()), NOW + 300 + 59)).toBe("verified");
    expect(await reason(await sign(claims()), NOW + 300 + 61)).toBe("expired");
    expect(await reason(await sign(claims({ nbf: NOW + 59 })))).toBe("verified");
    expect(await reason(await sign(claims({ nbf: NOW + 61 })))).toBe("not_yet_valid");
    expect(await reason(await sign(claims({ iat: NOW + 61 })))).toBe("issued_in_future");
    expect(await reason(await sign(claims({ exp: undefined })))).toBe("claims");
  });

  it("refuses another key's signature under a published kid, an unknown kid, a bad algorithm and what is not a JWT", async () => {
    expect(await reason(await sign(claims(), b, "a"))).toBe("signature");
    expect(await reason(await sign(claims(), b))).toBe("unknown_key");
    const hs = await new SignJWT(claims()).setProtectedHeader({ alg: "HS256", kid: "a" }).sign(new TextEncoder().encode("k".repeat(32)));
    expect(await reason(hs)).toBe("algorithm");
    expect(await reason("not.a.jwt")).toBe("malformed");
    expect(await reason(`${(await sign(claims())).slice(0, -4)}AAAA`)).toBe("signature");
  });
});
