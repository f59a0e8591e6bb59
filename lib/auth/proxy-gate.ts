import "server-only";

import { createServerClient } from "@supabase/ssr";
import { NextResponse, type NextRequest } from "next/server";

import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { SESSION_COOKIE_ENCODING } from "@/lib/supabase/cookie-name";

import { owesSecondFactor, twoFactorPath } from "./second-factor";
import { checkSession } from "./session-check";
import type { SessionUser } from "./session-token";

// Pages that need a signed-in user. Checked here so a signed-out visitor gets
// a redirect before any rendering happens; the pages must still check the
// user themselves (a matcher change must not silently open them up).
const PROTECTED_PREFIXES = ["/dashboard", "/settings", "/specs", "/cli", "/invitations"] as const;

function isProtectedPath(pathname: string): boolean {
  return PROTECTED_PREFIXES.some(
    (prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`),
  );
}

/**
 * Whether the session owes its second factor. When the database cannot say (it is down),
 * no redirect here: each dashboard page asks again and fails as a page, with the app's
 * error page, rather than the proxy turning every page load into a bare 500.
 */
async function owesSecondFactorOrUnknown(session: SessionUser): Promise<boolean> {
  try {
    return await owesSecondFactor(db, session);
  } catch {
    return false;
  }
}

/**
 * Refreshes the Supabase session for a page request and keeps the request
 * and response cookies in step, following the Next.js `with-supabase`
 * example. Returns the response that proxy.ts must send as is.
 */
export async function updateSession(request: NextRequest) {
  let supabaseResponse = NextResponse.next({ request });
  // Anti-caching headers the library asks for whenever it writes auth
  // cookies; kept so a redirect response can carry them too.
  let authHeaders: Record<string, string> = {};

  // Always a new client per request, never a module-level one: it carries
  // this visitor's session.
  const supabase = createServerClient(
    env.NEXT_PUBLIC_SUPABASE_URL,
    env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY,
    {
      cookies: {
        encode: SESSION_COOKIE_ENCODING,
        getAll() {
          return request.cookies.getAll();
        },
        setAll(cookiesToSet, headers) {
          // Write the refreshed tokens onto the request first, so Server
          // Components rendering this same request see the new session...
          for (const { name, value } of cookiesToSet) {
            request.cookies.set(name, value);
          }
          supabaseResponse = NextResponse.next({ request });
          // ...then onto the response, so the browser stores them.
          for (const { name, value, options } of cookiesToSet) {
            supabaseResponse.cookies.set(name, value, options);
          }
          // Cache-Control: no-store and friends: a response that sets one
          // user's session cookies must never be cached and served to another.
          authHeaders = headers;
          for (const [key, value] of Object.entries(headers)) {
            supabaseResponse.headers.set(key, value);
          }
        },
      },
    },
  );

  // Do not run code between createServerClient and the check: its getClaims() is what
  // refreshes an expired access token (and so triggers setAll above). A simple mistake
  // could make it very hard to debug issues with users being randomly logged out.
  // The session check's "page" mode (lib/auth/session-check.ts): the JWT verified locally
  // against the published keys (JWKS), no round trip per page view; the session's liveness
  // from memory or one query. `undefined` when the database cannot say: no redirect then,
  // the page asks again and fails as a page.
  const session = await checkSession(supabase, "page").catch(() => undefined);

  const { pathname, search } = request.nextUrl;
  // Signed out: to /login. Signed in with a password but not yet with the second factor
  // the user set up: to /login/two-factor. Either way back here afterwards. Only page
  // loads go to /login/two-factor: a Server Action posted from a page opened before (the
  // key dialog's "enter your code" is one) must reach its action, and each action asks
  // Supabase Auth, which applies its own aal rules. Any other request that renders a page
  // (a POST with `RSC: 1`) meets the page's own gate (lib/auth/page-session.ts).
  let to: string | null = null;
  if (isProtectedPath(pathname)) {
    const pageLoad = request.method === "GET" || request.method === "HEAD";
    if (session === null) to = `/login?next=${encodeURIComponent(`${pathname}${search}`)}`;
    else if (session && pageLoad && (await owesSecondFactorOrUnknown(session))) {
      to = twoFactorPath(`${pathname}${search}`);
    }
  }
  if (to) {
    const redirect = NextResponse.redirect(new URL(to, request.nextUrl));
    // Carry over cookie changes (e.g. a failed refresh clearing a dead
    // session) so the browser and server do not fall out of sync.
    for (const cookie of supabaseResponse.cookies.getAll()) {
      redirect.cookies.set(cookie);
    }
    for (const [key, value] of Object.entries(authHeaders)) {
      redirect.headers.set(key, value);
    }
    return redirect;
  }

  // IMPORTANT: return supabaseResponse as it is. A new NextResponse.next()
  // would drop the refreshed cookies: if one is ever needed, create it with
  // { request }, copy supabaseResponse.cookies onto it, and leave the cookies
  // alone. Otherwise the browser and server go out of sync and the user's
  // session ends prematurely.
  return supabaseResponse;
}
