import type { NextConfig } from "next";

// Sent with every response, pages and API alike. The Content-Security-Policy, which needs
// a per-response nonce, is set by proxy.ts for pages.
const SECURITY_HEADERS = [
  // Never render our pages inside someone else's frame (clickjacking); CSP's
  // frame-ancestors says the same to browsers that read it.
  { key: "X-Frame-Options", value: "DENY" },
  // Take declared content types at their word: a JSON response is never run as a script.
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Other sites learn our origin from links, never paths or query strings.
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

const nextConfig: NextConfig = {
  // No reason to advertise the framework (and its version) to every client.
  poweredByHeader: false,
  // Double-invokes effects in development so unsafe side effects surface early.
  reactStrictMode: true,
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
};

export default nextConfig;
