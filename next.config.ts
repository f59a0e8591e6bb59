import type { NextConfig } from "next";

import { securityHeaders } from "./lib/security/headers";

// Evaluated by `next build`, which writes the headers into the build: APP_URL must be set
// when building (as the NEXT_PUBLIC_ values must) for Strict-Transport-Security to be sent.
const appUrl = process.env.APP_URL?.trim() || "http://localhost:3000";

const nextConfig: NextConfig = {
  // No reason to advertise the framework (and its version) to every client.
  poweredByHeader: false,
  // Double-invokes effects in development so unsafe side effects surface early.
  reactStrictMode: true,
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders({ appUrl, production: process.env.NODE_ENV === "production" }) }];
  },
};

export default nextConfig;
