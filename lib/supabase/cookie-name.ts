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
