import "server-only";

import { env } from "@/lib/env";

import { issuerUrlAllowed } from "./issuer-url";
import { jwksCache } from "./jwks-cache";

// The app's one cache of OIDC issuers' keys (lib/oidc/jwks-cache.ts), per instance: shared by
// the token exchange and the trust policies' live check.
export const issuerKeys = jwksCache({
  allowUrl: (url) => issuerUrlAllowed(url, env.OIDC_ALLOW_LOOPBACK_ISSUERS),
  refetchMs: env.OIDC_JWKS_REFETCH_MS,
  onError: (issuer, message) => console.warn(`[oidc] fetching the keys of ${issuer} failed: ${message}`),
});
