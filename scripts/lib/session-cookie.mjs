// The cookie a signed-in browser holds for a Supabase session, as @supabase/ssr writes
// it: `sb-<first label of the Supabase host>-auth-token` = "base64-" + base64url(JSON),
// split into `<name>.0`, `<name>.1`, … past 3180 characters (see @supabase/ssr's
// cookies.js and utils/chunker.js). Used by tests and benchmarks to act as a browser.
import { SUPABASE_URL } from "../stack/config.mjs";

export const SESSION_COOKIE_NAME = `sb-${new URL(SUPABASE_URL).hostname.split(".")[0]}-auth-token`;
const MAX_CHUNK_SIZE = 3180;

/** The session cookie's value, unsplit (the app reads `<name>` as well as `<name>.0`, `.1`, …). */
export function sessionCookieValue(session) {
  return `base64-${Buffer.from(JSON.stringify(session), "utf8").toString("base64url")}`;
}

/** The Cookie header value for `session` (a Supabase session object). */
export function sessionCookie(session) {
  // base64url needs no URI encoding, so chunking by length matches the library.
  const value = sessionCookieValue(session);
  if (value.length <= MAX_CHUNK_SIZE) return `${SESSION_COOKIE_NAME}=${value}`;
  const chunks = [];
  for (let i = 0; i * MAX_CHUNK_SIZE < value.length; i++) {
    chunks.push(`${SESSION_COOKIE_NAME}.${i}=${value.slice(i * MAX_CHUNK_SIZE, (i + 1) * MAX_CHUNK_SIZE)}`);
  }
  return chunks.join("; ");
}
