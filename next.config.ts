import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // No reason to advertise the framework (and its version) to every client.
  poweredByHeader: false,
  // Double-invokes effects in development so unsafe side effects surface early.
  reactStrictMode: true,
};

export default nextConfig;
