// The verification cache at T = 10 s (test:scale restarts the three instances with
// KEY_CACHE_TTL_MS=10000 for this file alone): the same races as at 1 s — revoke, narrow, roll
// with no grace and with a grace past T — across the three instances and nginx, each change
// answering only once every instance's copy of the key has run out; and the one bounded
// window, a ban made in Supabase Auth's admin API, measured on every instance. Then the
// organization's changes (a member removed, a role lowered, the policy tightened, a service
// account deleted), whose membership memory has the same T.
import { describe, expect, it } from "vitest";

import { eventually } from "../../support/http";
import { KEY_CACHE_TTL_MS } from "../../support/key-cache";
import { narrowingRace, revocationRace, rollGraceRace, rollRace } from "../../support/key-change-races";
import { memberRemovedRace, policyTightenedRace, removedSessionRace, roleLoweredRace, serviceAccountDeletedRace } from "../../support/organization-races";
import { createApiKey } from "../../support/session";
import { newUser } from "../../support/stack";
import { gotrue } from "../../../scripts/lib/users.ts";
import { acrossInstances } from "../support.ts";

describe(`the verification cache at T = ${KEY_CACHE_TTL_MS} ms, across three instances`, () => {
  it("runs at T = 10 s here", () => expect(KEY_CACHE_TTL_MS).toBe(10_000));
  it("revoked: refused everywhere in every request that starts after the DELETE returned", () => revocationRace(acrossInstances()));
  it("narrowed: the removed scope refused everywhere after the PATCH returned", () => narrowingRace(acrossInstances()));
  it("rolled with no grace: the old key refused everywhere after the roll returned", () => rollRace(acrossInstances()));
  it("rolled with a grace longer than T: the old key works everywhere until the grace ends, and nowhere after", () => rollGraceRace(acrossInstances()));

  it("refuses a key on every instance within T of its owner's ban in Supabase Auth", async () => {
    const { targets } = acrossInstances();
    const user = await newUser("scale-ban");
    const { key } = await createApiKey(user.session, "banned owner");
    const me = async (target: string) => (await fetch(`${target}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } })).status;
    // Every instance has the key's row in memory.
    for (const target of targets) for (let i = 0; i < 3; i++) expect(await me(target)).toBe(200);
    await gotrue(`/admin/users/${user.user.id}`, { method: "PUT", body: { ban_duration: "24h" } });
    const banned = performance.now();
    const windows = await Promise.all(
      targets.map(async (target) => {
        await eventually(() => me(target), (status) => status === 403, { everyMs: 50, timeoutMs: 3 * KEY_CACHE_TTL_MS });
        return Math.round(performance.now() - banned);
      }),
    );
    console.log(`[scale key cache] a ban in Supabase Auth reached the key after ${windows.join(", ")} ms (instances 1–3, nginx; T = ${KEY_CACHE_TTL_MS} ms)`);
    for (const window of windows) expect(window).toBeLessThan(KEY_CACHE_TTL_MS + 1_000);
  });
});

// Side by side: each race has its own organization, members and keys, and counts only its
// own requests, so five at once prove what five in turn would, in the time of one.
describe.concurrent(`the organization's changes at T = ${KEY_CACHE_TTL_MS} ms, across three instances`, () => {
  it("member removed: their key refused everywhere after the DELETE returned", () => memberRemovedRace(acrossInstances()));
  it("member removed: their session refused in the organization everywhere after the DELETE returned", () => removedSessionRace(acrossInstances()));
  it("role lowered to viewer: specs:write refused everywhere after the PATCH returned", () => roleLoweredRace(acrossInstances()));
  it("policy tightened: specs:write refused for members' keys everywhere after the PATCH returned", () => policyTightenedRace(acrossInstances()));
  it("service account deleted: its key refused everywhere after the DELETE returned", () => serviceAccountDeletedRace(acrossInstances()));
});
