// The pure parts of the quota alerts (lib/usage-limits/quota-alerts.ts): whom a crossing is
// mailed to, and what the mail says at 80 % and at 100 %.
import { describe, expect, it } from "vitest";

import { quotaAlertMail, recipientsOf, type QuotaCrossing, type QuotaTarget } from "@/lib/usage-limits/quota-alerts";

const APP = "https://tt.example";
const crossing = (threshold: 80 | 100, subject: QuotaCrossing["subject"] = "key"): QuotaCrossing => ({
  subject,
  subjectId: "6f1d3c2e-8a4b-4c1d-9e7f-0a1b2c3d4e5f",
  organizationId: "3c9a2f1e-5b7d-4e8a-9c6b-2d1f0e9a8b7c",
  threshold,
  limit: 10000,
  per: "day",
  windowStart: new Date("2026-12-07T00:00:00Z"),
  windowEnd: new Date("2026-12-08T00:00:00Z"),
});
const memberKey: QuotaTarget = {
  organizationName: "Acme",
  personal: false,
  key: { id: "k1", name: "notebook", keyPrefix: "tt_AbCdEfGh", userId: "u1" },
  serviceAccount: null,
};
const saKey: QuotaTarget = { ...memberKey, key: { id: "k2", name: "deploy", keyPrefix: "tt_ZyXwVuTs", userId: null }, serviceAccount: { id: "s1", name: "CI" } };
const sa: QuotaTarget = { ...memberKey, key: null, serviceAccount: { id: "s1", name: "CI" } };

describe("recipientsOf", () => {
  it("a member's key: its holder; a service account's key or quota: the owners and admins", () => {
    expect(recipientsOf(memberKey)).toBe("holder");
    expect(recipientsOf(saKey)).toBe("admins");
    expect(recipientsOf(sa)).toBe("admins");
  });
});

describe("quotaAlertMail", () => {
  it("80 % of a member key's quota: to its holder, the quota, the period, when it refills, the page", () => {
    const mail = quotaAlertMail(crossing(80), memberKey, "ada@example.com", APP);
    expect(mail.to).toBe("ada@example.com");
    expect(mail.subject).toBe("Your API key “notebook” has used 80 % of its daily quota");
    expect(mail.text).toBe(
      "Your Tuned Tensor API key “notebook” (tt_AbCdEfGh…) in Acme has used 80 % of its quota of 10,000 requests a day in the period that started 2026-12-07 00:00 UTC.\n" +
        "Once the quota is used up, requests with it are refused (429 quota_exceeded) until it refills at 2026-12-08 00:00 UTC.\n\n" +
        "See its use and change its limits:\n  https://tt.example/settings/api-keys\n",
    );
  });

  it("100 %: all of it used, refused until the refill", () => {
    const mail = quotaAlertMail({ ...crossing(100), per: "month", windowEnd: new Date("2027-01-01T00:00:00Z") }, memberKey, "ada@example.com", APP);
    expect(mail.subject).toBe("Your API key “notebook” has used all of its monthly quota");
    expect(mail.text).toContain("has used all of its quota of 10,000 requests a month.\nRequests with it are refused (429 quota_exceeded) until the quota refills at 2027-01-01 00:00 UTC.");
  });

  it("a service account's key and its shared quota name the service account; the personal workspace is not named", () => {
    expect(quotaAlertMail(crossing(80), saKey, "admin@example.com", APP).subject).toBe("The API key “deploy” of the service account “CI” has used 80 % of its daily quota");
    const shared = quotaAlertMail(crossing(100, "service_account"), sa, "admin@example.com", APP);
    expect(shared.subject).toBe("The service account “CI” has used all of its daily quota");
    expect(shared.text).toMatch(/^The Tuned Tensor service account “CI” in Acme \(its keys share its quota\) has used all/);
    expect(shared.text).toContain("https://tt.example/settings/service-accounts");
    expect(quotaAlertMail(crossing(80), { ...memberKey, personal: true }, "ada@example.com", APP).text).toMatch(/^Your Tuned Tensor API key “notebook” \(tt_AbCdEfGh…\) has used 80 %/);
  });
});
