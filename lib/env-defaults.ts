/**
 * Local-stack defaults, kept in one place so the server env parser and the
 * browser-side public env cannot drift apart.
 *
 * They match the ports and well-known keys of `supabase start` (API 54321,
 * DB 54322), so the app runs with no .env at all against the local stack.
 * None of them is a secret: the database password is the local stack's fixed
 * one, and publishable keys are public by design (RLS is what protects data).
 *
 * This file must stay free of `server-only` and of any process.env reads:
 * lib/public-env.ts (bundled for the browser) imports it.
 */
export const ENV_DEFAULTS = {
  DATABASE_URL: "postgresql://postgres:postgres@127.0.0.1:54322/postgres",
  NEXT_PUBLIC_SUPABASE_URL: "http://127.0.0.1:54321",
  NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY:
    "sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH",
  APP_URL: "http://localhost:3000",
  AUTH_FAILURE_LIMIT: "30",
} as const;
