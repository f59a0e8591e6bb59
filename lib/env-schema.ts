import { z } from "zod";

import { CACHE_CAPS } from "./cache-caps";
import { ENV_DEFAULTS } from "./local-defaults";

/**
 * Pure environment parsing: no `server-only`, no process.env, so unit tests
 * can import it directly. lib/env.ts is the server-only wrapper that feeds it
 * the real environment.
 */

// `FOO=` in a .env file yields "", which almost always means "not set".
// Treating it as unset lets the local default apply instead of failing on a
// blank line someone forgot to fill in.
const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

function isPostgresUrl(value: string): boolean {
  const url = parseUrl(value);
  return (
    url !== null &&
    (url.protocol === "postgres:" || url.protocol === "postgresql:") &&
    url.hostname !== ""
  );
}

function isHttpUrl(value: string): boolean {
  const url = parseUrl(value);
  return (
    url !== null &&
    (url.protocol === "http:" || url.protocol === "https:") &&
    url.hostname !== ""
  );
}

function isSmtpUrl(value: string): boolean {
  const url = parseUrl(value);
  return url !== null && (url.protocol === "smtp:" || url.protocol === "smtps:") && url.hostname !== "";
}

// APP_URL is compared with the browser's Origin header, which never has a
// path, query or trailing slash; accepting only a bare origin avoids a check
// that silently never matches.
function isHttpOrigin(value: string): boolean {
  const url = parseUrl(value);
  return (
    url !== null &&
    isHttpUrl(value) &&
    url.pathname === "/" &&
    url.search === "" &&
    url.hash === "" &&
    url.username === "" &&
    url.password === ""
  );
}

// prefault (unlike default) runs the fallback through the same checks and
// transforms, so defaults are normalised exactly like supplied values.
const withDefault = (schema: z.ZodType<string, string>, fallback: string) =>
  z.preprocess(blankToUndefined, schema.prefault(fallback));

export const envSchema = z.object({
  DATABASE_URL: withDefault(
    z.string().refine(isPostgresUrl, {
      message: "must be a postgres:// or postgresql:// URL with a host",
    }),
    ENV_DEFAULTS.DATABASE_URL,
  ),
  NEXT_PUBLIC_SUPABASE_URL: withDefault(
    z
      .string()
      .refine(isHttpUrl, { message: "must be an http:// or https:// URL" })
      // supabase-js appends /auth/v1 itself; a trailing slash would double it.
      .transform((value) => value.replace(/\/+$/, "")),
    ENV_DEFAULTS.NEXT_PUBLIC_SUPABASE_URL,
  ),
  NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: withDefault(
    z
      .string()
      // A NEXT_PUBLIC_ value is inlined into the browser bundle; a secret key
      // there would hand full database access to every visitor.
      .refine((value) => !value.startsWith("sb_secret_"), {
        message:
          "is a secret key (sb_secret_…); use the project's publishable key (sb_publishable_…)",
      }),
    ENV_DEFAULTS.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY,
  ),
  APP_URL: withDefault(
    z
      .string()
      .refine(isHttpOrigin, {
        message:
          "must be an http(s) origin with no path, e.g. http://localhost:3000",
      })
      // Normalise to exactly what browsers send in the Origin header.
      .transform((value) => new URL(value).origin),
    ENV_DEFAULTS.APP_URL,
  ),
  // Failed authentications allowed per client per minute before 429 (0 turns it off).
  AUTH_FAILURE_LIMIT: withDefault(
    z.string().regex(/^\d{1,9}$/, { message: "must be a whole number (0 turns the limit off)" }),
    ENV_DEFAULTS.AUTH_FAILURE_LIMIT,
  ).transform(Number),
  // `tt auth login`'s public endpoints: device codes one client may create per minute, and
  // polls with unknown device codes it may send per minute (lib/cli-login/login-limits.ts);
  // 0 turns both off. A person needs one or two.
  DEVICE_CODE_LIMIT: withDefault(
    z.string().regex(/^\d{1,9}$/, { message: "must be a whole number (0 turns the limit off)" }),
    ENV_DEFAULTS.DEVICE_CODE_LIMIT,
  ).transform(Number),
  // Pending (undecided, unexpired) device codes in total; past it, creation answers 429.
  DEVICE_CODES_PENDING_MAX: withDefault(
    z.string().regex(/^[1-9]\d{0,6}$/, { message: "must be a whole number from 1 to 1000000" }).refine((v) => Number(v) <= 1_000_000, {
      message: "must be a whole number from 1 to 1000000",
    }),
    ENV_DEFAULTS.DEVICE_CODES_PENDING_MAX,
  ).transform(Number),
  // Proxies in front of the app that append the address they saw to X-Forwarded-For.
  // 0: none, the app is reached directly, and the header decides nothing. See
  // lib/http/client-address.ts.
  TRUSTED_PROXY_HOPS: withDefault(
    z.string().regex(/^\d$/, { message: "must be a whole number from 0 to 9 (0: no proxy in front of the app)" }),
    ENV_DEFAULTS.TRUSTED_PROXY_HOPS,
  ).transform(Number),
  // Second-factor codes per user (each authenticator app a code is tried against counts) before
  // the user's code entry is locked, and how long the lock lasts — also how long wrong codes
  // are remembered. Shared by every instance through Postgres (lib/auth/second-factor-attempts.ts).
  SECOND_FACTOR_FAILURE_LIMIT: withDefault(
    z.string().regex(/^[1-9]\d{0,2}$/, { message: "must be a whole number from 1 to 999" }),
    ENV_DEFAULTS.SECOND_FACTOR_FAILURE_LIMIT,
  ).transform(Number),
  SECOND_FACTOR_LOCK_SECONDS: withDefault(
    z.string().regex(/^[1-9]\d{0,4}$/, { message: "must be a whole number of seconds from 1 to 86400" }).refine((v) => Number(v) <= 86_400, {
      message: "must be a whole number of seconds from 1 to 86400",
    }),
    ENV_DEFAULTS.SECOND_FACTOR_LOCK_SECONDS,
  ).transform(Number),
  // What DATABASE_URL points at. "transaction": a transaction-mode pooler (Supavisor on
  // port 6543, PgBouncer with pool_mode = transaction), which cannot keep a prepared
  // statement from one transaction to the next, so the app prepares none. "session": a
  // direct connection or a session-mode pooler. "auto": transaction when the URL's port is
  // 6543 (Supavisor's) or it carries ?pgbouncer=true, else session. See lib/db-options.ts.
  DATABASE_POOLER: z.preprocess(
    blankToUndefined,
    z.enum(["auto", "session", "transaction"], { message: "must be auto, session or transaction" }).prefault(ENV_DEFAULTS.DATABASE_POOLER),
  ),
  // Connections each app instance may open (to Postgres, or to the pooler). Behind a
  // transaction pooler, the pooler's own pool size is what Postgres sees.
  DATABASE_POOL_MAX: withDefault(
    z.string().regex(/^(?:[1-9]\d?|100)$/, { message: "must be a whole number from 1 to 100" }),
    ENV_DEFAULTS.DATABASE_POOL_MAX,
  ).transform(Number),
  // How often each instance adds the API-key usage it counted in memory to
  // public.api_key_usage (lib/api-keys/usage-counts.ts): once a minute; an instance killed
  // between two flushes loses at most this much of its counts. Tests shorten it.
  USAGE_FLUSH_MS: withDefault(
    z.string().regex(/^\d{3,6}$/, { message: "must be a whole number of milliseconds from 100 to 600000" }).refine((v) => Number(v) >= 100 && Number(v) <= 600_000, {
      message: "must be a whole number of milliseconds from 100 to 600000",
    }),
    ENV_DEFAULTS.USAGE_FLUSH_MS,
  ).transform(Number),
  // T, the verification cache's window (lib/api-keys/key-verifier.ts): how long an instance
  // may reuse a key's row after its lookup was sent, and how long every change that takes
  // power away from a key (revoke, narrow, roll's end of grace, a leak report) waits after
  // it commits before it answers. 0 turns the cache off. Every instance must have the same
  // value: a change made through an instance with a shorter T would answer too soon for
  // one with a longer.
  KEY_CACHE_TTL_MS: withDefault(
    z.string().regex(/^\d{1,5}$/, { message: "must be a whole number of milliseconds from 0 to 60000 (0 turns the cache off)" }).refine((v) => Number(v) <= 60_000, {
      message: "must be a whole number of milliseconds from 0 to 60000 (0 turns the cache off)",
    }),
    ENV_DEFAULTS.KEY_CACHE_TTL_MS,
  ).transform(Number),
  // How many keys each instance remembers at most; the least recently used go first. The
  // default is the key cache's cap in lib/cache-caps.ts, where every cache's cap is.
  KEY_CACHE_MAX_KEYS: withDefault(
    z.string().regex(/^[1-9]\d{0,6}$/, { message: "must be a whole number from 1 to 1000000" }).refine((v) => Number(v) <= 1_000_000, {
      message: "must be a whole number from 1 to 1000000",
    }),
    String(CACHE_CAPS.apiKeys),
  ).transform(Number),
  // Where the app's own mail goes (expiry warnings, leak notices): any SMTP provider, as
  // smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465. Locally: Mailpit.
  SMTP_URL: withDefault(
    z.string().refine(isSmtpUrl, { message: "must be an smtp:// or smtps:// URL with a host, e.g. smtp://user:pass@smtp.example.com:587" }),
    ENV_DEFAULTS.SMTP_URL,
  ),
  // The From header of that mail: an address, or "Name <address>".
  MAIL_FROM: withDefault(
    z.string().regex(/^(?:[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, { message: 'must be an e-mail address or "Name <address>"' }),
    ENV_DEFAULTS.MAIL_FROM,
  ),
  // What the scheduled jobs (GET /api/cron/*) must be called with: `Authorization: Bearer
  // $CRON_SECRET`, as Vercel Cron sends it. At least 16 characters.
  CRON_SECRET: withDefault(
    z.string().regex(/^[\x21-\x7e]{16,512}$/, { message: "must be 16 to 512 printable characters without spaces (e.g. openssl rand -hex 32)" }),
    ENV_DEFAULTS.CRON_SECRET,
  ),
  // Read only to decide whether the public default CRON_SECRET may be used: `next start`
  // (a production build, NODE_ENV=production) needs a secret of its own; `next build`
  // (NEXT_PHASE=phase-production-build) loads this module without running any job.
  NODE_ENV: z.preprocess(blankToUndefined, z.string().optional()),
  NEXT_PHASE: z.preprocess(blankToUndefined, z.string().optional()),
  // Where GitHub publishes the keys that sign secret scanning reports.
  GITHUB_SECRET_SCANNING_KEYS_URL: withDefault(
    z.string().refine(isHttpUrl, { message: "must be an http:// or https:// URL" }),
    ENV_DEFAULTS.GITHUB_SECRET_SCANNING_KEYS_URL,
  ),
  // A GitHub token for fetching those keys (`Authorization: Bearer`): optional; without one
  // the fetches count against GitHub's low limit for unauthenticated clients. Needs no scope.
  GITHUB_TOKEN: z.preprocess(
    blankToUndefined,
    z.string().regex(/^[\x21-\x7e]{1,255}$/, { message: "must be a GitHub token: 1 to 255 printable characters without spaces" }).optional(),
  ),
  // The shortest time between two fetches of GitHub's keys, for identifiers the cache does
  // not know (lib/leaks/github-keys.ts); a minute by default, tests shorten it.
  GITHUB_KEYS_REFETCH_MS: withDefault(
    z.string().regex(/^\d{4,7}$/, { message: "must be a whole number of milliseconds from 1000 to 3600000" }).refine((v) => Number(v) >= 1000 && Number(v) <= 3_600_000, {
      message: "must be a whole number of milliseconds from 1000 to 3600000",
    }),
    ENV_DEFAULTS.GITHUB_KEYS_REFETCH_MS,
  ).transform(Number),
  // The shortest time between two fetches of an OIDC issuer's keys for a `kid` the cache does
  // not know (lib/oidc/jwks-cache.ts): a minute by default; tests shorten it.
  OIDC_JWKS_REFETCH_MS: withDefault(
    z.string().regex(/^\d{3,7}$/, { message: "must be a whole number of milliseconds from 100 to 3600000" }).refine((v) => Number(v) >= 100 && Number(v) <= 3_600_000, {
      message: "must be a whole number of milliseconds from 100 to 3600000",
    }),
    ENV_DEFAULTS.OIDC_JWKS_REFETCH_MS,
  ).transform(Number),
  // For tests only: trust policies may name an http:// issuer on a loopback address (a local
  // OIDC issuer standing in for GitHub's or GitLab's). Refused with an https APP_URL.
  OIDC_ALLOW_LOOPBACK_ISSUERS: withDefault(
    z.enum(["0", "1"], { message: "must be 0 or 1" }),
    ENV_DEFAULTS.OIDC_ALLOW_LOOPBACK_ISSUERS,
  ).transform((v) => v === "1"),
}).superRefine((value, context) => {
  if (value.OIDC_ALLOW_LOOPBACK_ISSUERS && value.APP_URL.startsWith("https:")) {
    context.addIssue({
      code: "custom",
      path: ["OIDC_ALLOW_LOOPBACK_ISSUERS"],
      message: "must not be 1 when APP_URL is https:// (it lets trust policies name a loopback issuer, for tests only)",
    });
  }
  // The local default is public (it is in the repository): anything served by `next start`
  // (NODE_ENV=production, whatever APP_URL's scheme) or on https must choose its own.
  if (value.CRON_SECRET !== ENV_DEFAULTS.CRON_SECRET) return;
  const served = value.NODE_ENV === "production" && value.NEXT_PHASE !== "phase-production-build";
  if (served || value.APP_URL.startsWith("https:")) {
    context.addIssue({
      code: "custom",
      path: ["CRON_SECRET"],
      message: `must be set to a secret of your own when ${served ? "NODE_ENV=production" : "APP_URL is https://"} (e.g. CRON_SECRET=$(openssl rand -hex 32)); the default is public, for local development only`,
    });
  }
});

export type Env = z.output<typeof envSchema>;

export class EnvError extends Error {
  override name = "EnvError";
}

/**
 * Parses an environment-like record. Throws one EnvError whose message names
 * every bad variable at once, so a misconfigured deploy is fixed in one pass
 * rather than one variable per restart. Values are never echoed: some of them
 * (DATABASE_URL) carry passwords.
 */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;

  const problems = new Map<string, string>();
  for (const issue of result.error.issues) {
    const name = String(issue.path[0] ?? "(root)");
    // One message per variable is enough to act on.
    if (!problems.has(name)) problems.set(name, issue.message);
  }
  const summary = [...problems]
    .map(([name, message]) => `${name}: ${message}`)
    .join("; ");
  throw new EnvError(`Invalid environment: ${summary}`);
}
