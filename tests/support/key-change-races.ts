// The races that prove the verification cache keeps the spec's promise: for each change that
// takes power away from a key — revoke, narrow, roll with its grace ending at once, and a
// roll whose grace outlasts T — clients hammer the key while the change is made through
// one instance, and every request that started after the change's answer arrived (after
// the grace, for the last) is refused, on every target. Used by the integration suite (one
// instance, or three behind nginx under test:scale, at T = 1 s) and by the production
// phase of test:scale (three instances and nginx at T = 10 s).
import { expect } from "vitest";

import { KEY_CACHE_TTL_MS, raceChange, statusCounts, type RaceResult, type Sample } from "./key-cache";
import { createApiKey, sessionCookie } from "./session";
import { newUser } from "./stack";

export type RaceSetup = {
  /** Base URLs the clients hammer (an instance, nginx…). */
  targets: string[];
  clientsPerTarget: number;
  /** The instance the change is made through. */
  changeVia: string;
};

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function send(url: string, init: RequestInit) {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as { data?: Record<string, unknown>; error?: unknown } };
}

/** A change made by the key's owner, with their session cookie (no Origin: not a browser). */
const asOwner = (user: Awaited<ReturnType<typeof newUser>>, method: string, url: string, body: unknown) =>
  send(url, { method, headers: { cookie: sessionCookie(user.session), "content-type": "application/json" }, body: JSON.stringify(body) });

export function check(name: string, race: RaceResult, setup: RaceSetup, refused: number, { waited = true } = {}) {
  const lines = setup.targets.map((target) => {
    const mine = (list: Sample[]) => list.filter((s) => s.target === target);
    return `${target}: before ${statusCounts(mine(race.before))}; after ${statusCounts(mine(race.after))}`;
  });
  const served = race.after.filter((s) => s.status !== refused);
  console.log(
    `[${name}] T = ${KEY_CACHE_TTL_MS} ms, the change answered in ${Math.round(race.changeMs)} ms; ` +
      `${race.samples.length} requests from ${setup.targets.length * setup.clientsPerTarget} clients, ${served.length} served after the change; ${lines.join("; ")}`,
  );
  for (const target of setup.targets) {
    const before = race.before.filter((s) => s.target === target);
    const after = race.after.filter((s) => s.target === target);
    expect(before.some((s) => s.status === 200), `${target}: served before the change`).toBe(true);
    expect(after.length, target).toBeGreaterThanOrEqual(setup.clientsPerTarget);
    // Before the answer: 200s, or (for requests overlapping the change) the refusal.
    expect(before.every((s) => s.status === 200 || s.status === refused), target).toBe(true);
  }
  expect(served).toEqual([]);
  // The change answered only once every instance's copy of the key had run out.
  if (waited) expect(race.changeMs).toBeGreaterThanOrEqual(KEY_CACHE_TTL_MS);
}

/** DELETE, with the key itself: 403 from the moment it returns. */
export async function revocationRace(setup: RaceSetup): Promise<void> {
  const user = await newUser("race-revoke");
  const { key, id } = await createApiKey(user.session, "raced");
  const race = await raceChange({
    ...setup,
    path: "/api/v1/me",
    headers: bearer(key),
    change: async () => {
      expect((await send(`${setup.changeVia}/api/v1/api-keys/${id}`, { method: "DELETE", headers: bearer(key) })).status).toBe(200);
    },
  });
  check("revocation race", race, setup, 403);
}

/** PATCH scopes without specs:read, with the owner's session: listing specs is 403 from the moment it returns. */
export async function narrowingRace(setup: RaceSetup): Promise<void> {
  const user = await newUser("race-narrow");
  const { key, id } = await createApiKey(user.session, "narrowed", undefined, ["specs:read", "keys:read"]);
  const race = await raceChange({
    ...setup,
    path: "/api/v1/behavior-specs",
    headers: bearer(key),
    change: async () => {
      const res = await asOwner(user, "PATCH", `${setup.changeVia}/api/v1/api-keys/${id}`, { scopes: ["keys:read"] });
      expect(res.status).toBe(200);
      expect(res.body.data?.scopes).toEqual(["keys:read"]);
    },
  });
  check("narrowing race", race, setup, 403);
}

/** POST …/roll with grace 0: the old key is 401 (expired) from the moment the roll returns. */
export async function rollRace(setup: RaceSetup): Promise<void> {
  const user = await newUser("race-roll");
  const { key, id } = await createApiKey(user.session, "rolled");
  const race = await raceChange({
    ...setup,
    path: "/api/v1/me",
    headers: bearer(key),
    change: async () => {
      const res = await asOwner(user, "POST", `${setup.changeVia}/api/v1/api-keys/${id}/roll`, { grace_seconds: 0 });
      expect(res.status).toBe(201);
    },
  });
  check("roll race (grace 0)", race, setup, 401);
}

/**
 * A roll whose grace outlasts T answers at once (no wait: every copy of the old row runs out
 * before the grace does); the old key works until the grace ends and is 401 for every
 * request that starts after `previous.expires_at`. The clients and the app share this
 * machine's clock.
 */
export async function rollGraceRace(setup: RaceSetup): Promise<void> {
  const user = await newUser("race-grace");
  const { key, id } = await createApiKey(user.session, "rolled with grace");
  const graceSeconds = Math.ceil(KEY_CACHE_TTL_MS / 1000) + 1;
  let graceEndsAt = Infinity; // on performance.now()'s scale
  const race = await raceChange({
    ...setup,
    path: "/api/v1/me",
    headers: bearer(key),
    change: async () => {
      const res = await asOwner(user, "POST", `${setup.changeVia}/api/v1/api-keys/${id}/roll`, { grace_seconds: graceSeconds });
      expect(res.status).toBe(201);
      const previous = res.body.data?.previous as { expires_at: string };
      graceEndsAt = performance.now() + (Date.parse(previous.expires_at) - Date.now());
      // Keep racing past the end of the grace.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, graceEndsAt - performance.now())));
    },
  });
  // Answered before the grace ended: the server looked at the key before its expiry, so it
  // must have served it (however slow the machine made the request).
  const during = race.samples.filter((s) => s.start > race.changedAt - race.changeMs && s.end < graceEndsAt);
  const afterGrace = race.samples.filter((s) => s.start > graceEndsAt);
  const served = afterGrace.filter((s) => s.status !== 401);
  console.log(
    `[roll race (grace ${graceSeconds} s)] T = ${KEY_CACHE_TTL_MS} ms; during the grace ${statusCounts(during)}; ` +
      `after it ${statusCounts(afterGrace)} (${served.length} served)`,
  );
  expect(during.length).toBeGreaterThan(0);
  expect(during.every((s) => s.status === 200)).toBe(true);
  expect(afterGrace.length).toBeGreaterThanOrEqual(setup.targets.length * setup.clientsPerTarget);
  expect(served).toEqual([]);
}
