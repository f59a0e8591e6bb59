// Quota alerts through the running app: a key's quota passing 80 % and running out mails the
// key's holder once each, and a service account's quota mails the organization's owners and
// admins (not its other members); each crossing is an audit event (quota.warning,
// quota.exhausted) in the organization's security log. The quotas are a few requests a day,
// used up with real requests; the mails are read from Mailpit.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { freePort, startAppInstance, type AppInstance } from "../support/app-instance";
import { eventually, type Json, api as sharedApi, type Call } from "../support/http";
import { inbox, waitForMail } from "../support/mailpit";
import { addMember, createOrganization, inOrg, uniqueSlug, withKey } from "../support/organizations";
import { sessionCookie } from "../support/session";
import { APP_URL, DATABASE_URL, newUser } from "../support/stack";

// An instance of its own: the exact sequences below (so many admitted, then refused; what the
// RateLimit field says is left) are one instance's. Across several, a request may be refused
// on one while another holds allowance it leased (the bounded under-admission of
// docs/ARCHITECTURE.md, "Usage limits"), which tests/scale/shared/usage-limit-across-instances.test.ts
// measures.
let app: AppInstance;
beforeAll(async () => {
  app = await startAppInstance(await freePort(), { USAGE_FLUSH_MS: "1000" });
});
afterAll(() => app?.stop());
const api = (path: string, call: Call = {}) => sharedApi(path, { ...call, base: app.url, ...(call.origin ? { origin: app.url } : {}) });

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

type User = Awaited<ReturnType<typeof newUser>>;
let owner: User;
let admin: User;
let developer: User;
let org: Json;
beforeAll(async () => {
  [owner, admin, developer] = await Promise.all([newUser("quota-owner"), newUser("quota-admin"), newUser("quota-dev")]);
  org = await createOrganization(owner.session, uniqueSlug("quota"));
  await addMember(sql, org.id as string, admin.user.id, "admin");
  await addMember(sql, org.id as string, developer.user.id, "developer");
});

/** Requests with `key` until one is refused by its quota (at most `max`): the statuses seen. */
async function useUp(key: string, max: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < max; i++) {
    const res = await api("/api/v1/me", withKey(key));
    statuses.push(res.status);
    if (res.status === 429) {
      expect(res.body.error.code).toBe("quota_exceeded");
      break;
    }
  }
  return statuses;
}

const quotaEvents = async (session: object, orgRef: string, type: string) => {
  const res = await api(`/api/v1/audit-events?per_page=100`, inOrg(session, orgRef));
  expect(res.status).toBe(200);
  return (res.body.data as Json[]).filter((e) => e.type === type);
};

describe("a member's key", () => {
  it("mails its holder at 80 % and when the quota is used up, once each, with audit events", async () => {
    const created = await api("/api/v1/api-keys", { method: "POST", cookie: sessionCookie(developer.session), origin: APP_URL, headers: { "tt-organization": org.slug }, json: { name: "notebook", limits: { rate: null, quota: { requests: 5, per: "day" } } } });
    expect(created.status, created.text).toBe(201);
    const key = created.body.data as Json;

    const statuses = await useUp(key.key as string, 10);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);

    const warning = await waitForMail(developer.email, { subject: /“notebook” has used 80 % of its daily quota/ });
    expect(warning.Text).toContain("quota of 5 requests a day");
    expect(warning.Text).toContain(`(${key.key_prefix}…) in ${org.name}`);
    const exhausted = await waitForMail(developer.email, { subject: /“notebook” has used all of its daily quota/ });
    expect(exhausted.Text).toMatch(/refused \(429 quota_exceeded\) until the quota refills at \d{4}-\d\d-\d\d 00:00 UTC/);
    expect(exhausted.Text).toContain("/settings/api-keys");

    // More refusals mail nothing more; the owners and admins heard nothing of a member's key.
    expect((await useUp(key.key as string, 3)).every((s) => s === 429)).toBe(true);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await inbox(developer.email)).filter((m) => m.Subject.includes("“notebook”"))).toHaveLength(2);
    for (const other of [owner, admin]) expect((await inbox(other.email)).filter((m) => m.Subject.includes("“notebook”"))).toEqual([]);

    const warned = await eventually(() => quotaEvents(owner.session, org.slug as string, "quota.warning"), (e) => e.some((x) => x.key?.id === key.id));
    const event = warned.find((x) => x.key?.id === key.id)!;
    expect(event.actor.type).toBe("system");
    expect(event.details).toMatchObject({ subject: "key", threshold: 80, limit: 5, per: "day" });
    const out = await quotaEvents(owner.session, org.slug as string, "quota.exhausted");
    expect(out.filter((x) => x.key?.id === key.id)).toHaveLength(1);
  });
});

describe("a service account's quota", () => {
  it("mails the organization's owners and admins, not its other members", async () => {
    const account = await api("/api/v1/organization/service-accounts", { method: "POST", ...inOrg(owner.session, org.slug as string), json: { name: "quota bot" } });
    expect(account.status, account.text).toBe(201);
    const id = account.body.data.id as string;
    const limited = await api(`/api/v1/organization/service-accounts/${id}`, {
      method: "PATCH",
      ...inOrg(owner.session, org.slug as string),
      json: { limits: { rate: null, quota: { requests: 3, per: "month" } } },
    });
    expect(limited.status, limited.text).toBe(200);
    const made = await api(`/api/v1/organization/service-accounts/${id}/keys`, { method: "POST", ...inOrg(owner.session, org.slug as string), json: { name: "bot key" } });
    expect(made.status, made.text).toBe(201);

    expect(await useUp(made.body.data.key as string, 6)).toEqual([200, 200, 200, 429]);

    for (const who of [owner, admin]) {
      await waitForMail(who.email, { subject: /The service account “quota bot” has used 80 % of its monthly quota/ });
      const mail = await waitForMail(who.email, { subject: /The service account “quota bot” has used all of its monthly quota/ });
      expect(mail.Text).toContain("/settings/service-accounts");
    }
    expect((await inbox(developer.email)).filter((m) => m.Subject.includes("quota bot"))).toEqual([]);
    const events = await eventually(() => quotaEvents(admin.session, org.slug as string, "quota.exhausted"), (e) => e.some((x) => x.details.service_account_id === id));
    expect(events.find((x) => x.details.service_account_id === id)).toMatchObject({ key: null, details: { subject: "service_account", threshold: 100, limit: 3, per: "month" } });
  });
});
