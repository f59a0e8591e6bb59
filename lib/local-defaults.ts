/**
 * The local stack's defaults — ports, URLs and well-known local credentials — in one
 * module that the app (lib/env-schema.ts, lib/public-env.ts), the stack scripts
 * (scripts/stack/config.ts) and the tests all read, so they cannot drift apart.
 *
 * The ports are those of `supabase start` (API 54321, DB 54322, Mailpit 54324), so a
 * developer with Docker can run the Supabase CLI's stack instead and nothing else changes.
 * None of these is a secret: the database password is the local stack's fixed one, and
 * the publishable and secret keys are the Supabase CLI's well-known local defaults, valid
 * only against this loopback-only stack.
 *
 * Pure on purpose: no imports and no process.env reads, because the browser bundle
 * (lib/public-env.ts) imports it and Node runs it directly from the scripts.
 */
export const LOCAL = {
  host: "127.0.0.1",
  pgPort: 54322,
  gatewayPort: 54321,
  authPort: 9999,
  // Mailpit: web UI and HTTP API on the Supabase CLI's 54324, SMTP on its 54325.
  mailWebPort: 54324,
  smtpPort: 54325,
  appPort: 3000,
  pgPassword: "postgres",
  authDbPassword: "auth-local-password",
  publishableKey: "sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH",
  secretKey: "sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz",
  demoEmail: "demo@tunedtensor.local",
  demoPassword: "demo-password-2026",
} as const;

/** The app's environment defaults: with these, `next dev` runs against the local stack with no .env. */
export const ENV_DEFAULTS = {
  DATABASE_URL: `postgresql://postgres:${LOCAL.pgPassword}@${LOCAL.host}:${LOCAL.pgPort}/postgres`,
  NEXT_PUBLIC_SUPABASE_URL: `http://${LOCAL.host}:${LOCAL.gatewayPort}`,
  NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: LOCAL.publishableKey,
  APP_URL: `http://localhost:${LOCAL.appPort}`,
  AUTH_FAILURE_LIMIT: "30",
  TRUSTED_PROXY_HOPS: "0",
  SECOND_FACTOR_FAILURE_LIMIT: "10",
  SECOND_FACTOR_LOCK_SECONDS: "900",
  DEVICE_CODE_LIMIT: "5",
  DEVICE_CODES_PENDING_MAX: "10000",
  DATABASE_POOLER: "auto",
  USAGE_FLUSH_MS: "60000",
  KEY_CACHE_TTL_MS: "1000",
  DATABASE_POOL_MAX: "10",
  SMTP_URL: `smtp://${LOCAL.host}:${LOCAL.smtpPort}`,
  MAIL_FROM: "Tuned Tensor <no-reply@tunedtensor.local>",
  // Local only: an https APP_URL (a real deployment) refuses this value (lib/env-schema.ts).
  CRON_SECRET: "local-cron-secret-not-for-production",
  GITHUB_SECRET_SCANNING_KEYS_URL: "https://api.github.com/meta/public_keys/secret_scanning",
  GITHUB_KEYS_REFETCH_MS: "60000",
  OIDC_JWKS_REFETCH_MS: "60000",
  OIDC_ALLOW_LOOPBACK_ISSUERS: "0",
} as const;
