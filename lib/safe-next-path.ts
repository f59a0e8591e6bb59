/**
 * Turns an untrusted `next` query value into a same-site path to send the
 * user to after logging in, or the fallback. Without this, a crafted link
 * like /login?next=//evil.example would bounce a freshly logged-in user to
 * another site (an open redirect, useful for phishing).
 *
 * Pure (no server-only) so the login form and unit tests can both use it.
 */
export function safeNextPath(
  value: string | string[] | null | undefined,
  fallback = "/",
): string {
  if (typeof value !== "string") return fallback;
  // A single leading slash only: "//host" is protocol-relative and "/\host"
  // is treated as "//host" by browsers.
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) {
    return fallback;
  }
  // Browsers strip tabs and newlines from URLs ("/\t/evil" becomes "//evil"),
  // so let the URL parser have the final word and insist the origin stays ours.
  const base = "http://same-site.invalid";
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  // Dot segments can also rebuild a "//": "/a/..//evil" resolves to "//evil".
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith("//") || path.startsWith("/\\") ? fallback : path;
}
