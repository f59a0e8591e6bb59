import "server-only";

import { createServerClient } from "@supabase/ssr";
import { cookies, headers } from "next/headers";

import { env } from "@/lib/env";

import { SESSION_COOKIE_ENCODING } from "./cookie-name";

/**
 * Supabase client for Server Components, Server Functions and Route Handlers,
 * reading and writing the session through Next's request cookie store.
 *
 * Create one per request and never keep it in a module-level variable: it
 * holds one user's session, and a shared instance would leak it to others.
 */
export async function createClient() {
  const cookieStore = await cookies();
  // Sign-in and link exchanges happen here, on the server: Supabase Auth records the
  // User-Agent of a new session, and it should be the person's browser (listed in
  // Settings → Account), not this server's fetch.
  const userAgent = (await headers()).get("user-agent");

  return createServerClient(
    env.NEXT_PUBLIC_SUPABASE_URL,
    env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY,
    {
      ...(userAgent ? { global: { headers: { "user-agent": userAgent } } } : {}),
      // getAll/setAll only: the older get/set/remove API is deprecated and
      // mishandles the chunked cookies that large sessions are split into.
      cookies: {
        encode: SESSION_COOKIE_ENCODING,
        getAll() {
          return cookieStore.getAll();
        },
        setAll(cookiesToSet) {
          try {
            for (const { name, value, options } of cookiesToSet) {
              cookieStore.set(name, value, options);
            }
          } catch {
            // Server Components cannot set cookies and Next throws here.
            // That is safe to ignore: proxy.ts refreshes the session for page
            // requests, and route handlers (where setting works) refresh it
            // themselves.
          }
        },
      },
    },
  );
}
