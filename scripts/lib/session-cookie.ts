// The cookie a signed-in browser holds for a Supabase session, as @supabase/ssr writes it:
// `sb-<first label of the Supabase host>-auth-token` = "base64-" + base64url(JSON) without
// padding, split into `<name>.0`, `<name>.1`, … when the value is over 3180 characters
// (@supabase/ssr's cookies.js and utils/chunker.js). Tests, the benchmark and the fuzz run
// use it to act as a browser. Runs under vitest and directly under Node (scripts).
import { SUPABASE_URL } from "../stack/config.ts";

export const SESSION_COOKIE_NAME = `sb-${new URL(SUPABASE_URL).hostname.split(".")[0]}-auth-token`;
const MAX_CHUNK_SIZE = 3180;

/**
 * The session cookie's value, unsplit (the app reads `<name>` as well as `<name>.0`, `.1`, …):
 * the session without its user object, as the app writes it (`cookies.encode: "tokens-only"`,
 * lib/supabase/cookie-name.ts).
 */
export function sessionCookieValue(session: object): string {
  const tokens: Record<string, unknown> = { ...session };
  delete tokens.user;
  return `base64-${Buffer.from(JSON.stringify(tokens), "utf8").toString("base64url")}`;
}

/** The Cookie header value a signed-in browser sends for `session` (a Supabase session object). */
export function sessionCookie(session: object): string {
  // base64url's alphabet needs no URI encoding, so chunking by length matches the library.
  const value = sessionCookieValue(session);
  if (value.length <= MAX_CHUNK_SIZE) return `${SESSION_COOKIE_NAME}=${value}`;
  const chunks: string[] = [];
  for (let i = 0; i * MAX_CHUNK_SIZE < value.length; i++) {
    chunks.push(`${SESSION_COOKIE_NAME}.${i}=${value.slice(i * MAX_CHUNK_SIZE, (i + 1) * MAX_CHUNK_SIZE)}`);
  }
  return chunks.join("; ");
}
