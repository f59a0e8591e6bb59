import { importJWK, type JWK } from "jose";

import { BoundedCache } from "@/lib/bounded-cache";
import { CACHE_CAPS } from "@/lib/cache-caps";

// The public keys CI providers sign their OIDC tokens with, per issuer: the discovery
// document (`<issuer>/.well-known/openid-configuration`, whose `issuer` must be the issuer
// itself) names the JWKS (`jwks_uri`), and the key set is cached. A `kid` the cached set does
// not have fetches both again — that is how a rotation is seen — but at most once per
// `refetchMs` per issuer, counted from when a fetch starts (a failing one too): tokens with
// made-up `kid`s cannot turn into a stream of requests to the provider, whose own limits
// would then leave a real rotation unfetchable. A set older than `maxAgeMs` is fetched again
// on its next use (a key the provider withdrew stops verifying), under the same back-off.
// Requests that arrive while a fetch runs wait for it.
//
// Fetch and the clock are injected (tests/unit/jwks-cache.test.ts); lib/oidc/issuer-keys.ts
// makes the app's one instance. Which issuers may be fetched at all is the caller's
// decision (`allowIssuer`): only issuers a trust policy names are ever asked for.
// The same pattern as GitHub's secret-scanning keys (lib/leaks/github-keys.ts).

export const DEFAULT_REFETCH_MS = 60_000;
export const DEFAULT_MAX_AGE_MS = 3_600_000;
const FETCH_TIMEOUT_MS = 5_000;
/** A discovery document or a key set larger than this is not one. */
const MAX_DOCUMENT_BYTES = 256 * 1024;
/** The signature algorithms accepted: what GitHub (RS256) and GitLab (RS256) sign with, and ES256. */
export const ALGORITHMS = ["RS256", "ES256"] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export type JwksCacheOptions = {
  /** Whether a URL (an issuer, or the `jwks_uri` its discovery document names) may be fetched. */
  allowUrl: (url: string) => boolean;
  refetchMs?: number;
  maxAgeMs?: number;
  fetch?: typeof fetch;
  /** Milliseconds, monotonic in production (performance.now()). */
  now?: () => number;
  onError?: (issuer: string, message: string) => void;
};

/** A verification key, as jose takes it. */
export type VerificationKey = Awaited<ReturnType<typeof importJWK>>;

export type JwksCache = {
  /**
   * The key `kid` names at `issuer` for `alg`, fetching the issuer's keys again if it is
   * unknown (or the set is old) and the back-off allows; undefined otherwise. Without a
   * `kid`, the issuer's only key for `alg`, if it has exactly one.
   */
  keyFor(issuer: string, kid: string | undefined, alg: Algorithm): Promise<VerificationKey | undefined>;
  /** How many fetches of key sets were started (diagnostics, tests). */
  readonly fetches: number;
};

type IssuerKeys = {
  keys: JWK[];
  /** When the set in `keys` was fetched, or null before the first success. */
  fetchedAt: number | null;
  /** When the last fetch started. */
  attemptedAt: number | null;
  inflight: Promise<void> | null;
  imported: Map<string, VerificationKey>;
};

const ktyOf = (alg: Algorithm) => (alg === "RS256" ? "RSA" : "EC");

export function jwksCache(options: JwksCacheOptions): JwksCache {
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? (() => performance.now());
  const refetchMs = options.refetchMs ?? DEFAULT_REFETCH_MS;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const issuers = new BoundedCache<string, IssuerKeys>({ maxEntries: CACHE_CAPS.oidcIssuers });
  let fetches = 0;

  async function getJson(url: string): Promise<unknown> {
    if (!options.allowUrl(url)) throw new Error(`${url} may not be fetched`);
    const res = await fetchImpl(url, { cache: "no-store", redirect: "error", signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    const text = await res.text();
    if (text.length > MAX_DOCUMENT_BYTES) throw new Error(`${url}: larger than ${MAX_DOCUMENT_BYTES} bytes`);
    return JSON.parse(text);
  }

  async function refresh(issuer: string, entry: IssuerKeys): Promise<void> {
    entry.attemptedAt = now();
    fetches++;
    const discovery = (await getJson(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`)) as { issuer?: unknown; jwks_uri?: unknown };
    // OpenID Connect Discovery §4.3: the document is the issuer's only if it says so.
    if (discovery.issuer !== issuer) throw new Error(`${issuer}: the discovery document names another issuer`);
    if (typeof discovery.jwks_uri !== "string") throw new Error(`${issuer}: the discovery document has no jwks_uri`);
    const set = (await getJson(discovery.jwks_uri)) as { keys?: unknown };
    const keys = Array.isArray(set.keys)
      ? (set.keys as JWK[]).filter((key) => key && typeof key === "object" && (key.kty === "RSA" || key.kty === "EC") && key.use !== "enc")
      : [];
    entry.keys = keys;
    entry.fetchedAt = now();
    // A new set replaces the old one whole: a key the issuer withdrew stops verifying.
    entry.imported = new Map();
  }

  function find(entry: IssuerKeys, kid: string | undefined, alg: Algorithm): JWK | undefined {
    const usable = entry.keys.filter((key) => key.kty === ktyOf(alg) && (key.alg === undefined || key.alg === alg));
    if (kid === undefined) return usable.length === 1 ? usable[0] : undefined;
    return usable.find((key) => key.kid === kid);
  }

  async function imported(entry: IssuerKeys, jwk: JWK, alg: Algorithm): Promise<VerificationKey | undefined> {
    const id = `${jwk.kid ?? ""}\u0000${alg}`;
    const known = entry.imported.get(id);
    if (known) return known;
    try {
      const key = await importJWK(jwk, alg);
      entry.imported.set(id, key);
      return key;
    } catch {
      // A key we cannot read verifies nothing.
      return undefined;
    }
  }

  return {
    get fetches() {
      return fetches;
    },
    async keyFor(issuer, kid, alg) {
      if (!options.allowUrl(issuer)) return undefined;
      let entry = issuers.get(issuer);
      if (!entry) {
        entry = { keys: [], fetchedAt: null, attemptedAt: null, inflight: null, imported: new Map() };
        issuers.set(issuer, entry);
      }
      const fresh = entry.fetchedAt !== null && now() - entry.fetchedAt < maxAgeMs;
      const known = fresh ? find(entry, kid, alg) : undefined;
      if (known) return imported(entry, known, alg);
      if (!entry.inflight) {
        const mayFetch = entry.attemptedAt === null || now() - entry.attemptedAt >= refetchMs;
        if (!mayFetch) {
          // Within the back-off: an old set still answers for the keys it has.
          const held = find(entry, kid, alg);
          return held ? imported(entry, held, alg) : undefined;
        }
        const current = entry;
        current.inflight = refresh(issuer, current).finally(() => (current.inflight = null));
      }
      try {
        await entry.inflight;
      } catch (error) {
        options.onError?.(issuer, (error as Error).message);
      }
      const found = find(entry, kid, alg);
      return found ? imported(entry, found, alg) : undefined;
    },
  };
}
