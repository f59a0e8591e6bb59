// Who is calling: GoTrue's requireAuthentication and requireAdminCredentials, and
// POST /logout with its three scopes.
import { NIL_UUID, findUserById, isBanned, isUuid, type User } from "./db.ts";
import { badRequest, forbidden, sendJson } from "./errors.ts";
import type { Claims } from "./jwt.ts";
import type { Ctx } from "./http.ts";
import { bearerToken, verifyAccessToken } from "./tokens.ts";

const ADMIN_ROLES = ["service_role", "supabase_admin"]; // GOTRUE_JWT_ADMIN_ROLES

type Session = { id: string; user_id: string; aal: string | null };

/** GoTrue's maybeLoadUserOrSession: the token's user must exist, and its session if it names one. */
async function loadUserAndSession(ctx: Ctx, claims: Claims): Promise<{ user: User; session: Session | null }> {
  const { sql } = ctx.deps;
  if (typeof claims.sub !== "string" || claims.sub === "") throw forbidden("bad_jwt", "invalid claim: missing sub claim");
  if (!isUuid(claims.sub)) throw badRequest("bad_jwt", "invalid claim: sub claim must be a UUID");
  const user = await findUserById(sql, claims.sub.toLowerCase());
  if (!user) throw forbidden("user_not_found", "User from sub claim in JWT does not exist");
  let session: Session | null = null;
  const sid = claims.session_id;
  if (sid !== undefined && sid !== "" && sid !== NIL_UUID) {
    if (!isUuid(sid)) throw forbidden("bad_jwt", "invalid claim: session_id claim must be a UUID");
    [session = null] = await sql<Session[]>`select id, user_id, aal from auth.sessions where id = ${sid.toLowerCase()}`;
    if (!session) throw forbidden("session_not_found", "Session from session_id claim in JWT does not exist");
  }
  return { user, session };
}

/**
 * GoTrue's requireAuthentication: a valid access token whose user still exists, whose
 * session (if it names one) has not ended, and who is not banned — GoTrue refuses a banned
 * user's earlier tokens too.
 */
export async function requireAuthentication(ctx: Ctx): Promise<{ user: User; session: Session | null }> {
  const found = await loadUserAndSession(ctx, verifyAccessToken(ctx, bearerToken(ctx)));
  if (isBanned(found.user.row)) throw forbidden("user_banned", "User is banned");
  return found;
}

/** GoTrue's requireAdminCredentials: a valid JWT with an admin role; one that names a session must still have it. */
export async function requireAdmin(ctx: Ctx) {
  const claims = verifyAccessToken(ctx, bearerToken(ctx));
  const sid = claims.session_id;
  if (typeof sid === "string" && sid !== "" && sid !== NIL_UUID) await loadUserAndSession(ctx, claims);
  if (typeof claims.role !== "string" || !ADMIN_ROLES.includes(claims.role)) throw forbidden("not_admin", "User not allowed");
  return claims;
}

export async function logout(ctx: Ctx) {
  const { sql } = ctx.deps;
  const { user, session } = await requireAuthentication(ctx);
  const scope = ctx.url.searchParams.get("scope") ?? "";
  if (!["", "global", "local", "others"].includes(scope)) throw badRequest("validation_failed", `Unsupported logout scope ${JSON.stringify(scope)}`);
  const userId = user.row.id;
  // Deleting sessions takes their refresh tokens and AMR claims with them (on delete cascade).
  if (!session || scope === "" || scope === "global") await sql`delete from auth.sessions where user_id = ${userId}`;
  else if (scope === "local") await sql`delete from auth.sessions where id = ${session.id}`;
  else await sql`delete from auth.sessions where user_id = ${userId} and id <> ${session.id}`;
  sendJson(ctx.res, 204, undefined);
}

