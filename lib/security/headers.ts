// The headers sent with every response, pages and API alike (next.config.ts). The
// Content-Security-Policy, which needs a per-response nonce, is set by proxy.ts for pages.
// Pure, so the rules are unit-tested.

export type Header = { key: string; value: string };

/** Two years, subdomains included: the value HSTS preload lists ask for. */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

export function securityHeaders({ appUrl, production }: { appUrl: string; production: boolean }): Header[] {
  return [
    // Never render our pages inside someone else's frame (clickjacking); CSP's
    // frame-ancestors says the same to browsers that read it.
    { key: "X-Frame-Options", value: "DENY" },
    // Take declared content types at their word: a JSON response is never run as a script.
    { key: "X-Content-Type-Options", value: "nosniff" },
    // Other sites learn our origin from links, never paths or query strings.
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
    // Browsers that have seen the app over https never use plain http for it again (and
    // refuse to click through certificate errors). Only when the app is served over https:
    // on http://localhost it would be ignored at best, and would pin localhost at worst.
    ...(production && new URL(appUrl).protocol === "https:" ? [{ key: "Strict-Transport-Security", value: STRICT_TRANSPORT_SECURITY }] : []),
  ];
}
