// The local stack's paths, ports and credentials for the scripts and tests: the pure
// defaults of lib/local-defaults.ts (shared with the app), plus where this checkout keeps
// its state and the environment overrides the scripts honour.
import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import type { AuthSettings } from "@tuned-tensor/auth-server/launch";
import { ENV_DEFAULTS, LOCAL } from "../../lib/local-defaults.ts";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const STACK_DIR = process.env.TT_STACK_DIR ? resolve(process.env.TT_STACK_DIR) : join(ROOT, ".stack");
export const LOG_DIR = join(STACK_DIR, "logs");
export const RUN_DIR = join(STACK_DIR, "run");
export const KEY_FILE = join(STACK_DIR, "auth", "jwt-keys.json");

// Outside the clone, so a second clone (or CI's fresh one) reuses a compiled GoTrue.
export const CACHE_DIR = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "tuned-tensor");
export const PG_BIN = process.env.TT_PG_BIN || "/usr/lib/postgresql/15/bin";

export const HOST = LOCAL.host;
export const PG_PORT = LOCAL.pgPort;
export const GATEWAY_PORT = LOCAL.gatewayPort;
export const AUTH_PORT = LOCAL.authPort;
export const APP_PORT = LOCAL.appPort;

export const PG_PASSWORD = LOCAL.pgPassword;
export const AUTH_DB_PASSWORD = process.env.TT_AUTH_DB_PASSWORD || LOCAL.authDbPassword;
export const PUBLISHABLE_KEY = process.env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY || LOCAL.publishableKey;
export const SECRET_KEY = process.env.SUPABASE_SECRET_KEY || LOCAL.secretKey;
export const DEMO_EMAIL = process.env.TT_DEMO_EMAIL || LOCAL.demoEmail;
export const DEMO_PASSWORD = process.env.TT_DEMO_PASSWORD || LOCAL.demoPassword;

export const DATABASE_URL = ENV_DEFAULTS.DATABASE_URL;
export const AUTH_DATABASE_URL = `postgresql://supabase_auth_admin:${AUTH_DB_PASSWORD}@${HOST}:${PG_PORT}/postgres`;
export const SUPABASE_URL = ENV_DEFAULTS.NEXT_PUBLIC_SUPABASE_URL;
export const AUTH_EXTERNAL_URL = `${SUPABASE_URL}/auth/v1`;
export const SITE_URL = ENV_DEFAULTS.APP_URL;

/** Where Supabase Auth listens and what it talks to (the stack's Mailpit relays its mail). */
export const AUTH_SETTINGS: AuthSettings = {
  host: HOST,
  port: AUTH_PORT,
  externalUrl: AUTH_EXTERNAL_URL,
  siteUrl: SITE_URL,
  smtpHost: HOST,
  smtpPort: LOCAL.smtpPort,
  databaseUrl: AUTH_DATABASE_URL,
  keyFile: KEY_FILE,
};

/** A short, stable id for this checkout, for paths that must live outside it. */
export const CHECKOUT_ID = createHash("sha1").update(ROOT).digest("hex").slice(0, 10);
