// Users: GoTrue's JSON for a user, the email identity, metadata rules, and the endpoints
// of the signed-in user (POST /signup, GET /user, PUT /user).
import { randomUUID } from "node:crypto";
import type { TransactionSql } from "postgres";

import {
  AUDIENCE,
  DEFAULT_ROLE,
  NIL_UUID,
  findUserById,
  findUserIdByEmail,
  hasVerifiedFactor,
  withTx,
  type FactorRow,
  type IdentityRow,
  type Metadata,
  type User,
} from "./db.ts";
import { ApiError, badRequest, emailExists, forbidden, sendJson, unprocessable } from "./errors.ts";
import { field, isPlainObject, readJson, type Ctx } from "./http.ts";
import { checkPasswordStrength, hashPassword, verifyPassword } from "./passwords.ts";
import { requireAuthentication } from "./sessions.ts";
import { issueSession } from "./tokens.ts";
import { sendConfirmation, sendEmailChange } from "./verify.ts";

// checkmail.ValidateFormat's pattern, which GoTrue validates addresses with.
const EMAIL_PATTERN =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const MAX_METADATA_DEPTH = 100;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : undefined);

function identityJson(i: IdentityRow) {
  const out: Record<string, unknown> = { identity_id: i.id, id: i.provider_id, user_id: i.user_id, identity_data: i.identity_data ?? {}, provider: i.provider };
  if (i.last_sign_in_at) out.last_sign_in_at = iso(i.last_sign_in_at);
  out.created_at = iso(i.created_at);
  out.updated_at = iso(i.updated_at);
  if (i.email) out.email = i.email;
  return out;
}

/** GoTrue's models.Factor as JSON (never its secret). */
export function factorJson(f: FactorRow) {
  const out: Record<string, unknown> = { id: f.id, created_at: iso(f.created_at), updated_at: iso(f.updated_at), status: f.status };
  if (f.friendly_name) out.friendly_name = f.friendly_name;
  out.factor_type = f.factor_type;
  out.phone = f.phone ?? "";
  out.last_challenged_at = f.last_challenged_at ? iso(f.last_challenged_at) : null;
  return out;
}

/**
 * GoTrue's models.User as JSON: same keys, same order, omitted where Go omits empty values.
 * `created` is for the answer to the request that created the user: GoTrue answers with
 * the struct it inserted, which lacks the database-generated `confirmed_at`.
 */
export function userJson({ row: u, identities, factors }: User, { created = false } = {}) {
  const out: Record<string, unknown> = { id: u.id, aud: u.aud ?? "", role: u.role ?? "", email: u.email ?? "" };
  if (u.email_confirmed_at) out.email_confirmed_at = iso(u.email_confirmed_at);
  if (u.invited_at) out.invited_at = iso(u.invited_at);
  out.phone = u.phone ?? "";
  if (u.phone_confirmed_at) out.phone_confirmed_at = iso(u.phone_confirmed_at);
  if (u.confirmation_sent_at) out.confirmation_sent_at = iso(u.confirmation_sent_at);
  if (u.confirmed_at && !created) out.confirmed_at = iso(u.confirmed_at);
  if (u.recovery_sent_at) out.recovery_sent_at = iso(u.recovery_sent_at);
  if (u.email_change) out.new_email = u.email_change;
  if (u.email_change_sent_at) out.email_change_sent_at = iso(u.email_change_sent_at);
  if (u.phone_change) out.new_phone = u.phone_change;
  if (u.phone_change_sent_at) out.phone_change_sent_at = iso(u.phone_change_sent_at);
  if (u.reauthentication_sent_at) out.reauthentication_sent_at = iso(u.reauthentication_sent_at);
  if (u.last_sign_in_at) out.last_sign_in_at = iso(u.last_sign_in_at);
  out.app_metadata = u.raw_app_meta_data ?? {};
  out.user_metadata = u.raw_user_meta_data ?? {};
  if (factors.length > 0) out.factors = factors.map(factorJson);
  out.identities = identities.map(identityJson);
  out.created_at = iso(u.created_at);
  out.updated_at = iso(u.updated_at);
  if (u.banned_until) out.banned_until = iso(u.banned_until);
  if (u.deleted_at) out.deleted_at = iso(u.deleted_at);
  out.is_anonymous = u.is_anonymous === true;
  return out;
}

/** Refuses metadata jsonb cannot store (NUL, lone surrogates) or that is absurdly deep. */
export function checkMetadata(value: Metadata, name: string): Metadata {
  const walk = (v: unknown, depth: number) => {
    if (depth > MAX_METADATA_DEPTH) throw badRequest("validation_failed", `${name} is nested too deeply`);
    if (typeof v === "string") {
      if (/\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(v)) {
        throw badRequest("validation_failed", `${name} contains characters that cannot be stored`);
      }
    } else if (Array.isArray(v)) {
      for (const item of v) walk(item, depth + 1);
    } else if (isPlainObject(v)) {
      for (const [k, item] of Object.entries(v)) {
        walk(k, depth + 1);
        walk(item, depth + 1);
      }
    }
  };
  walk(value, 0);
  return value;
}

/**
 * GoTrue's UpdateUserMetaData: keys in `updates` overwrite, keys set to null go, others
 * stay. Through a Map, so a "__proto__" key stays an ordinary property.
 */
export function mergeMetadata(current: unknown, updates: Metadata): Metadata {
  const merged = new Map(Object.entries(isPlainObject(current) ? current : {}));
  for (const [k, v] of Object.entries(updates)) {
    if (v === null) merged.delete(k);
    else merged.set(k, v);
  }
  return Object.fromEntries(merged);
}

/** GoTrue's validateEmail: required, at most 255 bytes, checkmail's format; lowercased. */
export function validateEmail(raw: string | undefined): string {
  // Deliberate leniency: surrounding whitespace is trimmed (GoTrue refuses the address).
  const email = (raw ?? "").trim();
  if (email === "") throw badRequest("validation_failed", "An email address is required");
  if (Buffer.byteLength(email, "utf8") > 255) throw badRequest("validation_failed", "An email address is too long");
  if (!EMAIL_PATTERN.test(email)) throw badRequest("validation_failed", "Unable to validate email address: invalid format");
  return email.toLowerCase();
}

/** The identity_data GoTrue stores for an email identity: extra data, then the provider's claims. */
export function emailIdentityData(userId: string, email: string, emailVerified: boolean, data: Metadata = {}): Metadata {
  return { ...data, sub: userId, email, email_verified: emailVerified, phone_verified: false };
}

export async function insertEmailIdentity(tx: TransactionSql, userId: string, identityData: Metadata) {
  await tx`
    insert into auth.identities (id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
    values (${randomUUID()}, ${userId}, ${userId}, ${tx.json(identityData as never)}, 'email', now(), now(), now())`;
}

/** A unique violation on an email index: the address was taken concurrently. */
export const isEmailConflict = (err: unknown) =>
  (err as { code?: string })?.code === "23505" && /email/.test((err as { constraint_name?: string }).constraint_name ?? "");

export async function signup(ctx: Ctx) {
  const { config, sql } = ctx.deps;
  const body = await readJson(ctx);
  const rawEmail = field(body, "email", "string");
  const phone = field(body, "phone", "string");
  const password = field(body, "password", "string") ?? "";
  const data = checkMetadata(field(body, "data", "object") ?? {}, "data");

  // GoTrue's order of checks (router, then Signup).
  if (!rawEmail && !phone) throw unprocessable("anonymous_provider_disabled", "Anonymous sign-ins are disabled");
  if (config.disableSignup) throw unprocessable("signup_disabled", "Signups not allowed for this instance");
  if (password === "") throw badRequest("validation_failed", "Signup requires a valid password");
  checkPasswordStrength(password, config.passwordMinLength);
  if (rawEmail && phone) throw badRequest("validation_failed", "Only an email address or phone number should be provided on signup.");
  if (!rawEmail) throw badRequest("phone_provider_disabled", "Phone signups are disabled");
  const email = validateEmail(rawEmail);

  const existing = await findUserIdByEmail(sql, email);
  if (existing) return signupExisting(ctx, existing, email, data);
  const encrypted = await hashPassword(password);
  const userId = randomUUID();
  const confirmed = config.mailerAutoconfirm;
  const identityData = emailIdentityData(userId, email, confirmed, data);
  // As GoTrue: user_metadata carries the identity's claims (sub, email, email_verified, phone_verified).
  const userMetadata = mergeMetadata(data, identityData);
  const appMetadata = { provider: "email", providers: ["email"] };
  try {
    const result = await withTx(sql, async (tx) => {
      await tx`
        insert into auth.users
          (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, confirmation_sent_at,
           raw_app_meta_data, raw_user_meta_data, is_super_admin, created_at, updated_at, is_sso_user, is_anonymous)
        values
          (${NIL_UUID}, ${userId}, ${AUDIENCE}, ${DEFAULT_ROLE}, ${email}, ${encrypted},
           ${confirmed ? tx`now()` : null}, null,
           ${tx.json(appMetadata)}, ${tx.json(userMetadata as never)}, false, now(), now(), false, false)`;
      await insertEmailIdentity(tx, userId, identityData);
      if (!confirmed) {
        // The mail goes out inside the transaction: if it cannot be sent, no user is left behind.
        await sendConfirmation(ctx, tx, (await findUserById(tx, userId))!);
        return { user: (await findUserById(tx, userId))! };
      }
      return { session: await issueSession(ctx, tx, userId, "password", { created: true }) };
    });
    // Without autoconfirm GoTrue answers with the bare user and mails a confirmation link.
    sendJson(ctx.res, 200, result.session ?? userJson(result.user!, { created: true }));
  } catch (err) {
    if (isEmailConflict(err)) {
      const id = await findUserIdByEmail(sql, email);
      if (id) return signupExisting(ctx, id, email, data);
    }
    throw err;
  }
}

/**
 * Sign-up with a registered address. With autoconfirm GoTrue says so; without, it mails a
 * new confirmation link to an address not yet confirmed (and answers with that user, as
 * for a new one), and answers a confirmed one with a made-up unconfirmed user and no mail,
 * so sign-up cannot tell which addresses exist.
 */
async function signupExisting(ctx: Ctx, id: string, email: string, data: Metadata) {
  if (ctx.deps.config.mailerAutoconfirm) throw unprocessable("user_already_exists", "User already registered");
  const user = await findUserById(ctx.deps.sql, id);
  if (user && !user.row.email_confirmed_at) {
    await sendConfirmation(ctx, ctx.deps.sql, user);
    sendJson(ctx.res, 200, userJson((await findUserById(ctx.deps.sql, id))!));
    return;
  }
  const now = new Date().toISOString();
  sendJson(ctx.res, 200, {
    id: randomUUID(), aud: AUDIENCE, role: "", email, phone: "", confirmation_sent_at: now,
    app_metadata: { provider: "email", providers: ["email"] }, user_metadata: data, identities: [],
    created_at: now, updated_at: now, is_anonymous: false,
  });
}

/** models.Session.IsRecovery: the session began from a mailed link or code. */
async function isRecoverySession(sql: Ctx["deps"]["sql"], sessionId: string): Promise<boolean> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from auth.mfa_amr_claims where session_id = ${sessionId} and authentication_method in ('otp', 'magiclink', 'recovery')`;
  return (row?.n ?? 0) > 0;
}

export async function getUser(ctx: Ctx) {
  const { user } = await requireAuthentication(ctx);
  sendJson(ctx.res, 200, userJson(user));
}

export async function updateUser(ctx: Ctx) {
  const { config, sql } = ctx.deps;
  const { user, session } = await requireAuthentication(ctx);
  const body = await readJson(ctx);
  const rawEmail = field(body, "email", "string");
  const phone = field(body, "phone", "string");
  const password = field(body, "password", "string");
  const currentPassword = field(body, "current_password", "string");
  const data = field(body, "data", "object");
  const appData = field(body, "app_metadata", "object");
  if (data) checkMetadata(data, "data");

  const u = user.row;
  const email = rawEmail ? validateEmail(rawEmail) : undefined;
  if (password !== undefined) checkPasswordStrength(password, config.passwordMinLength);
  // GoTrue lets only its (unused) admin group change app_metadata here.
  if (appData) throw forbidden("not_admin", "Updating app_metadata requires admin privileges");
  // GoTrue: with a verified factor, a new password or address needs a session at aal2 (401).
  if (hasVerifiedFactor(user) && session?.aal !== "aal2" && (password || (email && email !== u.email) || (phone && phone !== u.phone))) {
    throw new ApiError(401, "insufficient_aal", "AAL2 session is required to update email or password when MFA is enabled.");
  }
  const changingEmail = Boolean(email && email !== u.email);
  if (changingEmail && (await findUserIdByEmail(sql, email!))) throw emailExists();
  if (phone && phone !== u.phone) throw unprocessable("phone_provider_disabled", "Phone logins are disabled");

  let encrypted: string | undefined;
  if (password) {
    // GOTRUE_SECURITY_UPDATE_PASSWORD_REQUIRE_CURRENT_PASSWORD, except in a session that began
    // from a mailed link (amr otp/recovery: the reset-password flow).
    if (config.requireCurrentPassword && u.encrypted_password && !(session && (await isRecoverySession(sql, session.id)))) {
      if (!currentPassword) throw badRequest("current_password_required", "Current password required when setting new password.");
      if (!(await verifyPassword(currentPassword, u.encrypted_password))) {
        throw badRequest("current_password_invalid", "Current password required when setting new password.");
      }
    }
    if (u.encrypted_password && (await verifyPassword(password, u.encrypted_password))) {
      throw unprocessable("same_password", "New password should be different from the old password.");
    }
    encrypted = await hashPassword(password);
  }
  const updated = await withTx(sql, async (tx) => {
    // Locked, so concurrent metadata updates merge instead of overwriting each other.
    const [locked] = await tx<{ raw_user_meta_data: Metadata | null }[]>`select raw_user_meta_data from auth.users where id = ${u.id} for update`;
    if (!locked) throw new ApiError(403, "user_not_found", "User from sub claim in JWT does not exist");
    if (encrypted) {
      // GoTrue's UpdatePassword: links mailed before the change (reset, confirmation, e-mail
      // change) stop working — whoever changed the password may not trust what came before.
      await tx`
        update auth.users
        set encrypted_password = ${encrypted}, updated_at = now(),
            confirmation_token = '', confirmation_sent_at = null, recovery_token = '', recovery_sent_at = null,
            email_change_token_current = '', email_change_token_new = '', email_change_sent_at = null,
            phone_change_token = '', phone_change_sent_at = null, reauthentication_token = '', reauthentication_sent_at = null
        where id = ${u.id}`;
      // GoTrue's UpdatePassword(tx, sessionID): every other session of the user ends.
      if (session) await tx`delete from auth.sessions where user_id = ${u.id} and id <> ${session.id}`;
      else await tx`delete from auth.sessions where user_id = ${u.id}`;
    }
    if (data) {
      const merged = mergeMetadata(locked.raw_user_meta_data, data);
      await tx`update auth.users set raw_user_meta_data = ${tx.json(merged as never)}, updated_at = now() where id = ${u.id}`;
    }
    // Confirmed by mail (both addresses with secure e-mail change); nothing changes until then.
    if (changingEmail) await sendEmailChange(ctx, tx, user, email!);
    return (await findUserById(tx, u.id))!;
  });
  sendJson(ctx.res, 200, userJson(updated));
}

