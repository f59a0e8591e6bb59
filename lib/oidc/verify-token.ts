import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from "jose";

import { ALGORITHMS, type Algorithm, type JwksCache } from "./jwks-cache";

// A CI's OIDC token, verified: its signature against the keys its issuer publishes
// (lib/oidc/jwks-cache.ts), RS256 or ES256 only, and its times — `exp` and `nbf`, and `iat`
// not in the future — each with CLOCK_SKEW_S of tolerance for the two clocks. Its audience
// and the other claims are each trust policy's business (lib/oidc/policy-matcher.ts).

/** The clock skew tolerated between the CI provider and us, in seconds (stated in docs/API.md). */
export const CLOCK_SKEW_S = 60;
/** A token issued longer ago than this is refused whatever its `exp` says. */
const MAX_TOKEN_AGE_S = 86_400;

export type TokenClaims = JWTPayload & Record<string, unknown>;

export type RejectionReason = "malformed" | "algorithm" | "unknown_key" | "signature" | "expired" | "not_yet_valid" | "issued_in_future" | "claims";

/** Why a token does not verify; the message is for the caller (it names no secret). */
export class TokenRejected extends Error {
  readonly reason: RejectionReason;
  constructor(reason: RejectionReason, message: string) {
    super(message);
    this.reason = reason;
  }
}
TokenRejected.prototype.name = "TokenRejected";

/** The token's header and claims, unverified: to find its issuer (and the policies that name it) before any fetch. */
export function readUnverified(token: string): { alg: string; kid: string | undefined; claims: TokenClaims } {
  try {
    const header = decodeProtectedHeader(token);
    const claims = decodeJwt(token) as TokenClaims;
    if (typeof claims.iss !== "string") throw new TokenRejected("malformed", "the token has no iss claim");
    return { alg: String(header.alg), kid: typeof header.kid === "string" ? header.kid : undefined, claims };
  } catch (error) {
    if (error instanceof TokenRejected) throw error;
    throw new TokenRejected("malformed", "the token is not a JWT (header.claims.signature, base64url)");
  }
}

/**
 * Verifies `token` as issued by its own `iss` (the caller has checked that a trust policy
 * names that issuer): the key its `kid` names, the signature, the times at `nowSeconds`.
 * Returns the claims; throws TokenRejected.
 */
export async function verifyToken(token: string, options: { keys: JwksCache; nowSeconds: number }): Promise<TokenClaims> {
  const { alg, kid, claims } = readUnverified(token);
  if (!(ALGORITHMS as readonly string[]).includes(alg)) throw new TokenRejected("algorithm", `the token is signed with ${alg}; only ${ALGORITHMS.join(" and ")} are accepted`);
  const key = await options.keys.keyFor(claims.iss!, kid, alg as Algorithm);
  if (!key) throw new TokenRejected("unknown_key", `the issuer publishes no key ${kid ? `with kid ${kid}` : "to verify it with"}`);
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [alg],
      issuer: claims.iss,
      clockTolerance: CLOCK_SKEW_S,
      maxTokenAge: MAX_TOKEN_AGE_S,
      currentDate: new Date(options.nowSeconds * 1000),
      requiredClaims: ["exp", "iat"],
    });
    return payload as TokenClaims;
  } catch (error) {
    throw rejection(error);
  }
}

function rejection(error: unknown): TokenRejected {
  if (error instanceof errors.JWSSignatureVerificationFailed) return new TokenRejected("signature", "the token's signature does not verify");
  if (error instanceof errors.JWTExpired) return new TokenRejected("expired", `the token has expired (${CLOCK_SKEW_S} s of clock skew allowed)`);
  if (error instanceof errors.JOSEAlgNotAllowed) return new TokenRejected("algorithm", "the token's algorithm is not accepted");
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "nbf") return new TokenRejected("not_yet_valid", `the token is not valid yet (nbf; ${CLOCK_SKEW_S} s of clock skew allowed)`);
    if (error.claim === "iat") return new TokenRejected("issued_in_future", `the token is issued in the future (iat; ${CLOCK_SKEW_S} s of clock skew allowed)`);
    return new TokenRejected("claims", `the token's ${error.claim} claim is missing or invalid`);
  }
  return new TokenRejected("malformed", "the token is not a well-formed signed JWT");
}
