// Which URLs the app fetches OIDC keys from and lets a trust policy name as an issuer: https,
// without credentials, query or fragment; http only on a loopback address, and only when the
// app runs for tests (OIDC_ALLOW_LOOPBACK_ISSUERS=1, refused with an https APP_URL:
// lib/env-schema.ts). Pure.

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

export function issuerUrlAllowed(value: string, allowLoopback: boolean): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password || url.hash) return false;
  if (url.protocol === "https:") return !LOOPBACK_HOSTS.has(url.hostname) || allowLoopback;
  return url.protocol === "http:" && allowLoopback && LOOPBACK_HOSTS.has(url.hostname);
}
