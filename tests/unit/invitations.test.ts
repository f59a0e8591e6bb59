// The pure parts of invitations (lib/organizations/invitations.ts): what became of one at a
// given moment, and which failed sends are the address's fault.
import { describe, expect, it } from "vitest";

import { invitationStatus, recipientRefused } from "@/lib/organizations/invitations";

const at = (iso: string) => new Date(iso);
const pending = { accepted_at: null, revoked_at: null, expires_at: at("2026-01-08T10:00:00Z") };

describe("an invitation's status", () => {
  it("is pending until it expires, expired from its expiry on", () => {
    expect(invitationStatus(pending, at("2026-01-08T09:59:59.999Z"))).toBe("pending");
    expect(invitationStatus(pending, at("2026-01-08T10:00:00Z"))).toBe("expired");
  });

  it("is accepted or revoked for good, whatever the time", () => {
    const later = at("2027-01-01T00:00:00Z");
    expect(invitationStatus({ ...pending, accepted_at: at("2026-01-02T00:00:00Z") }, later)).toBe("accepted");
    expect(invitationStatus({ ...pending, revoked_at: at("2026-01-02T00:00:00Z") }, later)).toBe("revoked");
  });
});

describe("a refused recipient", () => {
  it("is nodemailer's EENVELOPE or a permanent answer to RCPT TO, not a server or connection failure", () => {
    expect(recipientRefused(Object.assign(new Error("no recipients"), { code: "EENVELOPE" }))).toBe(true);
    expect(recipientRefused(Object.assign(new Error("550 no such user"), { command: "RCPT TO", responseCode: 550 }))).toBe(true);
    expect(recipientRefused(Object.assign(new Error("451 try later"), { command: "RCPT TO", responseCode: 451 }))).toBe(false);
    expect(recipientRefused(Object.assign(new Error("connect ECONNREFUSED"), { code: "ESOCKET" }))).toBe(false);
    expect(recipientRefused(null)).toBe(false);
  });
});
