// Ending sessions from another browser, measured: after Supabase Auth's logout (scope
// others / global), how long the API still accepts the ended session's cookie. The bound is
// the requirement (docs/SECURITY.md: an ended session reads for at most 5 s), written here as
// a literal — never SESSION_RECHECK_MS, the constant under test, which could be raised and
// still pass a test bounded by itself; docs/SECURITY.md states the measured figure. And
// /auth/confirm with bad or used links: a redirect to the page that says so, never a 5xx.
import { describe, expect, it } from "vitest";

import { api } from "../support/http";
import { sessionCookie } from "../../scripts/lib/session-cookie.ts";
import { APP_URL, PUBLISHABLE_KEY, SUPABASE_URL, anonClient, newUser } from "../support/stack";

async function logout(accessToken: string, scope: "others" | "global") {
  const res = await fetch(`${SUPABASE_URL}/auth/v1/logout?scope=${scope}`, {
    method: "POST",
    headers: { apikey: PUBLISHABLE_KEY, authorization: `Bearer ${accessToken}` },
  });
  expect(res.status).toBe(204);
}

/** The requirement: an ended session is refused by every instance within 5 s. */
const REQUIRED_MS = 5_000;
/** What measuring adds to it: the 50 ms polling step and the last request's own latency on a loaded machine. */
const MEASURING_MS = 1_000;

/** Milliseconds from now until /api/v1/me refuses `cookie` (polled every 50 ms, at most three times the requirement). */
async function msUntilRefused(cookie: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    const res = await api("/api/v1/me", { cookie });
    if (res.status === 401) return performance.now() - started;
    expect(res.status).toBe(200);
    if (performance.now() - started > 3 * REQUIRED_MS) throw new Error(`the ended session was still accepted after ${3 * REQUIRED_MS} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("ending sessions elsewhere", () => {
  for (const scope of ["others", "global"] as const) {
    it(`refuses the other browser's cookie within 5 s after logout scope=${scope}`, async () => {
      const { email, password, session: here } = await newUser(`end-${scope}`);
      const { data } = await anonClient().auth.signInWithPassword({ email, password });
      const there = sessionCookie(data.session!);
      // The other browser is in use, so its answer is remembered (the worst case).
      expect((await api("/api/v1/me", { cookie: there })).status).toBe(200);

      await logout(here.access_token, scope);
      const ms = await msUntilRefused(there);
      console.log(`logout scope=${scope}: the other session's cookie was refused after ${Math.round(ms)} ms (required: within ${REQUIRED_MS} ms)`);
      expect(ms).toBeLessThanOrEqual(REQUIRED_MS + MEASURING_MS);
      // And for good: a refresh with its refresh token is refused by Supabase Auth too.
      const refreshed = await anonClient().auth.refreshSession({ refresh_token: data.session!.refresh_token });
      expect(refreshed.error?.code).toMatch(/refresh_token_not_found|session_not_found/);
    });
  }
});

describe("GET /auth/confirm", () => {
  const confirm = (query: string) => fetch(`${APP_URL}/auth/confirm${query}`, { redirect: "manual" });

  it.each([
    ["no parameters", ""],
    ["an unknown type", "?token=abc&type=bogus"],
    ["a token but no type", "?token=abc"],
  ])("answers %s with a redirect to the link-error page", async (_name, query) => {
    const res = await confirm(query);
    expect(res.status).toBeGreaterThanOrEqual(300);
    expect(res.status).toBeLessThan(400);
    expect(new URL(res.headers.get("location")!, APP_URL).pathname).toBe("/auth/link-error");
  });

  it.each(["signup", "recovery", "email_change"])("answers an unknown %s token hash with the link's page, then an expired link on its button, setting no session", async (type) => {
    const res = await confirm(`?token=${"0".repeat(56)}&type=${type}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie") ?? "").not.toMatch(/auth-token=base64/);
    const accepted = await fetch(`${APP_URL}/auth/confirm/accept`, {
      method: "POST",
      headers: { origin: APP_URL },
      body: new URLSearchParams({ token_hash: "0".repeat(56), type }),
      redirect: "manual",
    });
    expect(accepted.status).toBe(303);
    const location = new URL(accepted.headers.get("location")!, APP_URL);
    expect(location.pathname).toBe("/auth/link-error");
    expect(location.searchParams.get("reason")).toBe("expired");
    expect(accepted.headers.get("set-cookie") ?? "").not.toMatch(/auth-token=base64/);
  });
});
