// The admin API, as far as the project uses it: create a user, read one, update one
// (metadata, password, email, ban_duration) and delete one. Every route needs a JWT with
// an admin role (the gateway turns the secret key into one).
import { randomUUID } from "node:crypto";

import { AUDIENCE, DEFAULT_ROLE, NIL_UUID, findUserById, findUserIdByEmail, isUuid, withTx, type Metadata, type User } from "./db.ts";
import { ApiError, badRequest, emailExists, sendJson, unprocessable } from "./errors.ts";
import { field, readJson, type Ctx } from "./http.ts";
import { checkPasswordStrength, hashPassword, unusablePassword } from "./passwords.ts";
import { MAX_PASSWORD_BYTES } from "./deps.ts";
import { checkMetadata, emailIdentityData, insertEmailIdentity, isEmailConflict, mergeMetadata, userJson, validateEmail } from "./users.ts";

/** Go's time.ParseDuration ("24h", "1h30m", "90s", "0"), in milliseconds. */
function parseGoDuration(s: string): number {
  if (s === "0") return 0;
  const m = /^([-+]?)((?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(s);
  if (!m) throw new Error(`time: invalid duration ${JSON.stringify(s)}`);
  const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 };
  let total = 0;
  for (const [, num, unit] of m[2]!.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(num) * unitMs[unit!]!;
  if (!Number.isFinite(total) || total > 2 ** 53) throw new Error(`time: invalid duration ${JSON.stringify(s)}`);
  return m[1] === "-" ? -total : total;
}

/** ban_duration as banned_until: undefined leaves it, null lifts a ban ("none" or "0"). */
function banUntil(raw: string | undefined): Date | null | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (raw === "none") return null;
  let ms: number;
  try {
    ms = parseGoDuration(raw);
  } catch (err) {
    throw badRequest("validation_failed", `invalid format for ban duration: ${(err as Error).message}`);
  }
  return ms === 0 ? null : new Date(Date.now() + ms);
}

/** GoTrue's loadUser for /admin/users/{user_id}. */
async function loadUserParam(ctx: Ctx, rawId: string): Promise<User> {
  if (!isUuid(rawId)) throw new ApiError(404, "validation_failed", "user_id must be an UUID");
  const user = await findUserById(ctx.deps.sql, rawId.toLowerCase());
  if (!user) throw new ApiError(404, "user_not_found", "User not found");
  return user;
}

export async function adminCreateUser(ctx: Ctx) {
  const { sql } = ctx.deps;
  const body = await readJson(ctx);
  const customId = field(body, "id", "string");
  const aud = field(body, "aud", "string") || AUDIENCE;
  const role = field(body, "role", "string") || DEFAULT_ROLE;
  const rawEmail = field(body, "email", "string");
  const phone = field(body, "phone", "string");
  const password = field(body, "password", "string");
  const passwordHash = field(body, "password_hash", "string");
  const emailConfirm = field(body, "email_confirm", "boolean") ?? false;
  field(body, "phone_confirm", "boolean");
  const userMetadata = checkMetadata(field(body, "user_metadata", "object") ?? {}, "user_metadata");
  const appMetadata = field(body, "app_metadata", "object");
  if (appMetadata) checkMetadata(appMetadata, "app_metadata");
  const bannedUntil = banUntil(field(body, "ban_duration", "string"));

  if (!rawEmail && !phone) throw badRequest("validation_failed", "Cannot create a user without either an email or phone");
  if (phone) throw badRequest("validation_failed", "Phone numbers are not supported by the local auth server");
  const email = validateEmail(rawEmail);
  if (await findUserIdByEmail(sql, email, aud)) throw emailExists();
  if (password !== undefined && passwordHash) throw badRequest("validation_failed", "Only a password or a password hash should be provided");
  // GoTrue takes bcrypt/argon2/firebase-scrypt hashes; this server can verify none of them.
  if (passwordHash) throw badRequest("validation_failed", "password_hash is not supported by the local auth server");
  // No strength rules for admins, only bcrypt's length cap; no password means a random one.
  const plain = password || unusablePassword();
  if (Buffer.byteLength(plain, "utf8") > MAX_PASSWORD_BYTES) throw badRequest("validation_failed", `Password cannot be longer than ${MAX_PASSWORD_BYTES} characters`);
  const encrypted = await hashPassword(plain);
  let userId: string = randomUUID();
  if (customId !== undefined && customId !== "") {
    if (!isUuid(customId)) throw badRequest("validation_failed", "ID must conform to the uuid v4 format");
    if (customId === NIL_UUID) throw badRequest("validation_failed", "ID cannot be a nil uuid");
    userId = customId.toLowerCase();
  }
  // As GoTrue: the metadata given, plus email_verified once confirmed; the identity holds the claims.
  const userMeta: Metadata = emailConfirm ? mergeMetadata(userMetadata, { email_verified: true }) : userMetadata;
  const appMeta = mergeMetadata({ provider: "email", providers: ["email"] }, appMetadata ?? {});
  try {
    const created = await withTx(sql, async (tx) => {
      await tx`
        insert into auth.users
          (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data,
           is_super_admin, created_at, updated_at, banned_until, is_sso_user, is_anonymous)
        values
          (${NIL_UUID}, ${userId}, ${aud}, ${role}, ${email}, ${encrypted}, ${emailConfirm ? tx`now()` : null},
           ${tx.json(appMeta as never)}, ${tx.json(userMeta as never)}, false, now(), now(), ${bannedUntil ?? null}, false, false)`;
      await insertEmailIdentity(tx, userId, emailIdentityData(userId, email, false));
      return (await findUserById(tx, userId))!;
    });
    sendJson(ctx.res, 200, userJson(created, { created: true }));
  } catch (err) {
    if (isEmailConflict(err)) throw emailExists();
    if ((err as { code?: string; constraint_name?: string })?.code === "23505" && (err as { constraint_name?: string }).constraint_name === "users_pkey") {
      throw unprocessable("validation_failed", "A user with this ID already exists");
    }
    throw err;
  }
}

export async function adminGetUser(ctx: Ctx, id: string) {
  sendJson(ctx.res, 200, userJson(await loadUserParam(ctx, id)));
}

export async function adminUpdateUser(ctx: Ctx, id: string) {
  const { config, sql } = ctx.deps;
  const user = await loadUserParam(ctx, id);
  const body = await readJson(ctx);
  const rawEmail = field(body, "email", "string");
  const phone = field(body, "phone", "string");
  const password = field(body, "password", "string");
  const role = field(body, "role", "string");
  const emailConfirm = field(body, "email_confirm", "boolean") ?? false;
  field(body, "phone_confirm", "boolean");
  const userMetadata = field(body, "user_metadata", "object");
  const appMetadata = field(body, "app_metadata", "object");
  if (userMetadata) checkMetadata(userMetadata, "user_metadata");
  if (appMetadata) checkMetadata(appMetadata, "app_metadata");
  const bannedUntil = banUntil(field(body, "ban_duration", "string"));
  const email = rawEmail ? validateEmail(rawEmail) : undefined;
  if (phone) throw badRequest("validation_failed", "Phone numbers are not supported by the local auth server");
  let encrypted: string | undefined;
  if (password !== undefined) {
    checkPasswordStrength(password, config.passwordMinLength);
    encrypted = await hashPassword(password);
  }
  const userId = user.row.id;
  if (email && email !== user.row.email) {
    const other = await findUserIdByEmail(sql, email, user.row.aud ?? AUDIENCE);
    if (other && other !== userId) throw emailExists();
  }
  try {
    const updated = await withTx(sql, async (tx) => {
      const [row] = await tx<{ raw_user_meta_data: Metadata | null; raw_app_meta_data: Metadata | null }[]>`
        select raw_user_meta_data, raw_app_meta_data from auth.users where id = ${userId} for update`;
      if (!row) throw new ApiError(404, "user_not_found", "User not found");
      let userMeta: Metadata = row.raw_user_meta_data ?? {};
      let appMeta: Metadata = row.raw_app_meta_data ?? {};
      if (role) await tx`update auth.users set role = ${role} where id = ${userId}`;
      if (emailConfirm) {
        await tx`update auth.users set email_confirmed_at = now() where id = ${userId}`;
        userMeta = mergeMetadata(userMeta, { email_verified: true });
      }
      if (encrypted) {
        await tx`update auth.users set encrypted_password = ${encrypted} where id = ${userId}`;
        // GoTrue's UpdatePassword(tx, nil): every session of the user ends.
        await tx`delete from auth.sessions where user_id = ${userId}`;
      }
      if (email) {
        const [identity] = await tx<{ id: string; identity_data: Metadata }[]>`
          select id, identity_data from auth.identities where user_id = ${userId} and provider = 'email'`;
        if (identity) {
          const data = mergeMetadata(identity.identity_data, { email, email_verified: emailConfirm });
          await tx`update auth.identities set identity_data = ${tx.json(data as never)}, updated_at = now() where id = ${identity.id}`;
        } else {
          await insertEmailIdentity(tx, userId, emailIdentityData(userId, email, emailConfirm));
        }
        await tx`update auth.users set email = ${email} where id = ${userId}`;
        const providers = Array.isArray(appMeta.providers) ? (appMeta.providers as unknown[]) : [];
        if (!providers.includes("email")) appMeta = mergeMetadata(appMeta, { providers: [...providers, "email"] });
      }
      if (appMetadata) appMeta = mergeMetadata(appMeta, appMetadata);
      if (userMetadata) userMeta = mergeMetadata(userMeta, userMetadata);
      await tx`
        update auth.users set raw_app_meta_data = ${tx.json(appMeta as never)}, raw_user_meta_data = ${tx.json(userMeta as never)}, updated_at = now()
        where id = ${userId}`;
      if (bannedUntil !== undefined) await tx`update auth.users set banned_until = ${bannedUntil} where id = ${userId}`;
      return (await findUserById(tx, userId))!;
    });
    sendJson(ctx.res, 200, userJson(updated));
  } catch (err) {
    if (isEmailConflict(err)) throw emailExists();
    throw err;
  }
}

export async function adminDeleteUser(ctx: Ctx, id: string) {
  const user = await loadUserParam(ctx, id);
  // auth-js sends {should_soft_delete}; no body means a hard delete.
  const body = await readJson(ctx, { allowEmpty: true });
  if (field(body, "should_soft_delete", "boolean")) throw badRequest("validation_failed", "Soft deletion is not supported by the local auth server");
  // Cascades to identities, sessions, refresh tokens and AMR claims.
  await ctx.deps.sql`delete from auth.users where id = ${user.row.id}`;
  sendJson(ctx.res, 200, {});
}

