// Guessing second-factor codes, as someone holding only the password would: wrong codes
// posted to /login/two-factor (its Server Action, as a browser without JavaScript posts the
// form) from many addresses, alternating between two app instances sharing Postgres. Past
// the per-user limit every attempt is refused — from any address, on either instance, the
// right code included — the user's code entry is locked, and the owner gets one mail.
// A visitor's wrong codes also count in the failed-authentication limit of its address.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startAppInstance, freePort, type AppInstance } from "../support/app-instance";
import { inbox, waitForMail } from "../support/mailpit";
import { sessionCookie } from "../support/session";
import { DATABASE_URL, newUser } from "../support/stack";
import { enrolTotp, passwordSession, totpCode, verifyTotp } from "../support/totp";

// The defaults (SECOND_FACTOR_FAILURE_LIMIT, SECOND_FACTOR_LOCK_SECONDS): 10 wrong codes lock
// code entry for 15 minutes. The lock's end is not waited for: the test moves it in the row.
const USER_LIMIT = 10;
const VISITOR_LIMIT = 3;
const WRONG = /That code isn(?:'|&#x27;|&#39;)t right/;
const TOO_MANY = /Too many attempts\./;

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
const instances: AppInstance[] = [];

beforeAll(async () => {
  // Behind one trusted proxy (the test): the client is the right-most X-Forwarded-For entry.
  const env = { TRUSTED_PROXY_HOPS: "1", AUTH_FAILURE_LIMIT: String(VISITOR_LIMIT) };
  // TT_EXTRA_PORT_BASE: two free ports of the caller's choosing (base and base + 1).
  const fixed = Number(process.env.TT_EXTRA_PORT_BASE);
  const ports = fixed ? [fixed, fixed + 1] : [await freePort(), await freePort()];
  instances.push(...(await Promise.all(ports.map((port) => startAppInstance(port, env)))));
}, 60_000);
afterAll(async () => {
  await Promise.all(instances.map((i) => i.stop()));
  await sql.end({ timeout: 5 });
});

/** A user with `apps` verified authenticator apps, and a password-only (aal1) session of theirs. */
async function userWithFactor(label: string, apps = 1) {
  const user = await newUser(label);
  const factor = await enrolTotp(user.session.access_token);
  const aal2 = await verifyTotp(user.session.access_token, factor.factorId, factor.secret);
  const secrets = [factor.secret];
  for (let i = 1; i < apps; i++) {
    // Another app is added at aal2 (Supabase Auth refuses it at aal1).
    const more = await enrolTotp(aal2.access_token);
    await verifyTotp(aal2.access_token, more.factorId, more.secret);
    secrets.push(more.secret);
  }
  // Last: verifying a code ends the user's sessions still at aal1.
  const aal1 = await passwordSession(user.email, user.password);
  return { ...user, secret: factor.secret, secrets, cookie: sessionCookie(aal1) };
}

let n = 0;
const freshAddress = () => `198.51.${(++n >> 8) & 255}.${n & 255}`;

/** The hidden fields React renders into the code form for a browser without JavaScript. */
async function codeForm(instance: AppInstance, cookie: string): Promise<[string, string][]> {
  const res = await fetch(`${instance.url}/login/two-factor?next=%2Fspecs`, { headers: { cookie }, redirect: "manual" });
  const html = await res.text();
  expect(res.status, html.slice(0, 300)).toBe(200);
  const form = /<form[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1] ?? "";
  const fields: [string, string][] = [];
  for (const input of form.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? "";
    if (name) fields.push([name, value.replaceAll("&quot;", '"').replaceAll("&amp;", "&").replaceAll("&#x27;", "'")]);
  }
  expect(fields.map(([name]) => name)).toContain("next");
  return fields;
}

/** Posts `code` to the form's action from `address`: the page's answer (or its redirect). */
async function postCode(instance: AppInstance, user: { cookie: string }, code: string, address: string) {
  const body = new FormData();
  for (const [name, value] of await codeForm(instance, user.cookie)) body.append(name, value);
  body.append("code", code);
  const res = await fetch(`${instance.url}/login/two-factor?next=%2Fspecs`, {
    method: "POST",
    body,
    headers: { cookie: user.cookie, origin: instance.url, "x-forwarded-for": address },
    redirect: "manual",
  });
  const text = await res.text();
  return { status: res.status, location: res.headers.get("location"), cookies: res.headers.getSetCookie(), text };
}

/** A code that is certainly not the current one of any of `secrets` (nor a neighbouring step's). */
const wrongCode = (secrets: string | string[], i: number) => {
  const right = new Set([secrets].flat().flatMap((secret) => [-30_000, 0, 30_000].map((skew) => totpCode(secret, Date.now() + skew))));
  for (let c = 100_000 + i * 7919; ; c++) if (!right.has(String(c % 1_000_000).padStart(6, "0"))) return String(c % 1_000_000).padStart(6, "0");
};

describe("second-factor codes, per user across addresses and instances", () => {
  it("refuses every attempt past the limit, the right code too, locks code entry and mails the owner", async () => {
    const user = await userWithFactor("code-guess");
    // 20 wrong codes at once, each from its own address, alternating between the instances.
    const answers = await Promise.all(
      Array.from({ length: 2 * USER_LIMIT }, (_, i) => postCode(instances[i % 2]!, user, wrongCode(user.secret, i), freshAddress())),
    );
    const wrong = answers.filter((a) => WRONG.test(a.text)).length;
    const refused = answers.filter((a) => TOO_MANY.test(a.text)).length;
    // Exactly the limit's worth were checked (the last of them set the lock), the rest refused.
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(wrong).toBe(USER_LIMIT - 1);
    expect(refused).toBe(USER_LIMIT + 1);

    // Locked: the right code is refused, from a new address, on either instance.
    for (const instance of instances) {
      const right = await postCode(instance, user, totpCode(user.secret), freshAddress());
      expect(right.text).toMatch(TOO_MANY);
      expect(right.location).toBeNull();
      expect(right.cookies.join(";")).not.toMatch(/auth-token/);
    }

    // One mail to the owner, saying what happened and what to do.
    const mail = await waitForMail(user.email, { subject: /code entry.*locked/i });
    expect(mail.Text).toMatch(/wrong two-factor codes/);
    expect(mail.Text).toMatch(/If it wasn't you, someone knows your password/);
    expect(mail.Text).toMatch(/change your password/);
    expect((await inbox(user.email)).filter((m) => /locked/i.test(m.Subject))).toHaveLength(1);

    // The lock's end (moved here rather than waited for): the right code works again.
    await sql`update internal.second_factor_attempts set locked_until = now() where user_id = ${user.user.id}`;
    const after = await postCode(instances[0]!, user, totpCode(user.secret), freshAddress());
    expect(after.status).toBe(303);
    expect(after.location).toMatch(/\/specs$/);
    expect(after.cookies.join(";")).toMatch(/auth-token/);
  });

  it("counts each authenticator app a code is tried against: two apps, half the codes", async () => {
    const user = await userWithFactor("code-two-apps", 2);
    const seen: string[] = [];
    for (let i = 0; i < USER_LIMIT / 2 + 1; i++) {
      const res = await postCode(instances[i % 2]!, user, wrongCode(user.secrets, i + 50), freshAddress());
      seen.push(WRONG.test(res.text) ? "wrong" : TOO_MANY.test(res.text) ? "too many" : res.text.slice(0, 200));
    }
    // Five codes, each tried against both apps, make the ten tries: the fifth sets the lock.
    expect(seen).toEqual([...Array<string>(USER_LIMIT / 2 - 1).fill("wrong"), "too many", "too many"]);
  });

  it("counts a visitor's wrong codes by its address too, across users", async () => {
    const [a, b] = await Promise.all([userWithFactor("code-visitor-a"), userWithFactor("code-visitor-b")]);
    const address = freshAddress();
    const seen: string[] = [];
    for (let i = 0; i < VISITOR_LIMIT + 1; i++) {
      const user = i % 2 ? b : a;
      const res = await postCode(instances[0]!, user, wrongCode(user.secret, i), address);
      seen.push(WRONG.test(res.text) ? "wrong" : TOO_MANY.test(res.text) ? "too many" : res.text.slice(0, 200));
    }
    expect(seen).toEqual([...Array<string>(VISITOR_LIMIT).fill("wrong"), "too many"]);
    // Neither user is near their own limit: another address gets on.
    const other = await postCode(instances[0]!, a, totpCode(a.secret), freshAddress());
    expect(other.status).toBe(303);
  });
});
