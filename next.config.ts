import type { NextConfig } from "next";

import { securityHeaders } from "./lib/security/headers";

// Evaluated by `next build`, which writes the headers into the build: APP_URL must be set
// when building (as the NEXT_PUBLIC_ values must) for Strict-Transport-Security to be sent.
const appUrl = process.env.APP_URL?.trim() || "http://localhost:3000";

// The bench's own build (scripts/bench.ts): TT_BENCH_BUILD=1 adds the comparison routes,
// app/api/bench/*/route.bench.ts, which the default extensions never match, so a build
// without it carries none of them. It goes to its own folder so that it never replaces the
// production build; `next start` must be given the same variable to serve it.
const benchBuild = process.env.TT_BENCH_BUILD === "1";

const nextConfig: NextConfig = {
  // A self-contained server in .next/standalone (server.js plus only the node_modules it
  // needs), as a container runs it: `npm run test:scale` serves three of them behind nginx.
  // `next start` still serves the same build (npm test, npm start); it only warns that the
  // standalone server is the intended way. Vercel ignores this setting.
  output: "standalone",
  ...(benchBuild ? { distDir: ".next-bench", pageExtensions: ["tsx", "ts", "jsx", "js", "bench.ts"] } : {}),
  // This folder is the whole app: never trace from a lockfile further up the tree.
  outputFileTracingRoot: process.cwd(),
  // The API reference's renderer is read from node_modules at run time
  // (lib/api-reference/scalar-script.ts), by a path the tracer cannot follow.
  outputFileTracingIncludes: {
    "/docs/api": ["./node_modules/@scalar/api-reference/package.json"],
    "/docs/api/scalar.js": ["./node_modules/@scalar/api-reference/package.json", "./node_modules/@scalar/api-reference/dist/browser/standalone.js"],
  },
  // No reason to advertise the framework (and its version) to every client.
  poweredByHeader: false,
  // Double-invokes effects in development so unsafe side effects surface early.
  reactStrictMode: true,
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders({ appUrl, production: process.env.NODE_ENV === "production" }) }];
  },
};

export default nextConfig;
