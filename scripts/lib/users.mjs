// Users of our own for scripts that drive the app as real users would (`npm run bench`,
// `npm run fuzz`): made through the gateway's admin API with the secret key, signed in
// with a password, given a session cookie and an API key the way the dashboard makes
// one (POST /api/v1/api-keys with the cookie and the app's own Origin).
import { sessionCookie } from "./session-cookie.mjs";
import { PUBLISHABLE_KEY, SECRET_KEY, SUPABASE_URL } from "../stack/config.mjs";

/** One call to Supabase Auth through the gateway; the secret key unless `token` says otherwise. */
export async function gotrue(path, { method = "GET", body, token = SECRET_KEY } = {}) {
  const res = await fetch(`${SUPABASE_URL}/auth/v1${path}`, {
    method,
    headers: { apikey: token === SECRET_KEY ? SECRET_KEY : PUBLISHABLE_KEY, authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body && JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`auth ${method} ${path}: ${res.status} ${json.msg ?? json.message ?? ""}`);
  return json;
}

/** Creates a user with a confirmed e-mail address and signs them in: `{ id, email, session, cookie }`. */
export async function createSignedInUser(prefix, domain = "scripts.tunedtensor.local") {
  const email = `${prefix}-${Date.now()}-${crypto.randomUUID().slice(0, 8)}@${domain}`;
  const password = `${prefix}-${crypto.randomUUID()}`;
  const user = await gotrue("/admin/users", { method: "POST", body: { email, password, email_confirm: true } });
  const session = await gotrue("/token?grant_type=password", { method: "POST", body: { email, password }, token: PUBLISHABLE_KEY });
  return { id: user.id, email, session, cookie: sessionCookie(session) };
}

/** Deletes a user; their keys and specs go with them (on delete cascade). */
export async function deleteUser(id) {
  await gotrue(`/admin/users/${id}`, { method: "DELETE" });
}

/**
 * Creates an API key as the dashboard does: the session cookie plus the app's own
 * Origin, which the CSRF check demands. Returns the API's key object, full `key` included.
 */
export async function createApiKey(appUrl, cookie, name) {
  const res = await fetch(`${appUrl}/api/v1/api-keys`, {
    method: "POST",
    headers: { cookie, origin: appUrl, "content-type": "application/json" },
    body: JSON.stringify({ name }),
  });
  if (res.status !== 201) throw new Error(`creating the API key "${name}" failed: ${res.status} ${await res.text()}`);
  return (await res.json()).data;
}
