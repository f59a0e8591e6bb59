// The rows of GoTrue's `auth` schema this server reads, and the lookups every part shares.
import type { Sql, TransactionSql } from "postgres";

export type Db = Sql | TransactionSql;

export const NIL_UUID = "00000000-0000-0000-0000-000000000000"; // GoTrue's instance_id
export const AUDIENCE = "authenticated"; // GOTRUE_JWT_AUD
export const DEFAULT_ROLE = "authenticated"; // GOTRUE_JWT_DEFAULT_GROUP_NAME

export type Metadata = Record<string, unknown>;

export type UserRow = {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  invited_at: Date | null;
  confirmation_sent_at: Date | null;
  recovery_sent_at: Date | null;
  email_change: string | null;
  email_change_sent_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Metadata | null;
  raw_user_meta_data: Metadata | null;
  created_at: Date;
  updated_at: Date;
  phone: string | null;
  phone_confirmed_at: Date | null;
  phone_change: string | null;
  phone_change_sent_at: Date | null;
  confirmed_at: Date | null;
  reauthentication_sent_at: Date | null;
  banned_until: Date | null;
  deleted_at: Date | null;
  is_anonymous: boolean;
};

export type IdentityRow = {
  id: string;
  provider_id: string;
  user_id: string;
  identity_data: Metadata | null;
  provider: string;
  last_sign_in_at: Date | null;
  created_at: Date;
  updated_at: Date;
  email: string | null;
};

export type FactorRow = {
  id: string;
  user_id: string;
  friendly_name: string | null;
  factor_type: string;
  status: "unverified" | "verified";
  created_at: Date;
  updated_at: Date;
  secret: string | null;
  phone: string | null;
  last_challenged_at: Date | null;
};

/** A user with what GoTrue's FindUserByID loads eagerly: identities and MFA factors. */
export type User = { row: UserRow; identities: IdentityRow[]; factors: FactorRow[] };

/** GoTrue's HasMFAEnabled: a verified factor. */
export const hasVerifiedFactor = (user: User) => user.factors.some((f) => f.status === "verified");

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === "string" && UUID_PATTERN.test(v);

export const isBanned = (row: UserRow) => row.banned_until instanceof Date && row.banned_until.getTime() > Date.now();

/** Runs `fn` in a transaction, retrying on deadlock or serialization failure. */
export async function withTx<T>(sql: Sql, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await sql.begin(fn)) as T;
    } catch (err) {
      const code = (err as { code?: string })?.code;
      if ((code === "40P01" || code === "40001") && attempt < 3) continue;
      throw err;
    }
  }
}

export async function findUserById(db: Db, id: string): Promise<User | null> {
  const [row] = await db<UserRow[]>`select * from auth.users where id = ${id}`;
  if (!row) return null;
  const identities = await db<IdentityRow[]>`select * from auth.identities where user_id = ${id} order by created_at, id`;
  const factors = await db<FactorRow[]>`select * from auth.mfa_factors where user_id = ${id} order by created_at, id`;
  return { row, identities: [...identities], factors: [...factors] };
}

export async function findUserIdByEmail(db: Db, email: string, aud = AUDIENCE): Promise<string | null> {
  const [row] = await db<{ id: string }[]>`
    select id from auth.users where lower(email) = ${email} and aud = ${aud} and is_sso_user = false`;
  return row?.id ?? null;
}
