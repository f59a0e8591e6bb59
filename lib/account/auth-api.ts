import "server-only";

import { env } from "@/lib/env";

// The few Supabase Auth calls the app's server makes without a supabase-js client: the ones
// that send mail (sign-up, password recovery, e-mail change). @supabase/ssr's client would
// add a PKCE code challenge, tying the mailed link to the browser that asked; a plain call
// makes the link a token hash that /auth/confirm's button exchanges in whatever browser opens it, as
// the Supabase SSR guide does. Errors come back as Supabase Auth's stable `code`.
//
// Supabase Auth sees this server's address, not the visitor's: its per-address limits count
// the whole app as one client, so the forms also count each visitor themselves
// (lib/account/visitor-limit.ts). Its per-recipient limit (one mail of a kind per address per
// minute) and its hourly total still apply to every request made here.

export type AuthAnswer = { ok: true; status: number; body: Record<string, unknown> } | { ok: false; status: number; code: string; message: string };

export async function authApi(path: string, { method = "POST", body, accessToken }: { method?: string; body?: unknown; accessToken?: string } = {}): Promise<AuthAnswer> {
  let res: Response;
  try {
    res = await fetch(`${env.NEXT_PUBLIC_SUPABASE_URL}/auth/v1${path}`, {
      method,
      headers: {
        apikey: env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY,
        authorization: `Bearer ${accessToken ?? env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY}`,
        "content-type": "application/json",
        // Errors as {code, message} (what supabase-js asks for).
        "x-supabase-api-version": "2024-01-01",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
      cache: "no-store",
    });
  } catch {
    return { ok: false, status: 0, code: "unreachable", message: "Supabase Auth did not answer" };
  }
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.ok) return { ok: true, status: res.status, body: json };
  const code = typeof json.code === "string" ? json.code : typeof json.error_code === "string" ? json.error_code : "unexpected_failure";
  return { ok: false, status: res.status, code, message: typeof json.message === "string" ? json.message : String(json.msg ?? "") };
}
