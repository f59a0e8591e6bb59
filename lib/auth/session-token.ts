import "server-only";

import { combineChunks, parseCookieHeader } from "@supabase/ssr";
import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet } from "jose";

import { BoundedCache } from "@/lib/bounded-cache";
import { CACHE_CAPS } from "@/lib/cache-caps";
import { env } from "@/lib/env";
import { sessionCookieName } from "@/lib/supabase/cookie-name";

// The session check's "api" mode (./session-check.ts), for /api/v1: the session cookie's
// access token verified locally with jose against the project's JWKS, which is kept in
// memory. No round trip to Supabase Auth per request, and no Supabase client built per
// request (that cost more than Next.js spends on the whole request; docs/BENCHMARKS.md,
// rows d and d0).
//
// The verdict is final for everything but one case. A token that is ours, correctly
// signed, but expired or about to expire goes to @supabase/ssr (getClaims()), which
// refreshes the session with its refresh token and writes the new cookies. Everything
// that cannot be one of our tokens — not a JWT, a header that is not JSON, `alg: none`,
// an algorithm or key id our JWKS does not have, a bad signature, another issuer — is
// refused here: it never reaches the auth server, so forged cookies cannot make us call it.

const COOKIE = sessionCookieName(env.NEXT_PUBLIC_SUPABASE_URL);
const ISSUER = `${env.NEXT_PUBLIC_SUPABASE_URL}/auth/v1`;
const JWKS_URL = `${ISSUER}/.well-known/jwks.json`;
const ALGORITHMS = ["ES256", "RS256"];
/** How long a fetched key set counts as fresh (as auth-js). */
const JWKS_TTL_MS = 10 * 60_000;
/** At most one JWKS fetch per this interval, whoever asks and whatever key id they name. */
export const JWKS_MIN_INTERVAL_MS = 30_000;
/** auth-js refreshes a session this close to expiry; leave those to it so cookies rotate. */
const EXPIRY_MARGIN_S = 90;

// Verified tokens, so a browser's repeated requests with one access token cost one
// signature check, not one each. Safe because a JWT cannot change: the entry holds what its
// signature proved, and its expiry is checked again on every use. Emptied whenever the key
// set changes, so a key withdrawn from the JWKS stops counting at once.
const verified = new BoundedCache<string, SessionUser & { exp: number }>({ maxEntries: CACHE_CAPS.sessionTokens });

export type SessionUser = {
  id: string;
  email: string | null;
  /** Supabase Auth's session id (`session_id` claim): what sign-out ends. */
  sessionId: string | null;
  /** Authenticator assurance level: `aal2` after a second factor. */
  aal: string | null;
  /** The access token itself, for the calls that must ask Supabase Auth (minting credentials). */
  accessToken: string;
};

/**
 * `none`: no session cookie. `valid`: verified here. `refresh`: ours and correctly signed,
 * but expired or near it: getClaims() refreshes it. `invalid`: cannot be one of ours (a
 * failed attempt). `unavailable`: no keys to check with (the auth server has not answered
 * since start-up): refused, but nobody's fault.
 */
export type SessionVerdict =
  | { kind: "valid"; user: SessionUser }
  | { kind: "none" }
  | { kind: "refresh" }
  | { kind: "invalid" }
  | { kind: "unavailable" };

type KeySet = { kids: Set<string>; verify: ReturnType<typeof createLocalJWKSet>; fetchedAt: number };
let keySet: KeySet | undefined;
let lastAttempt = -Infinity;
let inflight: Promise<void> | undefined;

async function loadKeys(): Promise<void> {
  lastAttempt = Date.now();
  const res = await fetch(JWKS_URL, { headers: { apikey: env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY }, signal: AbortSignal.timeout(3000) });
  if (!res.ok) throw new Error(`JWKS fetch answered ${res.status}`);
  const jwks = (await res.json()) as JSONWebKeySet;
  const keys = (jwks.keys ?? []).filter((k) => typeof k.kid === "string" && (!k.use || k.use === "sig") && (!k.alg || ALGORITHMS.includes(k.alg)));
  const kids = new Set(keys.map((k) => k.kid!));
  const changed = !keySet || keySet.kids.size !== kids.size || [...kids].some((kid) => !keySet!.kids.has(kid));
  if (changed) verified.clear();
  keySet = { kids, verify: createLocalJWKSet({ keys }), fetchedAt: Date.now() };
}

/** Fetches the JWKS unless one fetch is running or ran within JWKS_MIN_INTERVAL_MS. */
function refreshKeys(): Promise<void> {
  if (!inflight && Date.now() - lastAttempt < JWKS_MIN_INTERVAL_MS) return Promise.resolve();
  inflight ??= loadKeys()
    .catch((e) => console.error("[auth] fetching the JWKS failed; keeping the cached keys:", e))
    .finally(() => {
      inflight = undefined;
    });
  return inflight;
}

/**
 * The key set to verify a token with key id `kid`. A stale set is used while a refresh runs
 * in the background and kept when the auth server is unreachable (stale-if-error): signing
 * keys are rotated with overlap, so a key seen minutes ago is still a key the project
 * trusts. An unknown kid waits for a refresh — at most one per interval for everyone.
 */
async function keySetFor(kid: string): Promise<KeySet | undefined> {
  if (keySet?.kids.has(kid)) {
    if (Date.now() - keySet.fetchedAt > JWKS_TTL_MS) void refreshKeys();
    return keySet;
  }
  await refreshKeys();
  return keySet;
}

function readCookie(cookieHeader: string | null): Promise<string | null> | null {
  if (!cookieHeader || !cookieHeader.includes(COOKIE)) return null;
  const jar = new Map(parseCookieHeader(cookieHeader).map((c) => [c.name, c.value ?? ""]));
  return combineChunks(COOKIE, (name) => jar.get(name));
}

/** The access token and expiry in a session cookie's value, or undefined when the value is not a session. */
function sessionOf(raw: string): { token: string; expiresAt: unknown } | undefined {
  try {
    // Buffer, not @supabase/ssr's stringFromBase64URL: the same bytes, without a
    // per-character JavaScript loop (it showed in the CPU profile).
    const json = raw.startsWith("base64-") ? Buffer.from(raw.slice("base64-".length), "base64url").toString("utf8") : raw;
    const session = JSON.parse(json) as { access_token?: unknown; expires_at?: unknown } | null;
    return typeof session?.access_token === "string" ? { token: session.access_token, expiresAt: session.expires_at } : undefined;
  } catch {
    return undefined;
  }
}

/** Verifies an access token; `now` in seconds (injected by tests). */
export async function verifyAccessToken(token: string, now = Math.floor(Date.now() / 1000)): Promise<SessionVerdict> {
  const known = verified.get(token);
  if (known) return known.exp - EXPIRY_MARGIN_S > now ? { kind: "valid", user: known } : { kind: "refresh" };

  let kid: unknown;
  let alg: unknown;
  try {
    ({ kid, alg } = decodeProtectedHeader(token));
  } catch {
    return { kind: "invalid" };
  }
  // The algorithm must be one our keys use; jwtVerify then takes it from the key, never
  // trusting the header alone.
  if (typeof kid !== "string" || typeof alg !== "string" || !ALGORITHMS.includes(alg)) return { kind: "invalid" };
  const keys = await keySetFor(kid);
  if (!keys) return { kind: "unavailable" };
  if (!keys.kids.has(kid)) return { kind: "invalid" };
  try {
    const { payload } = await jwtVerify(token, keys.verify, { issuer: ISSUER, algorithms: ALGORITHMS, currentDate: new Date(now * 1000) });
    if (typeof payload.sub !== "string" || payload.role !== "authenticated" || typeof payload.exp !== "number") return { kind: "invalid" };
    if (payload.exp - EXPIRY_MARGIN_S <= now) return { kind: "refresh" };
    const user: SessionUser = {
      id: payload.sub,
      email: typeof payload.email === "string" ? payload.email : null,
      sessionId: typeof payload.session_id === "string" ? payload.session_id : null,
      aal: typeof payload.aal === "string" ? payload.aal : null,
      accessToken: token,
    };
    verified.set(token, { ...user, exp: payload.exp });
    return { kind: "valid", user };
  } catch (e) {
    // jose checks the signature before the claims: an expired token was signed by us.
    return e instanceof errors.JWTExpired ? { kind: "refresh" } : { kind: "invalid" };
  }
}

// Parsed session cookies, by the request's whole Cookie header: a browser sends the same
// header on every request until the session is refreshed, and reading the session out of it
// (parsing the header, joining chunks, base64, then JSON of the session) cost more than the
// rest of session authentication. Only what the cookie says is kept — the token is verified
// on every use as before. A header that holds no session is not remembered.
const parsed = new BoundedCache<string, { token: string; expiresAt: unknown }>({ maxEntries: CACHE_CAPS.sessionCookies });

/** The verdict on a request's session cookie. */
export async function sessionFromRequest(request: Request): Promise<SessionVerdict> {
  const header = request.headers.get("cookie");
  let session = header === null ? undefined : parsed.get(header);
  if (!session) {
    const raw = await readCookie(header);
    if (raw === null) return { kind: "none" };
    session = sessionOf(raw);
    if (!session) return { kind: "invalid" };
    parsed.set(header!, session);
  }
  const now = Math.floor(Date.now() / 1000);
  const verdict = await verifyAccessToken(session.token, now);
  // auth-js refreshes by the session's own expiry; near it, let it refresh (the token was
  // verified first, so only a session of ours can make us call the auth server).
  const expiring = typeof session.expiresAt === "number" && session.expiresAt - EXPIRY_MARGIN_S <= now;
  return verdict.kind === "valid" && expiring ? { kind: "refresh" } : verdict;
}
