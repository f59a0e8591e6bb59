// How many entries each process-local state may hold: the one place for the caps
// (docs/ARCHITECTURE.md, "In-process state", says what each state is and what happens at
// its cap). Each bounds one instance's memory whatever a flood of new keys, tokens or
// addresses sends; 10,000 entries of any of these is a few megabytes at most.

/** The cap of every state that holds one entry per key, token, session or client. */
export const DEFAULT_CAP = 10_000;

/** Caches (lib/bounded-cache.ts): an entry past the cap is forgotten, least recently used first. */
export const CACHE_CAPS = {
  /** API keys' verified rows (lib/api-keys/key-verifier.ts); KEY_CACHE_MAX_KEYS overrides it. */
  apiKeys: DEFAULT_CAP,
  /** Sessions' memberships, by user and organization (lib/organizations/membership.ts). */
  memberships: DEFAULT_CAP,
  /** Verified session access tokens (lib/auth/session-token.ts). */
  sessionTokens: DEFAULT_CAP,
  /** Parsed session cookies, by Cookie header (lib/auth/session-token.ts). */
  sessionCookies: DEFAULT_CAP,
  /** Sessions' liveness answers (lib/auth/session-liveness.ts). */
  sessionLiveness: DEFAULT_CAP,
  /** Report counts of the revocation endpoint's clients this minute (lib/leaks/report-limiter.ts). */
  reportClients: DEFAULT_CAP,
  /** GitHub's secret-scanning public keys (lib/leaks/github-keys.ts): a handful are published. */
  gitHubKeys: 100,
  /** OIDC issuers' key sets (lib/oidc/jwks-cache.ts): one per issuer a trust policy names. */
  oidcIssuers: 1_000,
  /** The OpenAPI document per session cookie name (lib/api/openapi.ts): one per deployment. */
  openApiDocuments: 8,
} as const;

/**
 * Not caches: what they hold must reach Postgres before it may go, so at the cap they
 * flush early or refuse a new entry instead of forgetting one.
 */
export const COUNTER_CAPS = {
  /** Key-hours of request counts before a flush is brought forward (lib/api-keys/usage-counts.ts). */
  keyUsageCounts: DEFAULT_CAP,
  /** Keys with scopes waiting for their `last_used_at` write (lib/api-keys/usage.ts). */
  keyUseWrites: DEFAULT_CAP,
  /** Clients with failed authentications this minute (lib/auth/failure-counter.ts). */
  authFailureClients: DEFAULT_CAP,
} as const;
