// Users made the way a person makes them, for tests and for the scripts that drive the app
// as real users would (`npm run bench`, `npm run fuzz`): created through the gateway's admin
// API with the secret key, signed in with a password, given a session cookie and API keys
// the way the dashboard makes them. Runs under vitest and directly under Node (scripts).
import { PUBLISHABLE_KEY, SECRET_KEY, SUPABASE_URL } from "../stack/config.ts";
import { sessionCookie } from "./session-cookie.ts";

type GotrueOptions = { method?: string; body?: unknown; token?: string };

/** One call to Supabase Auth through the gateway; the secret key unless `token` says otherwise. */
export async function gotrue<T = Record<string, unknown>>(path: string, { method = "GET", body, token = SECRET_KEY }: GotrueOptions = {}): Promise<T> {
  const res = await fetch(`${SUPABASE_URL}/auth/v1${path}`, {
    method,
    headers: { apikey: token === SECRET_KEY ? SECRET_KEY : PUBLISHABLE_KEY, authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new Error(`auth ${method} ${path}: ${res.status} ${String(json.msg ?? json.message ?? "")}`);
  return json as T;
}

export type SignedInUser = { id: string; email: string; password: string; session: Record<string, unknown> & { access_token: string }; cookie: string };

/** Creates a user with a confirmed e-mail address and signs them in. */
export async function createSignedInUser(prefix: string, domain = "scripts.tunedtensor.local"): Promise<SignedInUser> {
  const email = `${prefix}-${Date.now()}-${crypto.randomUUID().slice(0, 8)}@${domain}`;
  const password = `${prefix}-${crypto.randomUUID()}`;
  const user = await gotrue<{ id: string }>("/admin/users", { method: "POST", body: { email, password, email_confirm: true } });
  const session = await gotrue<SignedInUser["session"]>("/token?grant_type=password", { method: "POST", body: { email, password }, token: PUBLISHABLE_KEY });
  return { id: user.id, email, password, session, cookie: sessionCookie(session) };
}

/** Deletes a user; their keys and specs go with them (on delete cascade). */
export async function deleteUser(id: string): Promise<void> {
  await gotrue(`/admin/users/${id}`, { method: "DELETE" });
}

/**
 * Creates an API key as the dashboard does: the session cookie plus the app's own Origin,
 * which the CSRF check demands. `fields` is the request body (`name`, optional
 * `expires_at`). Returns the API's key object, full `key` included.
 */
export async function createApiKeyWithCookie<T = { id: string; key: string; key_prefix: string }>(
  appUrl: string,
  cookie: string,
  fields: Record<string, unknown>,
): Promise<T> {
  const res = await fetch(`${appUrl}/api/v1/api-keys`, {
    method: "POST",
    headers: { cookie, origin: appUrl, "content-type": "application/json" },
    body: JSON.stringify(fields),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`creating an API key failed: ${res.status} ${text}`);
  return (JSON.parse(text) as { data: T }).data;
}
