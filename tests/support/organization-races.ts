// The races that prove the organization's changes take power away at once (issue 27's
// proof): clients hammer a member's key, a service account's key or a member's session
// while an owner removes the member, lowers their role, tightens the policy on members' keys
// or deletes the service account — and every request that started after the change's answer
// arrived is refused, on every target. Each such change commits, then waits T (the key cache
// and the membership cache, lib/organizations/membership.ts, hold nothing older), then
// answers. The same shape as ./key-change-races.ts, whose check() judges the samples.
import postgres from "postgres";
import { afterAll, expect } from "vitest";

import { ORGANIZATION_HEADER } from "../../lib/contract/organizations.ts";
import { raceChange } from "./key-cache";
import { check, type RaceSetup } from "./key-change-races";
import { addMember, createKeyIn, createOrganization, uniqueSlug } from "./organizations";
import { sessionCookie } from "./session";
import { APP_URL, DATABASE_URL, newUser } from "./stack";

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

type User = Awaited<ReturnType<typeof newUser>>;
type Answer = { status: number; body: { data?: Record<string, unknown>; error?: unknown } };

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function send(url: string, init: RequestInit): Promise<Answer> {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as Answer["body"] };
}

/** A request with a user's session cookie in the organization `slug` (no Origin: not a browser). */
const asMember = (user: User, slug: string, method: string, url: string, body?: unknown) =>
  send(url, {
    method,
    headers: { cookie: sessionCookie(user.session), [ORGANIZATION_HEADER]: slug, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const created = (what: string, res: Answer, status = 201): Record<string, unknown> => {
  expect(res.status, `${what}: ${JSON.stringify(res.body.error)}`).toBe(status);
  return res.body.data!;
};

/**
 * An organization made by its owner through the API, a developer added in SQL (how members
 * join — an invitation accepted — is not what these races are about), and a key the
 * developer made in it through the API with every scope their role allows.
 */
async function organizationWithMember(label: string) {
  const [owner, member] = await Promise.all([newUser(`${label}-owner`), newUser(`${label}-member`)]);
  const org = await createOrganization(owner.session, uniqueSlug(label));
  await addMember(sql, org.id as string, member.user.id, "developer");
  const key = await createKeyIn(member.session, org.slug as string, { name: "raced member key" });
  return { owner, member, slug: org.slug as string, key: key.key as string };
}

/** A spec in the organization, made with the member's key: what the specs:write races PATCH. */
async function specOf(key: string): Promise<string> {
  const res = await send(`${APP_URL}/api/v1/behavior-specs`, {
    method: "POST",
    headers: { ...bearer(key), "content-type": "application/json" },
    body: JSON.stringify({ name: "raced spec", examples: [{ input: "hi", output: "hello" }] }),
  });
  return created("the spec", res).id as string;
}

/** DELETE …/members/{user_id} by the owner: the member's key is refused (403) from the moment it returns. */
export async function memberRemovedRace(setup: RaceSetup): Promise<void> {
  const { owner, member, slug, key } = await organizationWithMember("race-removed");
  const race = await raceChange({
    ...setup,
    path: "/api/v1/me",
    headers: bearer(key),
    change: async () => {
      const res = await asMember(owner, slug, "DELETE", `${setup.changeVia}/api/v1/organization/members/${member.user.id}`);
      expect(res.status, JSON.stringify(res.body.error)).toBe(200);
    },
  });
  check("member removed race (the member's key)", race, setup, 403);
}

/** The member's session cookie naming the organization: refused (403) from the moment the removal returns. */
export async function removedSessionRace(setup: RaceSetup): Promise<void> {
  const { owner, member, slug } = await organizationWithMember("race-session");
  const race = await raceChange({
    ...setup,
    path: "/api/v1/me",
    headers: { cookie: sessionCookie(member.session), [ORGANIZATION_HEADER]: slug },
    change: async () => {
      const res = await asMember(owner, slug, "DELETE", `${setup.changeVia}/api/v1/organization/members/${member.user.id}`);
      expect(res.status, JSON.stringify(res.body.error)).toBe(200);
    },
  });
  check("member removed race (the member's session)", race, setup, 403);
}

/** PATCH …/members/{user_id} developer → viewer: a specs:write request with their key is 403 from the moment it returns. */
export async function roleLoweredRace(setup: RaceSetup): Promise<void> {
  const { owner, member, slug, key } = await organizationWithMember("race-lowered");
  const spec = await specOf(key);
  const race = await raceChange({
    ...setup,
    path: `/api/v1/behavior-specs/${spec}`,
    method: "PATCH",
    body: { description: "raced" },
    headers: bearer(key),
    change: async () => {
      const res = await asMember(owner, slug, "PATCH", `${setup.changeVia}/api/v1/organization/members/${member.user.id}`, { role: "viewer" });
      expect(res.status, JSON.stringify(res.body.error)).toBe(200);
      expect(res.body.data?.role).toBe("viewer");
    },
  });
  check("role lowered race (developer → viewer, specs:write)", race, setup, 403);
}

/** PATCH …/policy with member_key_scopes without specs:write: the member's key is 403 on a write from the moment it returns. */
export async function policyTightenedRace(setup: RaceSetup): Promise<void> {
  const { owner, slug, key } = await organizationWithMember("race-policy");
  const spec = await specOf(key);
  const race = await raceChange({
    ...setup,
    path: `/api/v1/behavior-specs/${spec}`,
    method: "PATCH",
    body: { description: "raced" },
    headers: bearer(key),
    change: async () => {
      const scopes = ["specs:read", "keys:read", "keys:write", "members:read"];
      const res = await asMember(owner, slug, "PATCH", `${setup.changeVia}/api/v1/organization/policy`, { member_key_scopes: scopes });
      expect(res.status, JSON.stringify(res.body.error)).toBe(200);
      expect(res.body.data?.member_key_scopes).toEqual(scopes);
    },
  });
  check("policy tightened race (member_key_scopes without specs:write)", race, setup, 403);
}

/** DELETE …/service-accounts/{id}: its key is refused (403) from the moment it returns. */
export async function serviceAccountDeletedRace(setup: RaceSetup): Promise<void> {
  const { owner, slug } = await organizationWithMember("race-sa");
  const account = created("the service account", await asMember(owner, slug, "POST", `${APP_URL}/api/v1/organization/service-accounts`, { name: "raced CI", role: "developer" }));
  const key = created("its key", await asMember(owner, slug, "POST", `${APP_URL}/api/v1/organization/service-accounts/${account.id as string}/keys`, { name: "raced service key" }));
  const race = await raceChange({
    ...setup,
    path: "/api/v1/me",
    headers: bearer(key.key as string),
    change: async () => {
      const res = await asMember(owner, slug, "DELETE", `${setup.changeVia}/api/v1/organization/service-accounts/${account.id as string}`);
      expect(res.status, JSON.stringify(res.body.error)).toBe(200);
    },
  });
  check("service account deleted race (its key)", race, setup, 403);
}
