// Which Supabase Auth server the local stack runs, and how.
//
// The real server (GoTrue) wherever a binary can be had, in this order:
//   1. TT_GOTRUE_BIN — a binary you built (README: "The real Supabase Auth");
//   2. an `auth` binary on PATH that answers `auth version`;
//   3. the cached `go install` of the pinned commit (~/.cache/tuned-tensor/bin/auth);
//   4. `go install` of that commit, where the Go module proxy serves it (this project's
//      build machines are refused: later versions carry a `replace` directive, which
//      `go install` does not accept, and the pinned one is not served).
// GoTrue also needs its own SQL migrations: TT_GOTRUE_MIGRATIONS, else a `migrations/`
// folder beside the binary (or one level up), else the module's folder for a go install.
// Where none of that works, TT_AUTH_SERVER=auto (the default) runs the project's
// GoTrue-compatible server instead; TT_AUTH_SERVER=gotrue makes it fatal; =compat skips it.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

import { onPath, run } from "./binaries.ts";
import { AUTH_DATABASE_URL, AUTH_EXTERNAL_URL, AUTH_PORT, CACHE_DIR, HOST, KEY_FILE, ROOT, SITE_URL } from "./config.ts";
import type { SigningJwk } from "./jwt.ts";
import { LOCAL } from "../../lib/local-defaults.ts";

export const GOTRUE_MODULE_PATH = "github.com/supabase/auth";
export const GOTRUE_COMMIT = "4fa66ba71d8c55b5c95cd5635766ed8bbae6d96a"; // v2.189.0
const CACHED_BIN = join(CACHE_DIR, "bin", "auth");

export type AuthServer = { kind: "gotrue"; bin: string; migrations: string } | { kind: "compat" };

export class AuthChoiceError extends Error {}

/** A binary that answers `version` like GoTrue does, or undefined; `install: false` never runs `go install`. */
function gotrueBinary(say: (msg: string) => void, { install = true } = {}): string | undefined {
  const fromEnv = process.env.TT_GOTRUE_BIN;
  if (fromEnv) {
    const bin = resolve(fromEnv);
    if (!existsSync(bin)) throw new AuthChoiceError(`TT_GOTRUE_BIN points at ${bin}, which does not exist.`);
    return bin;
  }
  const path = onPath("auth");
  if (path && run(path, ["version"]).ok) return path;
  if (existsSync(CACHED_BIN)) return CACHED_BIN;
  if (!install) return undefined;
  if (process.env.TT_AUTH_SERVER !== "gotrue" && !onPath("go")) return undefined;
  say(`installing Supabase Auth: go install ${GOTRUE_MODULE_PATH}@${GOTRUE_COMMIT} → ${CACHED_BIN}`);
  const go = run("go", ["install", `${GOTRUE_MODULE_PATH}@${GOTRUE_COMMIT}`], { ...process.env, GOBIN: dirname(CACHED_BIN), GOFLAGS: "-buildvcs=false" });
  if (go.ok && existsSync(CACHED_BIN)) return CACHED_BIN;
  // Go's last lines carry the cause ("server response: This module version is not available.").
  const why = go.out.split("\n").map((l) => l.trim()).filter(Boolean).slice(-2).join(" — ") || "go is not installed";
  say(`go install failed: ${why.slice(-240)}`);
  return undefined;
}

function migrationsFor(bin: string): string | undefined {
  const fromEnv = process.env.TT_GOTRUE_MIGRATIONS;
  if (fromEnv) {
    const dir = resolve(fromEnv);
    if (!existsSync(dir)) throw new AuthChoiceError(`TT_GOTRUE_MIGRATIONS points at ${dir}, which does not exist.`);
    return dir;
  }
  for (const dir of [join(dirname(bin), "migrations"), join(dirname(bin), "..", "migrations")]) if (existsSync(dir)) return dir;
  if (bin === CACHED_BIN) {
    // The go install's source is in the module cache, migrations/ included.
    const info = run("go", ["mod", "download", "-json", `${GOTRUE_MODULE_PATH}@${GOTRUE_COMMIT}`]);
    const dir = info.ok ? (JSON.parse(info.out) as { Dir?: string }).Dir : undefined;
    if (dir && existsSync(join(dir, "migrations"))) return join(dir, "migrations");
  }
  return undefined;
}

/** Decides which server to run; throws (with one sentence) where TT_AUTH_SERVER=gotrue cannot be met. */
export function chooseAuthServer(say: (msg: string) => void): AuthServer {
  const mode = process.env.TT_AUTH_SERVER || "auto";
  if (!["auto", "gotrue", "compat"].includes(mode)) throw new AuthChoiceError(`TT_AUTH_SERVER must be auto, gotrue or compat (got "${mode}").`);
  if (mode === "compat") return { kind: "compat" };
  const bin = gotrueBinary(say);
  const migrations = bin && migrationsFor(bin);
  if (bin && migrations) return { kind: "gotrue", bin, migrations };
  const why = bin
    ? `found GoTrue at ${bin} but not its migrations/ folder; set TT_GOTRUE_MIGRATIONS to it`
    : "no GoTrue binary (TT_GOTRUE_BIN, `auth` on PATH, or a go install)";
  if (mode === "gotrue") throw new AuthChoiceError(`TT_AUTH_SERVER=gotrue, but ${why}.`);
  say(`${why}; using the GoTrue-compatible local auth server (docs/ARCHITECTURE.md, "Supabase Auth").`);
  return { kind: "compat" };
}

/**
 * A GoTrue binary and its migrations already on this machine (TT_GOTRUE_BIN/TT_GOTRUE_MIGRATIONS,
 * `auth` on PATH, the cached go install), never installing one; for the differential test.
 */
export function gotrueAtHand(): Extract<AuthServer, { kind: "gotrue" }> | undefined {
  const bin = gotrueBinary(() => {}, { install: false });
  const migrations = bin && migrationsFor(bin);
  return bin && migrations ? { kind: "gotrue", bin, migrations } : undefined;
}

/** The command that starts the chosen server. */
export function authCommand(server: AuthServer): [string, string[]] {
  return server.kind === "gotrue" ? [server.bin, []] : [process.execPath, [join(ROOT, "scripts/stack/auth-server/main.ts")]];
}

/** The settings both servers read (GOTRUE_* as GoTrue names them), for this stack. */
export function authEnv(jwk: SigningJwk, server: AuthServer): Record<string, string> {
  return {
    PORT: String(AUTH_PORT),
    API_EXTERNAL_URL: AUTH_EXTERNAL_URL,
    GOTRUE_API_HOST: HOST,
    GOTRUE_SITE_URL: SITE_URL,
    GOTRUE_URI_ALLOW_LIST: `${SITE_URL}/**`,
    GOTRUE_DISABLE_SIGNUP: "false",
    // New addresses are confirmed by mail, as on a hosted project (the demo user and the
    // tests' users are created confirmed through the admin API).
    GOTRUE_MAILER_AUTOCONFIRM: "false",
    // Every mailed link lands on the app's /auth/confirm (app/(auth)/auth/confirm/page.tsx), whose
    // button exchanges its token hash for a session server-side: ?token=<hash>&type=<type>&redirect_to=…
    GOTRUE_MAILER_URLPATHS_CONFIRMATION: `${SITE_URL}/auth/confirm`,
    GOTRUE_MAILER_URLPATHS_RECOVERY: `${SITE_URL}/auth/confirm`,
    GOTRUE_MAILER_URLPATHS_EMAIL_CHANGE: `${SITE_URL}/auth/confirm`,
    GOTRUE_MAILER_URLPATHS_INVITE: `${SITE_URL}/auth/confirm`,
    // A mailed link works for an hour (GoTrue's default is a day; hosted Supabase's an hour).
    GOTRUE_MAILER_OTP_EXP: "3600",
    // A changed address is confirmed from both the old and the new inbox.
    GOTRUE_MAILER_SECURE_EMAIL_CHANGE_ENABLED: "true",
    // Changing the password asks for the current one (a session from a mailed link excepted).
    GOTRUE_SECURITY_UPDATE_PASSWORD_REQUIRE_CURRENT_PASSWORD: "true",
    // One mail of a kind per address per minute (GoTrue's and hosted Supabase's default) …
    GOTRUE_SMTP_MAX_FREQUENCY: "60s",
    // … and mails per hour for the whole server: hosted Supabase allows 30 with your own SMTP;
    // the test suite signs up hundreds of users an hour, so the local stack allows more.
    GOTRUE_RATE_LIMIT_EMAIL_SENT: "10000",
    GOTRUE_EXTERNAL_EMAIL_ENABLED: "true",
    GOTRUE_EXTERNAL_PHONE_ENABLED: "false",
    // Mail through the stack's Mailpit, as the Supabase CLI's local stack does.
    GOTRUE_SMTP_HOST: HOST,
    GOTRUE_SMTP_PORT: String(LOCAL.smtpPort),
    GOTRUE_SMTP_ADMIN_EMAIL: "no-reply@tunedtensor.local",
    GOTRUE_SMTP_SENDER_NAME: "Tuned Tensor",
    GOTRUE_DB_DRIVER: "postgres",
    GOTRUE_DB_DATABASE_URL: `${AUTH_DATABASE_URL}?search_path=auth`,
    DATABASE_URL: AUTH_DATABASE_URL,
    // Asymmetric ES256 signing from the stack's key file; the JWKS publishes its public half.
    GOTRUE_JWT_KEYS: JSON.stringify([jwk]),
    TT_AUTH_JWT_KEY_FILE: KEY_FILE,
    GOTRUE_JWT_EXP: "3600",
    GOTRUE_JWT_AUD: "authenticated",
    GOTRUE_JWT_ADMIN_ROLES: "service_role",
    GOTRUE_JWT_DEFAULT_GROUP_NAME: "authenticated",
    GOTRUE_JWT_ISSUER: AUTH_EXTERNAL_URL,
    // How long a rotated refresh token may still be exchanged (hosted Supabase's default;
    // GoTrue's own is 0).
    GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL: "10",
    // GoTrue refuses to start without a symmetric secret even when it signs with the
    // asymmetric key above; nothing it issues here uses it. Derived from the private key,
    // so it is stable for the stack and secret like the key itself.
    GOTRUE_JWT_SECRET: createHash("sha256").update(`gotrue-hs256:${jwk.d ?? ""}`).digest("hex"),
    ...(server.kind === "gotrue" ? { GOTRUE_DB_MIGRATIONS_PATH: server.migrations } : {}),
  };
}
