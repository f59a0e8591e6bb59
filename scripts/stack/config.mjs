// One place for the local stack's ports, paths and well-known local credentials.
// The ports are those of `supabase start` (API 54321, DB 54322), so a developer with
// Docker can run the Supabase CLI's stack instead and nothing else changes.
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";
import { homedir } from "node:os";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const STACK_DIR = process.env.TT_STACK_DIR ? resolve(process.env.TT_STACK_DIR) : join(ROOT, ".stack");
export const LOG_DIR = join(STACK_DIR, "logs");
export const RUN_DIR = join(STACK_DIR, "run");
export const KEY_FILE = join(STACK_DIR, "auth", "jwt-keys.json");

// Outside the clone, so a second clone (or CI's fresh one) reuses the compiled GoTrue.
export const CACHE_DIR = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "tuned-tensor");
export const GOTRUE_BIN = join(CACHE_DIR, "bin", "auth");
export const GOTRUE_MODULE = "github.com/supabase/auth@4fa66ba71d8c55b5c95cd5635766ed8bbae6d96a"; // v2.189.0
export const PG_BIN = process.env.TT_PG_BIN || "/usr/lib/postgresql/15/bin";

export const HOST = "127.0.0.1";
export const PG_PORT = 54322;
export const GATEWAY_PORT = 54321;
export const AUTH_PORT = 9999;
export const APP_PORT = 3000;

// Local-only credentials. The publishable and secret keys are the Supabase CLI's
// well-known local defaults; nothing here is used outside this loopback-only stack.
export const PG_PASSWORD = "postgres";
export const AUTH_DB_PASSWORD = process.env.TT_AUTH_DB_PASSWORD || "auth-local-password";
export const PUBLISHABLE_KEY = process.env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY || "sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH";
export const SECRET_KEY = process.env.SUPABASE_SECRET_KEY || "sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz";
export const DEMO_EMAIL = process.env.TT_DEMO_EMAIL || "demo@tunedtensor.local";
export const DEMO_PASSWORD = process.env.TT_DEMO_PASSWORD || "demo-password-2026";

export const DATABASE_URL = `postgresql://postgres:${PG_PASSWORD}@${HOST}:${PG_PORT}/postgres`;
export const AUTH_DATABASE_URL = `postgresql://supabase_auth_admin:${AUTH_DB_PASSWORD}@${HOST}:${PG_PORT}/postgres`;
export const SUPABASE_URL = `http://${HOST}:${GATEWAY_PORT}`;
export const AUTH_EXTERNAL_URL = `${SUPABASE_URL}/auth/v1`;
export const SITE_URL = `http://localhost:${APP_PORT}`;

/** A short, stable id for this checkout, for paths that must live outside it. */
export const CHECKOUT_ID = createHash("sha1").update(ROOT).digest("hex").slice(0, 10);
