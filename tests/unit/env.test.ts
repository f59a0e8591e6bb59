import { describe, expect, it } from "vitest";

import { ENV_DEFAULTS } from "../../lib/local-defaults";
import { EnvError, parseEnv } from "../../lib/env-schema";

describe("parseEnv", () => {
  it("falls back to the local-stack defaults when nothing is set", () => {
    expect(parseEnv({})).toEqual({
      DATABASE_URL: "postgresql://postgres:postgres@127.0.0.1:54322/postgres",
      NEXT_PUBLIC_SUPABASE_URL: "http://127.0.0.1:54321",
      NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY:
        "sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH",
      APP_URL: "http://localhost:3000",
      AUTH_FAILURE_LIMIT: 30,
      TRUSTED_PROXY_HOPS: 0,
      SECOND_FACTOR_FAILURE_LIMIT: 10,
      SECOND_FACTOR_LOCK_SECONDS: 900,
      DEVICE_CODE_LIMIT: 5,
      DEVICE_CODES_PENDING_MAX: 10_000,
      DATABASE_POOLER: "auto",
      DATABASE_POOL_MAX: 10,
      USAGE_FLUSH_MS: 60_000,
      KEY_CACHE_TTL_MS: 1_000,
      KEY_CACHE_MAX_KEYS: 10_000,
      SMTP_URL: "smtp://127.0.0.1:54325",
      MAIL_FROM: "Tuned Tensor <no-reply@tunedtensor.local>",
      CRON_SECRET: "local-cron-secret-not-for-production",
      GITHUB_SECRET_SCANNING_KEYS_URL: "https://api.github.com/meta/public_keys/secret_scanning",
      GITHUB_KEYS_REFETCH_MS: 60_000,
      OIDC_JWKS_REFETCH_MS: 60_000,
      OIDC_ALLOW_LOOPBACK_ISSUERS: false,
    });
  });

  it("lets trust policies name loopback issuers only when asked, and never with an https APP_URL", () => {
    expect(parseEnv({ OIDC_ALLOW_LOOPBACK_ISSUERS: "1" }).OIDC_ALLOW_LOOPBACK_ISSUERS).toBe(true);
    expect(parseEnv({ OIDC_ALLOW_LOOPBACK_ISSUERS: "0" }).OIDC_ALLOW_LOOPBACK_ISSUERS).toBe(false);
    expect(() => parseEnv({ OIDC_ALLOW_LOOPBACK_ISSUERS: "yes" })).toThrow(/OIDC_ALLOW_LOOPBACK_ISSUERS/);
    expect(() => parseEnv({ APP_URL: "https://tunedtensor.com", CRON_SECRET: "0123456789abcdef", OIDC_ALLOW_LOOPBACK_ISSUERS: "1" })).toThrow(
      /OIDC_ALLOW_LOOPBACK_ISSUERS: must not be 1 when APP_URL is https/,
    );
    expect(() => parseEnv({ OIDC_JWKS_REFETCH_MS: "50" })).toThrow(/OIDC_JWKS_REFETCH_MS/);
  });

  it("takes CRON_SECRET of 16 characters or more, and refuses the local default for an https APP_URL", () => {
    expect(parseEnv({ CRON_SECRET: "0123456789abcdef" }).CRON_SECRET).toBe("0123456789abcdef");
    for (const bad of ["short", "has a space in it, long enough"]) expect(() => parseEnv({ CRON_SECRET: bad }), bad).toThrow(/CRON_SECRET/);
    expect(() => parseEnv({ APP_URL: "https://tunedtensor.com" })).toThrow(/CRON_SECRET: must be set to a secret of your own/);
    expect(() => parseEnv({ GITHUB_SECRET_SCANNING_KEYS_URL: "ftp://example.com/keys" })).toThrow(/GITHUB_SECRET_SCANNING_KEYS_URL/);
  });

  it("refuses the public default CRON_SECRET whenever NODE_ENV=production, whatever APP_URL's scheme, saying what to set", () => {
    const what = /CRON_SECRET: must be set to a secret of your own when NODE_ENV=production \(e\.g\. CRON_SECRET=\$\(openssl rand -hex 32\)\)/;
    for (const APP_URL of ["http://localhost:3000", "http://10.0.0.5:3000", "https://tunedtensor.com"]) {
      expect(() => parseEnv({ NODE_ENV: "production", APP_URL }), APP_URL).toThrow(what);
      expect(() => parseEnv({ NODE_ENV: "production", APP_URL, CRON_SECRET: ENV_DEFAULTS.CRON_SECRET }), APP_URL).toThrow(what);
      expect(parseEnv({ NODE_ENV: "production", APP_URL, CRON_SECRET: "a-real-secret-of-enough-length" }).CRON_SECRET).toBe("a-real-secret-of-enough-length");
    }
    // next dev, and next build (which loads the module but serves nothing), keep the local default on http.
    expect(parseEnv({ NODE_ENV: "development" }).CRON_SECRET).toBe(ENV_DEFAULTS.CRON_SECRET);
    expect(parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" }).CRON_SECRET).toBe(ENV_DEFAULTS.CRON_SECRET);
  });

  it("takes USAGE_FLUSH_MS from 100 to 600000 milliseconds", () => {
    expect(parseEnv({ USAGE_FLUSH_MS: "500" })).toMatchObject({ USAGE_FLUSH_MS: 500 });
    expect(() => parseEnv({ USAGE_FLUSH_MS: "99" })).toThrow(/USAGE_FLUSH_MS/);
    expect(() => parseEnv({ USAGE_FLUSH_MS: "1e3" })).toThrow(/USAGE_FLUSH_MS/);
    expect(() => parseEnv({ USAGE_FLUSH_MS: "600001" })).toThrow(/USAGE_FLUSH_MS/);
  });

  it("takes KEY_CACHE_TTL_MS from 0 (off) to 60000 milliseconds, and KEY_CACHE_MAX_KEYS from 1 to 1000000", () => {
    expect(parseEnv({ KEY_CACHE_TTL_MS: "0" })).toMatchObject({ KEY_CACHE_TTL_MS: 0 });
    expect(parseEnv({ KEY_CACHE_TTL_MS: "10000" })).toMatchObject({ KEY_CACHE_TTL_MS: 10_000 });
    expect(() => parseEnv({ KEY_CACHE_TTL_MS: "60001" })).toThrow(/KEY_CACHE_TTL_MS/);
    expect(() => parseEnv({ KEY_CACHE_TTL_MS: "-1" })).toThrow(/KEY_CACHE_TTL_MS/);
    expect(() => parseEnv({ KEY_CACHE_TTL_MS: "1s" })).toThrow(/KEY_CACHE_TTL_MS/);
    expect(parseEnv({ KEY_CACHE_MAX_KEYS: "1" })).toMatchObject({ KEY_CACHE_MAX_KEYS: 1 });
    expect(() => parseEnv({ KEY_CACHE_MAX_KEYS: "0" })).toThrow(/KEY_CACHE_MAX_KEYS/);
    expect(() => parseEnv({ KEY_CACHE_MAX_KEYS: "1000001" })).toThrow(/KEY_CACHE_MAX_KEYS/);
  });

  it("takes DATABASE_POOLER as auto, session or transaction, and DATABASE_POOL_MAX from 1 to 100", () => {
    expect(parseEnv({ DATABASE_POOLER: "transaction", DATABASE_POOL_MAX: "3" })).toMatchObject({ DATABASE_POOLER: "transaction", DATABASE_POOL_MAX: 3 });
    expect(parseEnv({ DATABASE_POOL_MAX: "100" }).DATABASE_POOL_MAX).toBe(100);
    expect(() => parseEnv({ DATABASE_POOLER: "statement" })).toThrow(/DATABASE_POOLER: must be auto, session or transaction/);
    for (const bad of ["0", "101", "-1", "1.5", "ten"]) {
      expect(() => parseEnv({ DATABASE_POOL_MAX: bad }), bad).toThrow(/DATABASE_POOL_MAX/);
    }
  });

  it("takes the second-factor limit (1 to 999 codes) and lock (1 s to a day)", () => {
    expect(parseEnv({ SECOND_FACTOR_FAILURE_LIMIT: "5", SECOND_FACTOR_LOCK_SECONDS: "60" })).toMatchObject({ SECOND_FACTOR_FAILURE_LIMIT: 5, SECOND_FACTOR_LOCK_SECONDS: 60 });
    for (const bad of ["0", "-1", "1000", "ten"]) expect(() => parseEnv({ SECOND_FACTOR_FAILURE_LIMIT: bad }), bad).toThrow(/SECOND_FACTOR_FAILURE_LIMIT/);
    for (const bad of ["0", "86401", "1e3"]) expect(() => parseEnv({ SECOND_FACTOR_LOCK_SECONDS: bad }), bad).toThrow(/SECOND_FACTOR_LOCK_SECONDS/);
  });

  it("takes TRUSTED_PROXY_HOPS as a small whole number", () => {
    expect(parseEnv({ TRUSTED_PROXY_HOPS: "2" }).TRUSTED_PROXY_HOPS).toBe(2);
    for (const bad of ["-1", "1.5", "yes", "10"]) {
      expect(() => parseEnv({ TRUSTED_PROXY_HOPS: bad }), bad).toThrow(/TRUSTED_PROXY_HOPS/);
    }
  });

  it("treats blank values as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", APP_URL: "  " })).toMatchObject({
      DATABASE_URL: ENV_DEFAULTS.DATABASE_URL,
      APP_URL: ENV_DEFAULTS.APP_URL,
    });
  });

  it("accepts a hosted-project configuration", () => {
    const env = parseEnv({
      DATABASE_URL:
        "postgres://postgres.abcd:pw@aws-0-eu-west-1.pooler.supabase.com:5432/postgres",
      NEXT_PUBLIC_SUPABASE_URL: "https://abcd.supabase.co/",
      NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: "sb_publishable_xyz",
      APP_URL: "https://tunedtensor.com/",
      CRON_SECRET: "a-real-secret-of-enough-length",
    });
    expect(env.NEXT_PUBLIC_SUPABASE_URL).toBe("https://abcd.supabase.co");
    expect(env.APP_URL).toBe("https://tunedtensor.com");
  });

  it("names every bad variable in one error", () => {
    let error: unknown;
    try {
      parseEnv({
        DATABASE_URL: "mysql://root@localhost/db",
        NEXT_PUBLIC_SUPABASE_URL: "not a url",
        NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: "sb_secret_abc",
        APP_URL: "http://localhost:3000/app",
        AUTH_FAILURE_LIMIT: "thirty",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Invalid environment: /);
    for (const name of [
      "DATABASE_URL",
      "NEXT_PUBLIC_SUPABASE_URL",
      "NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY",
      "APP_URL",
      "AUTH_FAILURE_LIMIT",
    ]) {
      expect(message).toContain(`${name}: `);
    }
  });

  it("reads the failed-authentication limit as a number, 0 meaning off", () => {
    expect(parseEnv({ AUTH_FAILURE_LIMIT: "0" }).AUTH_FAILURE_LIMIT).toBe(0);
    expect(parseEnv({ AUTH_FAILURE_LIMIT: "500" }).AUTH_FAILURE_LIMIT).toBe(500);
    expect(() => parseEnv({ AUTH_FAILURE_LIMIT: "-1" })).toThrow(/AUTH_FAILURE_LIMIT: must be a whole number/);
  });

  it("rejects a malformed URL", () => {
    expect(() => parseEnv({ NEXT_PUBLIC_SUPABASE_URL: "127.0.0.1:54321" })).toThrow(
      "NEXT_PUBLIC_SUPABASE_URL: must be an http:// or https:// URL",
    );
    expect(() => parseEnv({ DATABASE_URL: "postgresql://" })).toThrow(
      /DATABASE_URL: must be a postgres/,
    );
  });

  it("never echoes a value, since DATABASE_URL may hold a password", () => {
    expect(() => parseEnv({ DATABASE_URL: "http://user:hunter2@db" })).toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining("hunter2"),
      }),
    );
  });
});
