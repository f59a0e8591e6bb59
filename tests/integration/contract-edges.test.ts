// Every operation of the contract outside the organization's (keys, specs, the account, the
// CLI's login, the security log), each edge value its schemas accept sent to the running app
// (tests/support/contract-edges.ts); the organization's operations are in
// contract-edges-organizations.test.ts. Plus the reproductions of dates the contract
// accepted and Postgres refused.
import { beforeAll, describe, expect, it } from "vitest";

import { describeContractEdges, isOrganizations } from "../support/contract-edges";
import { api } from "../support/http";
import { sessionCookie } from "../support/session";
import { newUser } from "../support/stack";

describeContractEdges("every operation outside the organization's, every edge value its schemas accept", (op) => !isOrganizations(op), "127.0.0.46");

let cookie: string;
beforeAll(async () => {
  cookie = sessionCookie((await newUser("contract-edges-dates")).session);
});

describe("dates the contract accepted and Postgres refused (the issue's reproductions)", () => {
  it("GET /api/v1/audit-events?since=0000-01-01T00:00:00Z → 400 naming since", async () => {
    for (const since of ["0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2026-01-01T00:00:00+15:00", "2026-02-30T00:00:00Z"]) {
      const res = await api(`/api/v1/audit-events?since=${encodeURIComponent(since)}`, { cookie });
      expect(res.status, since).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
      expect(res.body.error.details[0].path).toBe("since");
    }
    // The last day at -14:00 is an instant in the year 10000: accepted, and Postgres reads it.
    expect((await api(`/api/v1/audit-events?since=${encodeURIComponent("9999-12-31T23:59:59-14:00")}`, { cookie })).status).toBe(200);
  });

  it("/settings/security-log?from=0000-01-01 (and 2026-02-30, 9999-12-31) → the page, the bad day ignored with a message", async () => {
    for (const query of ["from=0000-01-01", "to=0000-01-01", "from=2026-02-30", "to=9999-12-31", "from=9999-12-31&to=9999-12-31"]) {
      const res = await api(`/settings/security-log?${query}`, { cookie });
      expect(res.status, query).toBe(200);
    }
    expect((await api("/settings/security-log?from=2026-02-30", { cookie })).text).toContain("Ignored the From day");
  });
});
