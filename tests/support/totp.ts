// TOTP codes computed in the tests from an enrolled factor's secret (RFC 6238: SHA-1, 6
// digits, 30-second steps), and Supabase Auth's MFA endpoints called as a browser-less
// client would: through the gateway, with the user's access token.
import { PUBLISHABLE_KEY, SUPABASE_URL } from "./stack";

export { totpCode } from "@tuned-tensor/auth-server/totp";
import { totpCode } from "@tuned-tensor/auth-server/totp";

export type MfaSession = { access_token: string; refresh_token: string; user: { id: string } };

async function auth<T>(path: string, token: string, method: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${SUPABASE_URL}/auth/v1${path}`, {
    method,
    headers: { apikey: PUBLISHABLE_KEY, authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as T };
}

/** Enrols a TOTP factor (unverified until its first code): its id and secret. */
export async function enrolTotp(accessToken: string, friendlyName = `app ${crypto.randomUUID().slice(0, 6)}`) {
  const res = await auth<{ id: string; totp: { secret: string } }>("/factors", accessToken, "POST", { factor_type: "totp", friendly_name: friendlyName });
  if (res.status !== 200) throw new Error(`enrolling a factor answered ${res.status}`);
  return { factorId: res.body.id, secret: res.body.totp.secret };
}

/** Challenges the factor and verifies the current code: the session at aal2 (new tokens). */
export async function verifyTotp(accessToken: string, factorId: string, secret: string): Promise<MfaSession> {
  const challenge = await auth<{ id: string }>(`/factors/${factorId}/challenge`, accessToken, "POST", {});
  if (challenge.status !== 200) throw new Error(`challenging the factor answered ${challenge.status}`);
  const res = await auth<MfaSession>(`/factors/${factorId}/verify`, accessToken, "POST", { challenge_id: challenge.body.id, code: totpCode(secret) });
  if (res.status !== 200) throw new Error(`verifying the factor answered ${res.status}`);
  return res.body;
}

/** Unenrols a factor (a verified one needs a session at aal2). */
export async function unenrolTotp(accessToken: string, factorId: string): Promise<number> {
  return (await auth(`/factors/${factorId}`, accessToken, "DELETE")).status;
}

/** Signs in with a password: a session at aal1. */
export async function passwordSession(email: string, password: string): Promise<MfaSession> {
  const res = await fetch(`${SUPABASE_URL}/auth/v1/token?grant_type=password`, {
    method: "POST",
    headers: { apikey: PUBLISHABLE_KEY, "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`signing in answered ${res.status}`);
  return (await res.json()) as MfaSession;
}

/** The `aal` claim of an access token. */
export const aalOf = (accessToken: string): unknown =>
  (JSON.parse(Buffer.from(accessToken.split(".")[1]!, "base64url").toString("utf8")) as { aal?: unknown }).aal;
