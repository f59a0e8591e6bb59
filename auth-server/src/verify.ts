// The mailed-link flows: POST /verify with a token hash (what the app's /auth/confirm sends),
// POST /recover and POST /resend, answering as GoTrue v2.196.0 does. Tokens live in GoTrue's
// columns of auth.users (confirmation_token, recovery_token, email_change_token_new/_current),
// as the SHA-224 hash of the address and a one-time code; a link works once and for
// GOTRUE_MAILER_OTP_EXP seconds after it was sent.
import { findUserById, findUserIdByEmail, isBanned, withTx, type Db, type User } from "./db.ts";
import { badRequest, forbidden, sendJson } from "./errors.ts";
import { field, readJson, type Ctx } from "./http.ts";
import { checkFrequency, generateOtp, sendAuthMail, tokenHash } from "./mail.ts";
import { issueSession } from "./tokens.ts";
import { validateEmail } from "./users.ts";

type TokenRow = {
  id: string;
  email: string | null;
  email_change: string | null;
  confirmation_token: string | null;
  recovery_token: string | null;
  email_change_token_new: string | null;
  email_change_token_current: string | null;
  email_change_confirm_status: number | null;
  confirmation_sent_at: Date | null;
  recovery_sent_at: Date | null;
  email_change_sent_at: Date | null;
};

const expired = () => forbidden("otp_expired", "Email link is invalid or has expired");

async function tokenRow(db: Db, id: string): Promise<TokenRow> {
  const [row] = await db<TokenRow[]>`
    select id, email, email_change, confirmation_token, recovery_token, email_change_token_new, email_change_token_current,
           email_change_confirm_status, confirmation_sent_at, recovery_sent_at, email_change_sent_at
    from auth.users where id = ${id}`;
  return row!;
}

/** sendConfirmation: a new code, its hash on the user, the mail. */
export async function sendConfirmation(ctx: Ctx, db: Db, user: User) {
  const row = await tokenRow(db, user.row.id);
  checkFrequency(ctx, row.confirmation_sent_at);
  const hash = tokenHash(row.email ?? "", generateOtp());
  await sendAuthMail(ctx, "signup", row.email ?? "", hash);
  await db`update auth.users set confirmation_token = ${hash}, confirmation_sent_at = now() where id = ${row.id}`;
}

/** sendEmailChange: a code for the new address and (secure change) one for the current one. */
export async function sendEmailChange(ctx: Ctx, db: Db, user: User, newEmail: string) {
  const row = await tokenRow(db, user.row.id);
  checkFrequency(ctx, row.email_change_sent_at);
  const hashNew = tokenHash(newEmail, generateOtp());
  const current = row.email ?? "";
  const hashCurrent = ctx.deps.config.secureEmailChange && current ? tokenHash(current, generateOtp()) : "";
  await Promise.all([
    sendAuthMail(ctx, "email_change", newEmail, hashNew, { newEmail }),
    ...(hashCurrent ? [sendAuthMail(ctx, "email_change", current, hashCurrent, { newEmail })] : []),
  ]);
  await db`
    update auth.users
    set email_change = ${newEmail}, email_change_token_new = ${hashNew}, email_change_token_current = ${hashCurrent},
        email_change_confirm_status = 0, email_change_sent_at = now(), updated_at = now()
    where id = ${row.id}`;
}

// POST /recover {email} — always {} for an address nobody has (it must not tell).
export async function recover(ctx: Ctx) {
  const { sql } = ctx.deps;
  const body = await readJson(ctx);
  const raw = field(body, "email", "string");
  if (!raw) throw badRequest("validation_failed", "Password recovery requires an email");
  const email = validateEmail(raw);
  const id = await findUserIdByEmail(sql, email);
  if (id) {
    const row = await tokenRow(sql, id);
    checkFrequency(ctx, row.recovery_sent_at);
    const hash = tokenHash(row.email ?? "", generateOtp());
    await sendAuthMail(ctx, "recovery", row.email ?? "", hash);
    await sql`update auth.users set recovery_token = ${hash}, recovery_sent_at = now() where id = ${id}`;
  }
  sendJson(ctx.res, 200, {});
}

// POST /resend {type: signup|email_change, email}
export async function resend(ctx: Ctx) {
  const { sql } = ctx.deps;
  const body = await readJson(ctx);
  const type = field(body, "type", "string") ?? "";
  const raw = field(body, "email", "string");
  if (!["signup", "email_change", "sms", "phone_change"].includes(type)) throw badRequest("validation_failed", "Missing one of these types: signup, email_change, sms, phone_change");
  if (!raw) throw badRequest("validation_failed", "Type provided requires an email address");
  const email = validateEmail(raw);
  const id = await findUserIdByEmail(sql, email);
  const user = id ? await findUserById(sql, id) : null;
  if (user) {
    if (type === "signup" && !user.row.email_confirmed_at) await sendConfirmation(ctx, sql, user);
    else if (type === "email_change" && user.row.email_change) await sendEmailChange(ctx, sql, user, user.row.email_change);
  }
  sendJson(ctx.res, 200, {});
}

// POST /verify {type, token_hash}: the session of whoever the link was for.
export async function verify(ctx: Ctx) {
  const { config, sql } = ctx.deps;
  const body = await readJson(ctx);
  const type = field(body, "type", "string") ?? "";
  const token = field(body, "token", "string") ?? "";
  let hash = field(body, "token_hash", "string") ?? "";
  const email = field(body, "email", "string") ?? "";
  if (type === "") throw badRequest("validation_failed", "Verify requires a verification type");
  if ((token === "" && hash === "") || (token !== "" && hash !== "")) throw badRequest("validation_failed", "Verify requires either a token or a token hash");
  if (token !== "") {
    // A code typed in with its address: the same hash the link carries.
    if (!email) throw badRequest("validation_failed", "Only an email address or phone number should be provided on verify");
    hash = tokenHash(validateEmail(email), token);
  } else if (email) {
    throw badRequest("validation_failed", "Only the token_hash and type should be provided");
  }
  const column = { signup: "confirmation_token", recovery: "recovery_token" }[type as "signup" | "recovery"];
  if (!column && type !== "email_change") throw badRequest("validation_failed", "Invalid email verification type");

  const outcome = await withTx(sql, async (tx) => {
    const [found] =
      type === "email_change"
        ? await tx<{ id: string }[]>`select id from auth.users where email_change_token_new = ${hash} or email_change_token_current = ${hash} for update`
        : await tx<{ id: string }[]>`select id from auth.users where ${tx(column!)} = ${hash} for update`;
    if (!hash || !found) return { error: expired() };
    const user = (await findUserById(tx, found.id))!;
    if (isBanned(user.row)) return { error: forbidden("user_banned", "User is banned") };
    const row = await tokenRow(tx, found.id);
    const sentAt = type === "signup" ? row.confirmation_sent_at : type === "recovery" ? row.recovery_sent_at : row.email_change_sent_at;
    if (!sentAt || sentAt.getTime() + config.otpExp * 1000 < Date.now()) return { error: expired() };

    if (type === "signup") {
      await tx`update auth.users set confirmation_token = '', email_confirmed_at = coalesce(email_confirmed_at, now()), updated_at = now() where id = ${row.id}`;
      await tx`update auth.identities set identity_data = identity_data || '{"email_verified": true}'::jsonb, updated_at = now() where user_id = ${row.id} and provider = 'email'`;
    } else if (type === "recovery") {
      // user.Recover; a recovery also confirms an unconfirmed address (it was just proven).
      await tx`update auth.users set recovery_token = '', email_confirmed_at = coalesce(email_confirmed_at, now()), updated_at = now() where id = ${row.id}`;
    } else {
      if (config.secureEmailChange && !config.mailerAutoconfirm && (row.email_change_confirm_status ?? 0) === 0 && row.email) {
        // The first of the two links: noted, and the other one is still needed.
        const which = hash === row.email_change_token_current ? tx`email_change_token_current = ''` : tx`email_change_token_new = ''`;
        await tx`update auth.users set email_change_confirm_status = 1, ${which} where id = ${row.id}`;
        return { single: true as const };
      }
      const newEmail = row.email_change ?? "";
      await tx`
        update auth.users
        set email = ${newEmail}, email_change = '', email_change_token_new = '', email_change_token_current = '',
            email_change_confirm_status = 0, email_confirmed_at = coalesce(email_confirmed_at, now()), updated_at = now()
        where id = ${row.id}`;
      await tx`
        update auth.identities
        set identity_data = identity_data || ${tx.json({ email: newEmail, email_verified: true })}, updated_at = now()
        where user_id = ${row.id} and provider = 'email'`;
    }
    return { session: await issueSession(ctx, tx, row.id, "otp") };
  });
  if ("error" in outcome) throw outcome.error;
  if ("single" in outcome) {
    sendJson(ctx.res, 200, { msg: "Confirmation link accepted. Please proceed to confirm link sent to the other email", code: "200" });
    return;
  }
  sendJson(ctx.res, 200, outcome.session);
}
