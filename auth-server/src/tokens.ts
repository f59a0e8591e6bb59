// Tokens: the access token (GoTrue's claims, ES256), sessions with their first refresh
// token, and POST /token — the password grant and the refresh-token grant with GoTrue's
// rotation and reuse rules for its (legacy, 12-character) refresh tokens.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { TransactionSql } from "postgres";

import { signJwt, verifyJwt, type Claims } from "./jwt.ts";
import { encodeBase32 } from "./base32.ts";
import { AUDIENCE, DEFAULT_ROLE, NIL_UUID, findUserById, findUserIdByEmail, isBanned, withTx, type User } from "./db.ts";
import { ApiError, badRequest, sendJson, unprocessable } from "./errors.ts";
import { field, isPlainObject, readJson, type Ctx } from "./http.ts";
import { verifyPassword, weakPasswordNotice } from "./passwords.ts";
import { userJson } from "./users.ts";

// ------------------------------------------------------------------ access tokens

const BEARER_PATTERN = /^[Bb]earer (\S+)$/; // GoTrue's bearerRegexp
const nowSeconds = () => Math.floor(Date.now() / 1000);

export function bearerToken(ctx: Ctx): string {
  const m = BEARER_PATTERN.exec(ctx.req.headers.authorization ?? "");
  if (!m) throw new ApiError(401, "no_authorization", "This endpoint requires a valid Bearer token");
  return m[1]!;
}

/** golang-jwt's reason for refusing a token, for bad_jwt's message. */
function jwtFailureReason(ctx: Ctx, token: string): string {
  const key = ctx.deps.signingKey;
  const parts = token.split(".");
  if (parts.length !== 3) return "token is malformed: token contains an invalid number of segments";
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8"));
  } catch {
    return "token is malformed: could not JSON decode header";
  }
  if (!isPlainObject(header)) return "token is malformed: could not JSON decode header";
  if (header.alg !== "ES256") return `token is unverifiable: signing method ${String(header.alg)} is invalid`;
  if (header.kid !== key.kid) return "token is unverifiable: error while executing keyfunc: invalid kid";
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
  } catch {
    return "token is malformed: could not JSON decode claim";
  }
  if (!isPlainObject(payload) || typeof payload.exp !== "number") return "token has invalid claims: token is missing required claim: exp claim is required";
  if (verifyJwt(token, key, Number.NEGATIVE_INFINITY)) return "token has invalid claims: token is expired";
  return "token signature is invalid: crypto/ecdsa: verification error";
}

/** GoTrue's parseJWTClaims: signature, algorithm, key id and time claims. */
export function verifyAccessToken(ctx: Ctx, token: string): Claims {
  const claims = verifyJwt(token, ctx.deps.signingKey);
  if (!claims || !isPlainObject(claims)) {
    throw new ApiError(403, "bad_jwt", `invalid JWT: unable to parse or verify signature, ${jwtFailureReason(ctx, token)}`);
  }
  if (typeof claims.nbf === "number" && claims.nbf > nowSeconds()) {
    throw new ApiError(403, "bad_jwt", "invalid JWT: unable to parse or verify signature, token has invalid claims: token is not valid yet");
  }
  return claims;
}

// GoTrue's AMRClaim.IsAAL2Claim.
const AAL2_METHODS = new Set(["totp", "mfa/phone", "mfa/webauthn"]);

/** The session answer (GoTrue's AccessTokenResponse) with a freshly signed access token. */
export async function sessionResponse(
  ctx: Ctx,
  tx: TransactionSql,
  user: User,
  { sessionId, refreshToken, created = false }: { sessionId: string; refreshToken: string; created?: boolean },
) {
  const { config, signingKey } = ctx.deps;
  // GoTrue's CalculateAALAndAMR: the methods, most recent first; a second factor among them is aal2.
  const amr = await tx<{ authentication_method: string; ts: number }[]>`
    select authentication_method, floor(extract(epoch from updated_at))::float8 as ts
    from auth.mfa_amr_claims where session_id = ${sessionId} order by updated_at desc`;
  const aal = amr.some((a) => AAL2_METHODS.has(a.authentication_method)) ? "aal2" : "aal1";
  const iat = nowSeconds();
  const exp = iat + config.jwtExp;
  const u = user.row;
  // GoTrue's AccessTokenClaims, in its order.
  const claims = {
    iss: config.issuer,
    sub: u.id,
    aud: u.aud || AUDIENCE,
    exp,
    iat,
    email: u.email ?? "",
    phone: u.phone ?? "",
    app_metadata: u.raw_app_meta_data ?? {},
    user_metadata: u.raw_user_meta_data ?? {},
    role: u.role || DEFAULT_ROLE,
    aal,
    amr: amr.map((a) => ({ method: a.authentication_method, timestamp: Number(a.ts) })),
    session_id: sessionId,
    is_anonymous: u.is_anonymous === true,
  };
  return {
    access_token: signJwt(claims, signingKey),
    token_type: "bearer",
    expires_in: config.jwtExp,
    expires_at: exp,
    refresh_token: refreshToken,
    user: userJson(user, { created }),
  };
}

// ------------------------------------------------------------------ refresh tokens

/** GoTrue's legacy refresh token: crypto.SecureAlphanumeric(12), lowercase base32. */
const newRefreshToken = () => encodeBase32(randomBytes(8)).toLowerCase().slice(0, 12);

/**
 * GoTrue's RefreshTokenGrantParams.Validate: shorter than 12 characters, 12 that are not
 * lowercase alphanumerics, or a longer one that does not parse as a v2 refresh token
 * (version byte 0, session id, counter, signature, SHA-256 checksum) is not a refresh
 * token at all — validation_failed, before any lookup.
 */
function validRefreshTokenFormat(token: string): boolean {
  if (token.length < 12) return false;
  if (token.length === 12) return /^[a-z0-9]{12}$/.test(token);
  if (!/^[A-Za-z0-9_-]+$/.test(token) || token.length % 4 === 1) return false;
  const bytes = Buffer.from(token, "base64url");
  const CHECKSUM = 4;
  if (bytes.length < 1 + 16 + 1 + 16 + CHECKSUM || bytes[0] !== 0) return false;
  const checksum = createHash("sha256").update(bytes.subarray(0, bytes.length - CHECKSUM)).digest().subarray(0, CHECKSUM);
  if (!checksum.equals(bytes.subarray(bytes.length - CHECKSUM))) return false;
  // After the session id: a uvarint counter, then exactly 16 bytes of signature.
  let i = 17;
  while (i < bytes.length - CHECKSUM && bytes[i]! & 0x80) i++;
  return i < bytes.length - CHECKSUM && bytes.length - CHECKSUM - (i + 1) === 16;
}

export async function insertRefreshToken(tx: TransactionSql, { userId, sessionId, parent }: { userId: string; sessionId: string; parent: string | null }) {
  const token = newRefreshToken();
  await tx`
    insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
    values (${NIL_UUID}, ${token}, ${userId}, false, now(), now(), ${parent}, ${sessionId})`;
  return token;
}

/** GoTrue's IssueRefreshToken: a new session, its first refresh token and an access token. */
export async function issueSession(ctx: Ctx, tx: TransactionSql, userId: string, method: string, { created = false } = {}) {
  const sessionId = randomUUID();
  await tx`
    insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
    values (${sessionId}, ${userId}, now(), now(), 'aal1', ${ctx.userAgent}, ${ctx.ip})`;
  await tx`
    insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
    values (${randomUUID()}, ${sessionId}, now(), now(), ${method})
    on conflict (session_id, authentication_method) do update set updated_at = excluded.updated_at`;
  const refreshToken = await insertRefreshToken(tx, { userId, sessionId, parent: null });
  await tx`update auth.users set last_sign_in_at = now(), updated_at = now() where id = ${userId}`;
  const user = (await findUserById(tx, userId))!;
  return sessionResponse(ctx, tx, user, { sessionId, refreshToken, created });
}

// ------------------------------------------------------------------ POST /token

export async function token(ctx: Ctx) {
  const grantType = ctx.url.searchParams.get("grant_type") ?? "";
  if (grantType === "password") return passwordGrant(ctx);
  if (grantType === "refresh_token") return refreshTokenGrant(ctx);
  // GoTrue's answer to every grant it does not know (and to those this server leaves out).
  throw badRequest("invalid_credentials", "unsupported_grant_type");
}

async function passwordGrant(ctx: Ctx) {
  const { config, sql, dummyHash } = ctx.deps;
  const body = await readJson(ctx);
  const rawEmail = field(body, "email", "string");
  const phone = field(body, "phone", "string");
  const password = field(body, "password", "string") ?? "";
  if (rawEmail && phone) throw badRequest("validation_failed", "Only an email address or phone number should be provided on login.");
  if (phone) throw unprocessable("phone_provider_disabled", "Phone logins are disabled");
  if (!rawEmail) throw badRequest("validation_failed", "missing email or phone");

  const invalid = () => badRequest("invalid_credentials", "Invalid login credentials");
  const userId = await findUserIdByEmail(sql, rawEmail.trim().toLowerCase());
  const user = userId ? await findUserById(sql, userId) : null;
  if (!user || !user.row.encrypted_password) {
    // As long as a real check, so timing does not tell which addresses exist.
    await verifyPassword(password, dummyHash);
    throw invalid();
  }
  if (isBanned(user.row)) throw badRequest("user_banned", "User is banned");
  if (!(await verifyPassword(password, user.row.encrypted_password))) throw invalid();
  if (!user.row.email_confirmed_at) throw badRequest("email_not_confirmed", "Email not confirmed");
  const session = await withTx(sql, (tx) => issueSession(ctx, tx, user.row.id, "password"));
  // GoTrue signs in with a password that no longer meets the rules, and says so (null otherwise).
  sendJson(ctx.res, 200, { ...session, weak_password: weakPasswordNotice(password, config.passwordMinLength) });
}

type Outcome = { error: ApiError } | { session: Awaited<ReturnType<typeof sessionResponse>> };

/**
 * GoTrue's refresh-token grant for legacy tokens:
 *  - an active token is revoked and replaced by a child (parent = the old token);
 *  - a revoked token whose child is the session's active token gets that active token
 *    back, at any time (the client lost the previous answer);
 *  - any other revoked token, within the reuse interval of its last update, gets a new
 *    child of its own (GoTrue's swap); past the interval that is reuse: every token of
 *    the session is revoked (the session itself stays, as in GoTrue) and the request
 *    fails with refresh_token_already_used.
 * One transaction that locks the session row first, so refreshes of one session queue.
 */
async function refreshTokenGrant(ctx: Ctx) {
  const { config, sql } = ctx.deps;
  const body = await readJson(ctx);
  const presented = field(body, "refresh_token", "string") ?? "";
  if (!validRefreshTokenFormat(presented)) throw badRequest("validation_failed", "Refresh token is not valid");
  const notFound = () => badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
  // A well-formed v2 token: this server issues none, so no session has its key.
  if (presented.length !== 12) throw notFound();

  const outcome = await withTx(sql, async (tx): Promise<Outcome> => {
    const [found] = await tx<{ id: string; session_id: string | null; user_id: string }[]>`
      select id, session_id, user_id from auth.refresh_tokens where token = ${presented}`;
    if (!found) return { error: notFound() };
    const user = await findUserById(tx, found.user_id);
    if (!user) return { error: notFound() };
    if (isBanned(user.row)) return { error: badRequest("user_banned", "Invalid Refresh Token: User Banned") };
    const [session] = found.session_id
      ? await tx<{ id: string; aal: string | null; past_not_after: boolean }[]>`
          select id, aal, (not_after is not null and not_after < clock_timestamp()) as past_not_after
          from auth.sessions where id = ${found.session_id} for update`
      : [];
    if (!session) {
      // A token from before sessions existed, or whose session is gone.
      await tx`delete from auth.refresh_tokens where id = ${found.id}`;
      return { error: badRequest("session_not_found", "Invalid Refresh Token: No Valid Session Found") };
    }
    if (session.past_not_after) return { error: badRequest("session_expired", "Invalid Refresh Token: Session Expired") };

    // Read again under the session's lock: a concurrent refresh may just have rotated it.
    const [current] = await tx<{ id: string; token: string; revoked: boolean; reuse_over: boolean }[]>`
      select id, token, revoked,
             (updated_at + make_interval(secs => ${config.refreshTokenReuseInterval}) < clock_timestamp()) as reuse_over
      from auth.refresh_tokens where id = ${found.id}`;
    if (!current) return { error: notFound() };

    let issued: string | undefined;
    if (current.revoked) {
      const [active] = await tx<{ token: string; parent: string | null }[]>`
        select token, parent from auth.refresh_tokens where session_id = ${session.id} and revoked = false order by id desc limit 1`;
      if (active && active.parent === current.token) {
        issued = active.token;
      } else if (current.reuse_over) {
        await tx`update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = ${session.id} and revoked = false`;
        return { error: badRequest("refresh_token_already_used", "Invalid Refresh Token: Already Used") };
      }
    }
    if (!issued) {
      await tx`update auth.refresh_tokens set revoked = true, updated_at = now() where id = ${current.id}`;
      issued = await insertRefreshToken(tx, { userId: user.row.id, sessionId: session.id, parent: current.token });
    }
    await tx`
      update auth.sessions
      set refreshed_at = timezone('utc', now()), updated_at = now(), user_agent = ${ctx.userAgent}, ip = ${ctx.ip}
      where id = ${session.id}`;
    return { session: await sessionResponse(ctx, tx, user, { sessionId: session.id, refreshToken: issued }) };
  });
  // Failures are returned, not thrown, so that the transaction commits: revoking a reused
  // token's family must stick although the request fails.
  if ("error" in outcome) throw outcome.error;
  sendJson(ctx.res, 200, outcome.session);
}
