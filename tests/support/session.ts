// A Supabase session as the app's session cookie, and API keys minted with it. Keys can
// only be created with a session (a key cannot mint keys), so tests that need a key log
// in, build the cookie the browser would hold, and POST /api/v1/api-keys with it.
import type { Session } from "@supabase/supabase-js";
import type { z } from "zod";

import type { createdApiKeyOutput } from "../../lib/contract/api-keys.ts";
import { sessionCookie } from "../../scripts/lib/session-cookie.ts";
import { APP_URL } from "./stack";
import { createApiKeyWithCookie } from "../../scripts/lib/users.ts";

export { sessionCookie };

export type CreatedApiKey = z.output<typeof createdApiKeyOutput>;

/**
 * Creates an API key for the session's user through the API, as the dashboard does.
 * `expiresAt` (ISO 8601) is optional; by default the key does not expire. `scopes` too; by
 * default the key has every scope.
 */
export async function createApiKey(session: Session, name = "test key", expiresAt?: string | null, scopes?: readonly string[]): Promise<CreatedApiKey> {
  return createApiKeyWithCookie<CreatedApiKey>(APP_URL, sessionCookie(session), {
    name,
    ...(expiresAt !== undefined ? { expires_at: expiresAt } : {}),
    ...(scopes !== undefined ? { scopes } : {}),
  });
}
