// The kill switch under load on one instance (three behind nginx under test:scale): 50
// clients hammer a key minted by token exchange while an owner deletes or disables the trust
// policy that minted it; every request that started after the answer arrived is refused
// (tests/support/trust-policy-race.ts).
import { describe, it } from "vitest";

import type { RaceSetup } from "../support/key-change-races";
import { APP_URL } from "../support/stack";
import { trustPolicyOffRace } from "../support/trust-policy-race";

const setup: RaceSetup = { targets: [APP_URL], clientsPerTarget: 50, changeVia: APP_URL };

describe.concurrent("a trust policy turned off, under load", () => {
  it("deleted: a key it minted refused in every request that starts after the DELETE returned", () => trustPolicyOffRace(setup, "deleted"));
  it("disabled: a key it minted refused in every request that starts after the PATCH returned", () => trustPolicyOffRace(setup, "disabled"));
});
