// A Supabase session as the app's session cookie, and API keys minted with it. Keys can
// only be created with a session (a key cannot mint keys), so tests that need a key log
// in, build the cookie the browser would hold, and POST /api/v1/api-keys with it.
import type { Session } from "@supabase/supabase-js";
import type { z } from "zod";

import type { createdApiKeyOutput } from "../../lib/api-keys/schema";
import { APP_URL, SUPABASE_URL } from "./stack";

// @supabase/ssr stores the session under supabase-js's default storage key,
// `sb-<first label of the Supabase host>-auth-token` (sb-127-auth-token for
// http://127.0.0.1:54321), as "base64-" + base64url(JSON) without padding, split into
// cookies `<name>.0`, `<name>.1`, … when the URI-encoded value is over 3180 characters
// (see node_modules/@supabase/ssr/dist/main/cookies.js and utils/chunker.js).
const COOKIE_NAME = `sb-${new URL(SUPABASE_URL).hostname.split(".")[0]}-auth-token`;
const MAX_CHUNK_SIZE = 3180;

/** The Cookie header value a signed-in browser sends for `session`. */
export function sessionCookie(session: Session): string {
  // base64url's alphabet needs no URI encoding, so chunking by length matches the library.
  const value = `base64-${Buffer.from(JSON.stringify(session), "utf8").toString("base64url")}`;
  if (value.length <= MAX_CHUNK_SIZE) return `${COOKIE_NAME}=${value}`;
  const chunks: string[] = [];
  for (let i = 0; i * MAX_CHUNK_SIZE < value.length; i++) {
    chunks.push(`${COOKIE_NAME}.${i}=${value.slice(i * MAX_CHUNK_SIZE, (i + 1) * MAX_CHUNK_SIZE)}`);
  }
  return chunks.join("; ");
}

export type CreatedApiKey = z.output<typeof createdApiKeyOutput>;

/**
 * Creates an API key for the session's user through the API, as the dashboard does
 * (session cookie plus the app's own Origin, which the CSRF check demands).
 * `expiresAt` (ISO 8601) is optional; by default the key does not expire.
 */
export async function createApiKey(session: Session, name = "test key", expiresAt?: string | null): Promise<CreatedApiKey> {
  const res = await fetch(`${APP_URL}/api/v1/api-keys`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: sessionCookie(session), origin: APP_URL },
    body: JSON.stringify({ name, ...(expiresAt !== undefined ? { expires_at: expiresAt } : {}) }),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`creating an API key failed: ${res.status} ${text}`);
  return (JSON.parse(text) as { data: CreatedApiKey }).data;
}
