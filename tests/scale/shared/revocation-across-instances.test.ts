// The key-change races across instances at T = 1 s (the default): 52 clients hammer one key,
// 13 on each of the three instances directly and 13 through nginx, while it is revoked,
// narrowed or rolled through instance 1. Every request that started after the change's
// answer arrived must be refused on every instance: each instance may keep a key's row for
// T, and every such change waits T after its commit before it answers. A later phase
// runs the same races at T = 10 s (tests/scale/cache/key-cache.test.ts).
import { describe, it } from "vitest";

import { narrowingRace, revocationRace, rollGraceRace, rollRace } from "../../support/key-change-races";
import { acrossInstances } from "../support.ts";

describe("key changes across instances", () => {
  it("revoked: refused on every instance in every request that starts after the DELETE returned", () => revocationRace(acrossInstances()));
  it("narrowed: the removed scope refused on every instance after the PATCH returned", () => narrowingRace(acrossInstances()));
  it("rolled with no grace: the old key refused on every instance after the roll returned", () => rollRace(acrossInstances()));
  it("rolled with a grace longer than T: the old key works on every instance until the grace ends, and nowhere after", () => rollGraceRace(acrossInstances()));
});
