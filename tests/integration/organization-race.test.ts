// "Removing power is immediate everywhere" (issue 27), under load: 50 clients hammer a
// member's key, a service account's key or a member's session while an owner removes the
// member, lowers their role, tightens the policy on members' keys or deletes the service
// account. Every request that started after the change's answer arrived must be refused:
// each instance may reuse a key's row and a session's membership for T, so every such change
// waits T after it commits before it answers. Under test:scale this file runs through
// nginx, so the 50 clients and the change are spread over three instances.
import { describe, it } from "vitest";

import type { RaceSetup } from "../support/key-change-races";
import { memberRemovedRace, policyTightenedRace, removedSessionRace, roleLoweredRace, serviceAccountDeletedRace } from "../support/organization-races";
import { APP_URL } from "../support/stack";

const setup: RaceSetup = { targets: [APP_URL], clientsPerTarget: 50, changeVia: APP_URL };

// Side by side: each race has its own organization, members and keys (tests/support/organization-races.ts).
describe.concurrent("organization changes that take power away, under load", () => {
  it("member removed: their key refused in every request that starts after the DELETE returned", () => memberRemovedRace(setup));
  it("member removed: their session refused in the organization in every request that starts after the DELETE returned", () => removedSessionRace(setup));
  it("role lowered to viewer: a specs:write request with their key refused in every request that starts after the PATCH returned", () => roleLoweredRace(setup));
  it("policy tightened (member keys without specs:write): refused in every request that starts after the PATCH returned", () => policyTightenedRace(setup));
  it("service account deleted: its key refused in every request that starts after the DELETE returned", () => serviceAccountDeletedRace(setup));
});
