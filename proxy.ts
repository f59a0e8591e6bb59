import type { NextRequest } from "next/server";

import { env } from "@/lib/env";
import { contentSecurityPolicy, createNonce } from "@/lib/security/content-security-policy";
import { updateSession } from "@/lib/auth/proxy-gate";

// Next 16 renamed middleware.ts to proxy.ts (and `middleware` to `proxy`);
// it now runs on the Node.js runtime by default.
export async function proxy(request: NextRequest) {
  // A fresh nonce per page response. Next reads the policy from the request headers and
  // puts the nonce on the scripts it renders; the browser gets the same policy.
  const csp = contentSecurityPolicy({
    nonce: createNonce(),
    supabaseUrl: env.NEXT_PUBLIC_SUPABASE_URL,
    dev: process.env.NODE_ENV === "development",
  });
  request.headers.set("content-security-policy", csp);
  const response = await updateSession(request);
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  matcher: [
    /*
     * Pages only. Excluded:
     * - api: route handlers authenticate (API key or session) and refresh
     *   sessions themselves; a do-nothing proxy on them cost throughput
     *   (docs/BENCHMARKS.md).
     * - _next/static, _next/image: build assets and image optimisation.
     * - favicon.ico and static image files.
     * The matcher must be a literal: Next reads it statically at build time.
     */
    "/((?!api(?:/|$)|_next/static|_next/image|favicon\\.ico$|.*\\.(?:svg|png|jpg|jpeg|gif|webp|avif|ico)$).*)",
  ],
};
