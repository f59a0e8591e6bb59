// The server's settings (the GOTRUE_* variables GoTrue reads, with GoTrue's defaults) and
// what every handler shares: the settings, the database and the signing key.
import type { Sql } from "postgres";

import type { SigningJwk } from "./jwt.ts";

export type AuthConfig = {
  port: number;
  host: string;
  databaseUrl: string;
  keyFile: string;
  /** GOTRUE_SITE_URL: where links go when no redirect is asked for; its host is a TOTP factor's default issuer. */
  siteUrl: string;
  /** The access token's `iss` (API_EXTERNAL_URL). */
  issuer: string;
  jwtExp: number;
  disableSignup: boolean;
  mailerAutoconfirm: boolean;
  passwordMinLength: number;
  /** GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL, seconds (GoTrue's default: 0). */
  refreshTokenReuseInterval: number;
  /** GOTRUE_MAILER_URLPATHS_*: the link a mail carries (GoTrue's default: its own /verify). */
  urlPaths: { confirmation: string; recovery: string; emailChange: string };
  /** GOTRUE_MAILER_OTP_EXP, seconds: how long a mailed link works (GoTrue's default: a day). */
  otpExp: number;
  /** GOTRUE_SMTP_MAX_FREQUENCY, seconds: one mail of a kind per user per this long. */
  smtpMaxFrequency: number;
  smtp: { host: string; port: number; adminEmail: string; senderName: string };
  /** GOTRUE_MAILER_SECURE_EMAIL_CHANGE_ENABLED: both the old and the new address confirm. */
  secureEmailChange: boolean;
  /** GOTRUE_SECURITY_UPDATE_PASSWORD_REQUIRE_CURRENT_PASSWORD. */
  requireCurrentPassword: boolean;
};

export type Deps = {
  config: AuthConfig;
  sql: Sql;
  signingKey: SigningJwk;
  /** A hash to check unknown addresses against, so they cost as much time as a wrong password. */
  dummyHash: string;
};

export const MAX_PASSWORD_BYTES = 72; // bcrypt's limit, which GoTrue enforces

/** Reads and checks the environment; returns the problems instead of throwing. */
export function loadConfig(env: NodeJS.ProcessEnv): { config: AuthConfig; problems: string[] } {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    if (!/^\d+$/.test(raw.trim())) {
      problems.push(`${name} must be an integer, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    const n = Number(raw.trim());
    if (n < min || n > max) problems.push(`${name} must be between ${min} and ${max}`);
    return n;
  };
  // The spellings Go's strconv.ParseBool (GoTrue's envconfig) accepts.
  const bool = (name: string, fallback: boolean) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const v = raw.trim();
    if (["1", "t", "T", "true", "TRUE", "True"].includes(v)) return true;
    if (["0", "f", "F", "false", "FALSE", "False"].includes(v)) return false;
    problems.push(`${name} must be true or false, got ${JSON.stringify(raw)}`);
    return fallback;
  };
  const url = (name: string, fallback: string) => {
    const raw = env[name] || fallback;
    if (!URL.canParse(raw)) problems.push(`${name} must be an absolute URL`);
    return raw.replace(/\/+$/, "");
  };
  // Go's time.ParseDuration for the forms these settings take ("60s", "1m", "1h").
  const duration = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const m = /^(\d+)(s|m|h)$/.exec(raw.trim());
    if (!m) {
      problems.push(`${name} must be a duration like 60s, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return Number(m[1]) * ({ s: 1, m: 60, h: 3600 } as const)[m[2] as "s" | "m" | "h"];
  };
  const config: AuthConfig = {
    port: int("PORT", 9999, 1, 65535),
    host: env.HOST || "127.0.0.1",
    databaseUrl: env.DATABASE_URL ?? "",
    keyFile: env.TT_AUTH_JWT_KEY_FILE ?? "",
    siteUrl: url("GOTRUE_SITE_URL", "http://localhost:3000"),
    issuer: url("API_EXTERNAL_URL", "http://127.0.0.1:54321/auth/v1"),
    jwtExp: int("GOTRUE_JWT_EXP", 3600, 30, 7 * 24 * 3600),
    disableSignup: bool("GOTRUE_DISABLE_SIGNUP", false),
    mailerAutoconfirm: bool("GOTRUE_MAILER_AUTOCONFIRM", true),
    // GoTrue raises anything below 6 to 6.
    passwordMinLength: Math.max(6, int("GOTRUE_PASSWORD_MIN_LENGTH", 6, 0, MAX_PASSWORD_BYTES)),
    refreshTokenReuseInterval: int("GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL", 0, 0, 365 * 24 * 3600),
    urlPaths: {
      confirmation: env.GOTRUE_MAILER_URLPATHS_CONFIRMATION || "/verify",
      recovery: env.GOTRUE_MAILER_URLPATHS_RECOVERY || "/verify",
      emailChange: env.GOTRUE_MAILER_URLPATHS_EMAIL_CHANGE || "/verify",
    },
    otpExp: int("GOTRUE_MAILER_OTP_EXP", 86400, 0, 365 * 24 * 3600) || 86400,
    smtpMaxFrequency: duration("GOTRUE_SMTP_MAX_FREQUENCY", 60),
    smtp: {
      host: env.GOTRUE_SMTP_HOST ?? "",
      port: int("GOTRUE_SMTP_PORT", 587, 1, 65535),
      adminEmail: env.GOTRUE_SMTP_ADMIN_EMAIL ?? "",
      senderName: env.GOTRUE_SMTP_SENDER_NAME ?? "",
    },
    secureEmailChange: bool("GOTRUE_MAILER_SECURE_EMAIL_CHANGE_ENABLED", true),
    requireCurrentPassword: bool("GOTRUE_SECURITY_UPDATE_PASSWORD_REQUIRE_CURRENT_PASSWORD", false),
  };
  if (!config.databaseUrl) problems.push("DATABASE_URL is required");
  if (!config.keyFile) problems.push("TT_AUTH_JWT_KEY_FILE is required");
  return { config, problems };
}
