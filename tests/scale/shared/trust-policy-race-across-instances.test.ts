// The kill switch across instances at T = 1 s: 52 clients, 13 on each of the three instances
// directly and 13 through nginx, hammer a key minted by token exchange while an owner deletes
// (or disables) the trust policy that minted it through instance 1. Every request that
// started after the change's answer arrived must be refused on every instance
// (tests/support/trust-policy-race.ts).
import { describe, it } from "vitest";

import { trustPolicyOffRace } from "../../support/trust-policy-race";
import { acrossInstances } from "../support.ts";

describe.concurrent("trust policy turned off across instances", () => {
  it("trust policy deleted: a key it minted refused on every instance after the DELETE returned", () => trustPolicyOffRace(acrossInstances(), "deleted"));
  it("trust policy disabled: a key it minted refused on every instance after the PATCH returned", () => trustPolicyOffRace(acrossInstances(), "disabled"));
});
