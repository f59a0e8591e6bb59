// The expiry warnings: GET /api/cron/key-expiry, called as Vercel Cron calls it, mails a
// key's owner 7 days and 1 day before the key expires, once each across repeated runs; the
// mail is read from Mailpit. A key's remaining time is set in the row where the API
// cannot (no sleeping until a key is a day from expiry).
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { api } from "../support/http";
import { inbox, waitForMail } from "../support/mailpit";
import { createApiKey } from "../support/session";
import { CRON_SECRET, DATABASE_URL, newUser } from "../support/stack";

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

const SECRET = CRON_SECRET;
const runCron = () => api("/api/cron/key-expiry", { headers: { authorization: `Bearer ${SECRET}` } });
const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

let user: Awaited<ReturnType<typeof newUser>>;
beforeAll(async () => {
  user = await newUser("expiry");
});

const mailsAbout = async (name: string) => (await inbox(user.email)).filter((m) => m.Subject.includes(`“${name}”`));

describe("GET /api/cron/key-expiry", () => {
  it("needs Authorization: Bearer $CRON_SECRET (401 otherwise, nothing sent)", async () => {
    for (const headers of [{} as Record<string, string>, { authorization: "Bearer wrong-secret-of-some-length" }, { authorization: SECRET }, { authorization: `Bearer ${SECRET}x` }]) {
      const res = await api("/api/cron/key-expiry", { headers });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    }
  });

  it("mails 7 days before, once, however often it runs; then 1 day before, once", async () => {
    const key = await createApiKey(user.session, "weekly", inDays(6.5));
    expect((await runCron()).status).toBe(200);
    const first = await waitForMail(user.email, { subject: /“weekly” expires in 6 days/ });
    expect(first.Text).toContain(key.key_prefix);
    expect(first.Text).toContain("/settings/api-keys");
    expect(first.Text).not.toContain(key.key);
    await runCron();
    await runCron();
    expect(await mailsAbout("weekly")).toHaveLength(1);

    // Time passes: 20 hours left.
    await sql`update api_keys set expires_at = now() + interval '20 hours 30 minutes' where id = ${key.id}`;
    await runCron();
    await waitForMail(user.email, { subject: /“weekly” expires in 20 hours/ });
    await runCron();
    expect(await mailsAbout("weekly")).toHaveLength(2);
    // Each mail is in the security log once, by the platform.
    const events = await sql`select actor_type, details from audit_events where key_id = ${key.id} and type = 'key.expiry_mail_sent' order by occurred_at`;
    expect(events.map((e) => [e.actor_type, e.details.notice])).toEqual([["system", "7d"], ["system", "1d"]]);
  });

  it("a key with less than a day from the start gets only the 1-day mail; none for a far, revoked, rolled or never-expiring key", async () => {
    await createApiKey(user.session, "hours", inDays(0.5));
    await createApiKey(user.session, "far", inDays(30));
    await createApiKey(user.session, "never");
    const revoked = await createApiKey(user.session, "gone", inDays(3));
    await sql`update api_keys set revoked_at = now() where id = ${revoked.id}`;
    const rolledFrom = await createApiKey(user.session, "rolledfrom", inDays(30));
    // Rolled with a 24-hour window: its end is the owner's choice, not news.
    await sql`update api_keys set expires_at = now() + interval '23 hours', replaced_by = null where id = ${rolledFrom.id}`;
    const successor = await createApiKey(user.session, "successor");
    await sql`update api_keys set replaced_by = ${successor.id} where id = ${rolledFrom.id}`;

    const run = await runCron();
    expect(run.body.data).toEqual({
      sent: expect.any(Number),
      failed: 0,
      pruned: { usageDeleted: expect.any(Number), eventsDeleted: expect.any(Number), deviceCodesDeleted: expect.any(Number), attemptsDeleted: expect.any(Number), spentTokensDeleted: expect.any(Number) },
    });
    await waitForMail(user.email, { subject: /“hours” expires in 11 hours/ });
    await runCron();
    expect(await mailsAbout("hours")).toHaveLength(1);
    for (const name of ["far", "never", "gone", "rolledfrom", "successor"]) expect(await mailsAbout(name), name).toEqual([]);
  });

  it("a failed send records nothing, so the next run sends it", async () => {
    const key = await createApiKey(user.session, "retried", inDays(5));
    // The owner's address is one the SMTP server refuses… (Mailpit accepts all, so the
    // failure is made where the app sends: an address nodemailer will not send to.)
    await sql`update auth.users set email = ${"no-at-sign"} where id = ${user.user.id}`;
    try {
      const run = await runCron();
      expect(run.status).toBe(200);
      expect(run.body.data.failed).toBeGreaterThanOrEqual(1);
      const [row] = await sql`select count(*)::int as n from internal.key_expiry_notices where key_id = ${key.id}`;
      expect(row!.n).toBe(0);
    } finally {
      await sql`update auth.users set email = ${user.email} where id = ${user.user.id}`;
    }
    await runCron();
    await waitForMail(user.email, { subject: /“retried” expires in 4 days/ });
    await runCron();
    expect(await mailsAbout("retried")).toHaveLength(1);
  });
});
