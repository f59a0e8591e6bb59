import "server-only";

import { parseEnv, type Env } from "./env-schema";

/**
 * The validated server environment, parsed once when this module is first
 * imported, so a bad deploy fails on its first request with a message naming
 * every bad variable instead of failing later somewhere deep in a query.
 *
 * The NEXT_PUBLIC_ values are read with literal expressions on purpose: Next
 * inlines those at build time in server bundles as well as browser ones, so
 * the server validates exactly the values the browser was built with rather
 * than a runtime value the browser never sees.
 */
export const env: Env = parseEnv({
  DATABASE_URL: process.env.DATABASE_URL,
  NEXT_PUBLIC_SUPABASE_URL: process.env.NEXT_PUBLIC_SUPABASE_URL,
  NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY:
    process.env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY,
  APP_URL: process.env.APP_URL,
  AUTH_FAILURE_LIMIT: process.env.AUTH_FAILURE_LIMIT,
  TRUSTED_PROXY_HOPS: process.env.TRUSTED_PROXY_HOPS,
  DEVICE_CODE_LIMIT: process.env.DEVICE_CODE_LIMIT,
  DEVICE_CODES_PENDING_MAX: process.env.DEVICE_CODES_PENDING_MAX,
  DATABASE_POOLER: process.env.DATABASE_POOLER,
  DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX,
  SMTP_URL: process.env.SMTP_URL,
  MAIL_FROM: process.env.MAIL_FROM,
  CRON_SECRET: process.env.CRON_SECRET,
  NODE_ENV: process.env.NODE_ENV,
  NEXT_PHASE: process.env.NEXT_PHASE,
  GITHUB_SECRET_SCANNING_KEYS_URL: process.env.GITHUB_SECRET_SCANNING_KEYS_URL,
  GITHUB_TOKEN: process.env.GITHUB_TOKEN,
  GITHUB_KEYS_REFETCH_MS: process.env.GITHUB_KEYS_REFETCH_MS,
  OIDC_JWKS_REFETCH_MS: process.env.OIDC_JWKS_REFETCH_MS,
  OIDC_ALLOW_LOOPBACK_ISSUERS: process.env.OIDC_ALLOW_LOOPBACK_ISSUERS,
  USAGE_FLUSH_MS: process.env.USAGE_FLUSH_MS,
  KEY_CACHE_TTL_MS: process.env.KEY_CACHE_TTL_MS,
  KEY_CACHE_MAX_KEYS: process.env.KEY_CACHE_MAX_KEYS,
});

export type { Env };
