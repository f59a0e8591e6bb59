import { describe, expect, it } from "vitest";

import { invitationProblem, sectionPath } from "@/lib/ui/organizations";

describe("sectionPath", () => {
  it("keeps the section, drops an id of the organization left behind", () => {
    expect(sectionPath("/specs/0b7c9f8e-2d3a-4e5b-8c6d-7e8f9a0b1c2d")).toBe("/specs");
    expect(sectionPath("/specs/new")).toBe("/specs");
    expect(sectionPath("/settings/api-keys/0b7c9f8e-2d3a-4e5b-8c6d-7e8f9a0b1c2d")).toBe("/settings/api-keys");
    expect(sectionPath("/settings/members")).toBe("/settings/members");
    expect(sectionPath("/settings")).toBe("/settings");
    expect(sectionPath("/")).toBe("/specs");
    expect(sectionPath("/cli/authorize")).toBe("/cli/authorize");
  });
});

describe("invitationProblem", () => {
  it("words an expired, revoked or used link plainly, and keeps the API's other messages", () => {
    expect(invitationProblem(404, "not_found", "Not found")).toMatch(/^This invitation is no longer valid/);
    expect(invitationProblem(403, "forbidden", "You're not allowed to do that.")).toMatch(/sign in with the invited address/);
    expect(invitationProblem(409, "conflict", "You are already a member of this organization")).toBe("You are already a member of this organization");
  });
});
