// A mailed link must not sign in whichever browser opens it (login CSRF): opening it (GET
// /auth/confirm) shows which account it is for and changes nothing — the token stays usable
// and no session cookie is set — and only a same-origin POST from that page's button
// (/auth/confirm/accept) exchanges it. A real reset link from Supabase Auth (or the
// compatible server), read from Mailpit.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { waitForMail } from "../support/mailpit";
import { APP_URL, DATABASE_URL, PUBLISHABLE_KEY, SUPABASE_URL, newUser } from "../support/stack";

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

let user: Awaited<ReturnType<typeof newUser>>;
let link: URL;

beforeAll(async () => {
  user = await newUser("link-csrf");
  const res = await fetch(`${SUPABASE_URL}/auth/v1/recover`, {
    method: "POST",
    headers: { apikey: PUBLISHABLE_KEY, "content-type": "application/json" },
    body: JSON.stringify({ email: user.email }),
  });
  expect(res.status).toBe(200);
  const mail = await waitForMail(user.email, { subject: /Reset your password/ });
  link = new URL(/href="([^"]+)"/.exec(mail.HTML)![1]!.replace(/&amp;|&#38;/g, "&"));
  expect(link.pathname).toBe("/auth/confirm");
});

const storedToken = async () => (await sql<{ t: string }[]>`select recovery_token as t from auth.users where id = ${user.user.id}`)[0]!.t;
const fields = () => new URLSearchParams({ token_hash: link.searchParams.get("token_hash") ?? link.searchParams.get("token")!, type: link.searchParams.get("type")! });
const accept = (headers: Record<string, string>) =>
  fetch(`${APP_URL}/auth/confirm/accept`, { method: "POST", headers, body: fields(), redirect: "manual" });
const setsSession = (res: Response) => res.headers.getSetCookie().some((c) => /auth-token[^=]*=base64-/.test(c));
/** The session a response's cookies hold (chunks `<name>.0`, `.1`, … joined in order). */
const sessionSetBy = (res: Response): Record<string, unknown> => {
  const parts = res.headers
    .getSetCookie()
    .map((c) => /^[^=]*auth-token(?:\.(\d+))?=([^;]*)/.exec(c))
    .filter((m) => m !== null && m[2] !== "")
    .sort((a, b) => Number(a![1] ?? 0) - Number(b![1] ?? 0))
    .map((m) => m![2]!);
  return JSON.parse(Buffer.from(parts.join("").replace(/^base64-/, ""), "base64url").toString("utf8")) as Record<string, unknown>;
};

describe("a mailed link", () => {
  it("GET shows which account it is for, leaves the token usable and sets no session cookie", async () => {
    const before = await storedToken();
    expect(before).not.toBe("");
    for (let i = 0; i < 2; i++) {
      // Twice, as a mail scanner and then the person would open it.
      const res = await fetch(`${APP_URL}${link.pathname}${link.search}`, { redirect: "manual" });
      expect(res.status).toBe(200);
      expect(setsSession(res)).toBe(false);
      const html = await res.text();
      expect(html).toContain(user.email);
      expect(html).toMatch(/<form[^>]*action="\/auth\/confirm\/accept"[^>]*method="post"/);
    }
    expect(await storedToken()).toBe(before);
  });

  it("a POST from another site is refused, and the link still works afterwards", async () => {
    const foreign: Record<string, string>[] = [{ origin: "https://attacker.example" }, { origin: `${APP_URL}.attacker.example` }, { "sec-fetch-site": "cross-site" }];
    for (const headers of foreign) {
      const res = await accept(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect((await res.json()).error.code).toBe("forbidden");
      expect(setsSession(res)).toBe(false);
    }
    expect(await storedToken()).not.toBe("");
  });

  it("the page's own POST signs in, once", async () => {
    const res = await accept({ origin: APP_URL });
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get("location")!, APP_URL).pathname).toBe("/reset-password");
    expect(setsSession(res)).toBe(true);
    // The cookie holds the tokens, not the user object (lib/supabase/cookie-name.ts).
    const session = sessionSetBy(res);
    expect(session).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), expires_at: expect.any(Number) });
    expect(session).not.toHaveProperty("user");
    // Used: the same POST again is an expired link, and no session.
    const again = await accept({ origin: APP_URL });
    expect(new URL(again.headers.get("location")!, APP_URL).pathname).toBe("/auth/link-error");
    expect(setsSession(again)).toBe(false);
  });
});
