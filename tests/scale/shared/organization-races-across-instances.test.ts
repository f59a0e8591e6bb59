// The organization's races across instances at T = 1 s: 52 clients, 13 on each of the three
// instances directly and 13 through nginx, hammer a member's key (or session, or a service
// account's key) while an owner removes the member, lowers their role, tightens the policy
// or deletes the service account through instance 1. Every request that started after the
// change's answer arrived must be refused on every instance: each instance may keep a key's
// row and a session's membership for T, and every such change waits T after its commit
// before it answers. A later phase runs them again at T = 10 s (tests/scale/cache/key-cache.test.ts).
import { describe, it } from "vitest";

import { memberRemovedRace, policyTightenedRace, removedSessionRace, roleLoweredRace, serviceAccountDeletedRace } from "../../support/organization-races";
import { acrossInstances } from "../support.ts";

// Side by side: each race has its own organization, members and keys (tests/support/organization-races.ts).
describe.concurrent("organization changes across instances", () => {
  it("member removed: their key refused on every instance after the DELETE returned", () => memberRemovedRace(acrossInstances()));
  it("member removed: their session refused in the organization on every instance after the DELETE returned", () => removedSessionRace(acrossInstances()));
  it("role lowered to viewer: specs:write refused on every instance after the PATCH returned", () => roleLoweredRace(acrossInstances()));
  it("policy tightened: specs:write refused for members' keys on every instance after the PATCH returned", () => policyTightenedRace(acrossInstances()));
  it("service account deleted: its key refused on every instance after the DELETE returned", () => serviceAccountDeletedRace(acrossInstances()));
});
