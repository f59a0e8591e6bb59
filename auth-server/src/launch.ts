// How to run Supabase Auth locally — this package's server or a real GoTrue binary — with
// one set of settings, so that the differential test compares the two under the settings
// the stack runs. Whoever starts a server passes in where it listens, its database, its
// mail relay and its key file (AuthSettings); the rest (GoTrue's behaviour switches) is
// fixed here. Used by the stack (scripts/stack/auth-choice.ts) and by
// test/integration/differential.test.ts.
//
// A GoTrue binary is looked for, never installed, here: TT_GOTRUE_BIN, then an `auth`
// binary on PATH that answers `auth version`, then a cached `go install` of GOTRUE_COMMIT
// (<cacheDir>/bin/auth). Its SQL migrations: TT_GOTRUE_MIGRATIONS, else a `migrations/`
// folder beside the binary (or one level up), else the module's folder for a go install.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import type { SigningJwk } from "./jwt.ts";

export const GOTRUE_MODULE_PATH = "github.com/supabase/auth";
export const GOTRUE_COMMIT = "4fa66ba71d8c55b5c95cd5635766ed8bbae6d96a"; // v2.189.0

export type AuthServer = { kind: "gotrue"; bin: string; migrations: string } | { kind: "compat" };

/** Where a server runs and what it talks to; the stack's values are in scripts/stack/config.ts. */
export type AuthSettings = {
  host: string;
  port: number;
  /** API_EXTERNAL_URL: the access token's `iss`. */
  externalUrl: string;
  /** GOTRUE_SITE_URL; every mailed link lands on its /auth/confirm. */
  siteUrl: string;
  smtpHost: string;
  smtpPort: number;
  /** The role owning schema `auth` (GoTrue's supabase_auth_admin), on its database. */
  databaseUrl: string;
  /** The private ES256 JWK file ({"keys":[…]}), read by this server; GoTrue gets the key inline. */
  keyFile: string;
};

export class AuthSetupError extends Error {}

/** Runs a command to completion; its stdout and stderr together, trimmed. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(cmd, args, { encoding: "utf8", env, stdio: ["ignore", "pipe", "pipe"] });
  return { ok: r.status === 0, out: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error.message) : ""}`.trim() };
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    // node_modules/.bin holds npm packages' commands, never GoTrue.
    if (!dir || dir.includes("node_modules")) continue;
    const file = join(dir, name);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** Where a `go install` of GOTRUE_COMMIT is kept, under the given cache folder. */
export const cachedGotrueBin = (cacheDir: string) => join(cacheDir, "bin", "auth");

/** A GoTrue binary already on this machine (TT_GOTRUE_BIN, `auth` on PATH, the cached go install), or undefined. */
export function findGotrue(cacheDir: string): string | undefined {
  const fromEnv = process.env.TT_GOTRUE_BIN;
  if (fromEnv) {
    const bin = resolve(fromEnv);
    if (!existsSync(bin)) throw new AuthSetupError(`TT_GOTRUE_BIN points at ${bin}, which does not exist.`);
    return bin;
  }
  const path = onPath("auth");
  if (path && run(path, ["version"]).ok) return path;
  const cached = cachedGotrueBin(cacheDir);
  return existsSync(cached) ? cached : undefined;
}

/** GoTrue's migrations/ folder for `bin`, or undefined. */
export function gotrueMigrations(bin: string, cacheDir: string): string | undefined {
  const fromEnv = process.env.TT_GOTRUE_MIGRATIONS;
  if (fromEnv) {
    const dir = resolve(fromEnv);
    if (!existsSync(dir)) throw new AuthSetupError(`TT_GOTRUE_MIGRATIONS points at ${dir}, which does not exist.`);
    return dir;
  }
  for (const dir of [join(dirname(bin), "migrations"), join(dirname(bin), "..", "migrations")]) if (existsSync(dir)) return dir;
  if (bin === cachedGotrueBin(cacheDir)) {
    // The go install's source is in the module cache, migrations/ included.
    const info = run("go", ["mod", "download", "-json", `${GOTRUE_MODULE_PATH}@${GOTRUE_COMMIT}`]);
    const dir = info.ok ? (JSON.parse(info.out) as { Dir?: string }).Dir : undefined;
    if (dir && existsSync(join(dir, "migrations"))) return join(dir, "migrations");
  }
  return undefined;
}

/** A GoTrue binary and its migrations already on this machine, never installing one. */
export function gotrueAtHand(cacheDir: string): Extract<AuthServer, { kind: "gotrue" }> | undefined {
  const bin = findGotrue(cacheDir);
  const migrations = bin && gotrueMigrations(bin, cacheDir);
  return bin && migrations ? { kind: "gotrue", bin, migrations } : undefined;
}

/** This package's server: its entry, run by Node ≥ 24 directly (type stripping). */
export const SERVER_ENTRY = fileURLToPath(new URL("./main.ts", import.meta.url));

/** The command that starts the server: GoTrue's binary, or this package's entry under the current Node. */
export function authCommand(server: AuthServer): [string, string[]] {
  return server.kind === "gotrue" ? [server.bin, []] : [process.execPath, [SERVER_ENTRY]];
}

/** The environment both servers read (GOTRUE_* as GoTrue names them). */
export function authEnv(settings: AuthSettings, jwk: SigningJwk, server: AuthServer): Record<string, string> {
  const { host, port, externalUrl, siteUrl, smtpHost, smtpPort, databaseUrl, keyFile } = settings;
  return {
    PORT: String(port),
    API_EXTERNAL_URL: externalUrl,
    GOTRUE_API_HOST: host,
    GOTRUE_SITE_URL: siteUrl,
    GOTRUE_URI_ALLOW_LIST: `${siteUrl}/**`,
    GOTRUE_DISABLE_SIGNUP: "false",
    // New addresses are confirmed by mail, as on a hosted project (the demo user and the
    // tests' users are created confirmed through the admin API).
    GOTRUE_MAILER_AUTOCONFIRM: "false",
    // Every mailed link lands on the app's /auth/confirm, whose button exchanges its token
    // hash for a session server-side: ?token=<hash>&type=<type>&redirect_to=…
    GOTRUE_MAILER_URLPATHS_CONFIRMATION: `${siteUrl}/auth/confirm`,
    GOTRUE_MAILER_URLPATHS_RECOVERY: `${siteUrl}/auth/confirm`,
    GOTRUE_MAILER_URLPATHS_EMAIL_CHANGE: `${siteUrl}/auth/confirm`,
    GOTRUE_MAILER_URLPATHS_INVITE: `${siteUrl}/auth/confirm`,
    // A mailed link works for an hour (GoTrue's default is a day; hosted Supabase's an hour).
    GOTRUE_MAILER_OTP_EXP: "3600",
    // A changed address is confirmed from both the old and the new inbox.
    GOTRUE_MAILER_SECURE_EMAIL_CHANGE_ENABLED: "true",
    // Changing the password asks for the current one (a session from a mailed link excepted).
    GOTRUE_SECURITY_UPDATE_PASSWORD_REQUIRE_CURRENT_PASSWORD: "true",
    // One mail of a kind per address per minute (GoTrue's and hosted Supabase's default) …
    GOTRUE_SMTP_MAX_FREQUENCY: "60s",
    // … and mails per hour for the whole server: hosted Supabase allows 30 with your own SMTP;
    // a test suite signs up hundreds of users an hour, so locally it is more.
    GOTRUE_RATE_LIMIT_EMAIL_SENT: "10000",
    GOTRUE_EXTERNAL_EMAIL_ENABLED: "true",
    GOTRUE_EXTERNAL_PHONE_ENABLED: "false",
    GOTRUE_SMTP_HOST: smtpHost,
    GOTRUE_SMTP_PORT: String(smtpPort),
    GOTRUE_SMTP_ADMIN_EMAIL: "no-reply@tunedtensor.local",
    GOTRUE_SMTP_SENDER_NAME: "Tuned Tensor",
    GOTRUE_DB_DRIVER: "postgres",
    GOTRUE_DB_DATABASE_URL: `${databaseUrl}?search_path=auth`,
    DATABASE_URL: databaseUrl,
    // Asymmetric ES256 signing from the key file; the JWKS publishes its public half.
    GOTRUE_JWT_KEYS: JSON.stringify([jwk]),
    TT_AUTH_JWT_KEY_FILE: keyFile,
    GOTRUE_JWT_EXP: "3600",
    GOTRUE_JWT_AUD: "authenticated",
    GOTRUE_JWT_ADMIN_ROLES: "service_role",
    GOTRUE_JWT_DEFAULT_GROUP_NAME: "authenticated",
    GOTRUE_JWT_ISSUER: externalUrl,
    // How long a rotated refresh token may still be exchanged (hosted Supabase's default;
    // GoTrue's own is 0).
    GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL: "10",
    // GoTrue refuses to start without a symmetric secret even when it signs with the
    // asymmetric key above; nothing it issues uses it. Derived from the private key, so it
    // is stable for the key file and secret like the key itself.
    GOTRUE_JWT_SECRET: createHash("sha256").update(`gotrue-hs256:${jwk.d ?? ""}`).digest("hex"),
    ...(server.kind === "gotrue" ? { GOTRUE_DB_MIGRATIONS_PATH: server.migrations } : {}),
  };
}
