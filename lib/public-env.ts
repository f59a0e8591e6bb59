import { ENV_DEFAULTS } from "./local-defaults";

/**
 * The two values the browser needs. Each is read with a literal
 * `process.env.NEXT_PUBLIC_…` expression because Next inlines only literal
 * accesses into the client bundle, at build time: set them before `next build`,
 * changing them afterwards has no effect in the browser.
 *
 * `||` rather than `??` so a blank `FOO=` line falls back to the default, the
 * same rule lib/env-schema.ts applies on the server.
 */
export const publicEnv = {
  supabaseUrl:
    process.env.NEXT_PUBLIC_SUPABASE_URL || ENV_DEFAULTS.NEXT_PUBLIC_SUPABASE_URL,
  supabasePublishableKey:
    process.env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY ||
    ENV_DEFAULTS.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY,
} as const;
