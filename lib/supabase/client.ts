import { createBrowserClient } from "@supabase/ssr";

import { publicEnv } from "@/lib/public-env";

/**
 * Supabase client for Client Components. It keeps the session in cookies
 * (not localStorage), which is what lets the server, the proxy and the
 * /api/v1 route handlers see the same login. createBrowserClient returns a
 * per-tab singleton, so calling this in every component is cheap.
 */
export function createClient() {
  return createBrowserClient(
    publicEnv.supabaseUrl,
    publicEnv.supabasePublishableKey,
  );
}
