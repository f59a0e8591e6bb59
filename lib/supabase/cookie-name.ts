/**
 * The cookie a Supabase session lives in: supabase-js's default storage key, which
 * @supabase/ssr uses as the cookie name, `sb-<first label of the Supabase host>-auth-token`
 * (`sb-127-auth-token` for the local stack's http://127.0.0.1:54321,
 * `sb-<project-ref>-auth-token` on hosted Supabase). A large session is split into
 * `<name>.0`, `<name>.1`, …; an unsplit `<name>` cookie is read as well. Pure.
 */
export function sessionCookieName(supabaseUrl: string): string {
  return `sb-${new URL(supabaseUrl).hostname.split(".")[0]}-auth-token`;
}

/**
 * What the session cookie holds: the tokens only (`@supabase/ssr`'s `cookies.encode`), not
 * the user object as well. Every request to the app carries the cookie and Next.js parses a
 * request's Cookie header several times over, so its size is paid on every request
 * (docs/BENCHMARKS.md, row d); nothing here reads the user from the cookie (identity comes
 * from the verified access token's claims). Every server client that writes the cookie
 * uses it: lib/supabase/server.ts and lib/auth/proxy-gate.ts.
 */
export const SESSION_COOKIE_ENCODING = "tokens-only" as const;
