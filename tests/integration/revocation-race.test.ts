// "Revoked keys stop working immediately", with the verification cache in place: 50 clients
// hammer one key while it is revoked, narrowed or rolled. Every request that started after
// the change's answer arrived must be refused — each instance may reuse a key's row for T,
// so every such change waits T after it commits before it answers (lib/api-keys/key-verifier.ts).
// Under test:scale this file runs through nginx, so the 50 clients and the change are spread
// over three instances.
import { describe, it } from "vitest";

import { narrowingRace, revocationRace, rollGraceRace, rollRace, type RaceSetup } from "../support/key-change-races";
import { APP_URL } from "../support/stack";

const setup: RaceSetup = { targets: [APP_URL], clientsPerTarget: 50, changeVia: APP_URL };

describe("changes that take power away from a key, under load", () => {
  it("revoked: refused in every request that starts after the DELETE returned", () => revocationRace(setup));
  it("narrowed: a removed scope refused in every request that starts after the PATCH returned", () => narrowingRace(setup));
  it("rolled with no grace: the old key refused in every request that starts after the roll returned", () => rollRace(setup));
  it("rolled with a grace longer than T: the old key works until the grace ends, and is refused after it", () => rollGraceRace(setup));
});
