// Organizations against the running app and the real stack: creating, renaming and deleting
// them (with the slug typed again and the owner's second factor), the personal workspace's
// rules, the Tt-Organization header for sessions and keys, every operation acting in the
// request's organization, members and roles (admins and owners, the last owner), removal and
// a lower role taking a key's power at once, the policies, and each change in the trail.
import { randomUUID } from "node:crypto";

import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { insufficientScopeChallenge } from "@/lib/contract";

import { api, type Json, type Res } from "../support/http";
import { addMember, createKeyIn, createOrganization, inOrg, uniqueSlug, withKey } from "../support/organizations";
import { DATABASE_URL, newUser } from "../support/stack";
import { enrolTotp, totpCode, verifyTotp } from "../support/totp";

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

type User = Awaited<ReturnType<typeof newUser>>;
const SPEC = { name: "team spec", examples: [{ input: "a", output: "b" }] };
const expectError = (res: Res, status: number, code: string, message?: RegExp) => {
  expect(res.status, res.text).toBe(status);
  expect(res.body.error.code).toBe(code);
  if (message) expect(res.body.error.message).toMatch(message);
};
const events = async (session: object, org: string, type?: string) => {
  const res = await api("/api/v1/audit-events?per_page=100", inOrg(session, org));
  expect(res.status, res.text).toBe(200);
  return (res.body.data as Json[]).filter((e) => type === undefined || e.type === type);
};
/** A user with a verified authenticator app: their session raised to aal2, and the secret. */
async function withSecondFactor(user: User) {
  const factor = await enrolTotp(user.session.access_token);
  const aal2 = await verifyTotp(user.session.access_token, factor.factorId, factor.secret);
  return { session: aal2, secret: factor.secret };
}

let owner: User;
let admin: User;
let dev: User;
let viewer: User;
let outsider: User;
beforeAll(async () => {
  [owner, admin, dev, viewer, outsider] = await Promise.all([newUser("org-owner"), newUser("org-admin"), newUser("org-dev"), newUser("org-viewer"), newUser("org-outsider")]);
});

/** A team: owner (by the API), admin, developer and viewer (added in SQL). */
async function team(label = "team") {
  const org = await createOrganization(owner.session, uniqueSlug(label));
  await addMember(sql, org.id, admin.user.id, "admin");
  await addMember(sql, org.id, dev.user.id, "developer");
  await addMember(sql, org.id, viewer.user.id, "viewer");
  return org;
}

describe("creating, listing and renaming organizations", () => {
  it("creates one with its creator as owner; listed after the personal workspace; audited", async () => {
    const slug = uniqueSlug("acme");
    const res = await api("/api/v1/organizations", { method: "POST", ...inOrg(owner.session), json: { name: "Acme", slug } });
    expect(res.status, res.text).toBe(201);
    expect(res.body.data).toEqual({
      id: expect.any(String), slug, name: "Acme", personal: false, role: "owner", created_at: expect.any(String),
      policy: { require_two_factor: false, max_key_lifetime_days: null, key_creator_roles: ["owner", "admin", "developer"], member_key_scopes: expect.arrayContaining(["specs:read", "org:write"]), default_key_limits: null },
    });
    const list = await api("/api/v1/organizations?per_page=100", inOrg(owner.session));
    const listed = list.body.data as Json[];
    expect(listed[0]).toMatchObject({ personal: true, role: "owner", name: "Personal" });
    expect(listed.find((o) => o.slug === slug)).toMatchObject({ role: "owner", personal: false });
    const [created] = await events(owner.session, slug, "organization.created");
    expect(created).toMatchObject({ actor: { type: "session" }, details: { name: "Acme", slug } });
  });

  it("makes the slug from the name when omitted, unique; a slug asked for and taken is 409; bad or reserved slugs 400", async () => {
    const name = `Widgets ${randomUUID().slice(0, 6)} Über`;
    const first = await api("/api/v1/organizations", { method: "POST", ...inOrg(owner.session), json: { name } });
    const second = await api("/api/v1/organizations", { method: "POST", ...inOrg(owner.session), json: { name } });
    const base = name.toLowerCase().replace("über", "uber").replace(/ /g, "-");
    expect(first.body.data.slug).toBe(base);
    expect(second.body.data.slug).toBe(`${base}-2`);
    expectError(await api("/api/v1/organizations", { method: "POST", ...inOrg(outsider.session), json: { name: "x", slug: base } }), 409, "conflict", /taken/);
    for (const slug of ["Upper", "-lead", "trail-", "a_b", "p-" + "0".repeat(32), "x".repeat(41)]) {
      expectError(await api("/api/v1/organizations", { method: "POST", ...inOrg(owner.session), json: { name: "x", slug } }), 400, "validation_error");
    }
  });

  it("is for sessions: a key cannot create one", async () => {
    const { key } = await createKeyIn(owner.session, (await createOrganization(owner.session)).slug);
    expectError(await api("/api/v1/organizations", { method: "POST", key, json: { name: "by key" } }), 403, "forbidden");
  });

  it("renames an organization and changes its slug (audited with what changed); a taken slug is 409", async () => {
    const org = await team("rename");
    const taken = await createOrganization(outsider.session);
    const renamed = await api("/api/v1/organization", { method: "PATCH", ...inOrg(admin.session, org.slug), json: { name: "Renamed" } });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body.data).toMatchObject({ id: org.id, name: "Renamed", slug: org.slug, role: "admin" });
    expectError(await api("/api/v1/organization", { method: "PATCH", ...inOrg(owner.session, org.slug), json: { slug: taken.slug } }), 409, "conflict");
    const newSlug = uniqueSlug("moved");
    expect((await api("/api/v1/organization", { method: "PATCH", ...inOrg(owner.session, org.id), json: { slug: newSlug } })).status).toBe(200);
    expect((await api("/api/v1/organization", inOrg(owner.session, newSlug))).body.data).toMatchObject({ id: org.id, slug: newSlug, name: "Renamed" });
    const trail = await events(owner.session, newSlug, "organization.renamed");
    expect(trail.map((e) => e.details)).toEqual([{ from: { slug: org.slug }, to: { slug: newSlug } }, { from: { name: org.name }, to: { name: "Renamed" } }]);
    // A developer has no org:write.
    expectError(await api("/api/v1/organization", { method: "PATCH", ...inOrg(dev.session, newSlug), json: { name: "Mine" } }), 403, "forbidden", /org:write/);
  });

  it("a personal workspace keeps its slug (409), can be renamed, and cannot be deleted or left (409)", async () => {
    const me = (await api("/api/v1/organization", inOrg(outsider.session))).body.data as Json;
    expect(me).toMatchObject({ personal: true, role: "owner" });
    expectError(await api("/api/v1/organization", { method: "PATCH", ...inOrg(outsider.session), json: { slug: uniqueSlug("mine") } }), 409, "conflict", /personal/);
    expect((await api("/api/v1/organization", { method: "PATCH", ...inOrg(outsider.session), json: { name: "Mine" } })).body.data).toMatchObject({ name: "Mine", slug: me.slug });
    expectError(await api("/api/v1/organization", { method: "DELETE", ...inOrg(outsider.session), json: { confirm: me.slug } }), 409, "conflict", /personal/);
    expectError(await api("/api/v1/organization/membership", { method: "DELETE", ...inOrg(outsider.session) }), 409, "conflict", /personal/);
  });
});

describe("the request's organization", () => {
  it("a session picks it with Tt-Organization (slug or id); one it is not in, unknown or malformed is 403", async () => {
    const org = await team("header");
    expect((await api("/api/v1/organization", inOrg(dev.session, org.slug))).body.data).toMatchObject({ id: org.id, role: "developer" });
    expect((await api("/api/v1/organization", inOrg(dev.session, org.id))).body.data).toMatchObject({ slug: org.slug });
    expect((await api("/api/v1/organization", inOrg(dev.session))).body.data).toMatchObject({ personal: true });
    for (const ref of [org.slug, org.id]) expectError(await api("/api/v1/behavior-specs", inOrg(outsider.session, ref)), 403, "forbidden", /not a member/);
    for (const ref of [uniqueSlug("nowhere"), randomUUID(), "bad slug!", "x".repeat(80)]) {
      expectError(await api("/api/v1/behavior-specs", inOrg(dev.session, ref)), 403, "forbidden");
    }
    // Another user's personal workspace, named by its slug.
    const theirs = (await api("/api/v1/organization", inOrg(outsider.session))).body.data.slug as string;
    expectError(await api("/api/v1/behavior-specs", inOrg(dev.session, theirs)), 403, "forbidden");
  });

  it("a key acts in its own organization: naming another is 403, naming its own is fine", async () => {
    const org = await team("keyorg");
    const { key } = await createKeyIn(dev.session, org.slug);
    const other = await createOrganization(dev.session);
    expect((await api("/api/v1/organization", withKey(key))).body.data).toMatchObject({ id: org.id, role: "developer" });
    expect((await api("/api/v1/behavior-specs", withKey(key, org.slug))).status).toBe(200);
    expect((await api("/api/v1/behavior-specs", withKey(key, org.id))).status).toBe(200);
    const personal = (await api("/api/v1/organization", inOrg(dev.session))).body.data.slug as string;
    for (const ref of [other.slug, personal, uniqueSlug("none")]) expectError(await api("/api/v1/behavior-specs", withKey(key, ref)), 403, "forbidden", /its own/);
  });

  it("every operation acts in the header's organization: a spec made in A is not in B nor in the personal workspace", async () => {
    const a = await team("orga");
    const b = await createOrganization(dev.session);
    const created = await api("/api/v1/behavior-specs", { method: "POST", ...inOrg(dev.session, a.slug), json: SPEC });
    expect(created.status, created.text).toBe(201);
    const id = created.body.data.id as string;
    const ids = async (call: Parameters<typeof api>[1]) => ((await api("/api/v1/behavior-specs?per_page=100", call)).body.data as Json[]).map((s) => s.id);
    expect(await ids(inOrg(dev.session, a.slug))).toContain(id);
    expect(await ids(inOrg(viewer.session, a.slug))).toContain(id);
    expect(await ids(inOrg(dev.session, b.slug))).not.toContain(id);
    expect(await ids(inOrg(dev.session))).not.toContain(id);
    for (const call of [inOrg(dev.session, b.slug), inOrg(dev.session)]) {
      expect((await api(`/api/v1/behavior-specs/${id}`, call)).status).toBe(404);
      expect((await api(`/api/v1/behavior-specs/${id}`, { method: "DELETE", ...call })).status).toBe(404);
    }
    // Keys too: a key of the personal workspace does not reach it, one of A does.
    const personalKey = (await createKeyIn(dev.session, (await api("/api/v1/organization", inOrg(dev.session))).body.data.slug)).key as string;
    const aKey = (await createKeyIn(dev.session, a.slug)).key as string;
    expect((await api(`/api/v1/behavior-specs/${id}`, { key: personalKey })).status).toBe(404);
    expect((await api(`/api/v1/behavior-specs/${id}`, { key: aKey })).status).toBe(200);
    // Keys are listed per organization: the owner of A sees the developer's key there, not in B.
    const keyIds = async (call: Parameters<typeof api>[1]) => ((await api("/api/v1/api-keys?per_page=100", call)).body.data as Json[]).map((k) => k.holder);
    expect(await keyIds(inOrg(owner.session, a.slug))).toContainEqual({ type: "member", id: dev.user.id });
  });
});

describe("members and roles", () => {
  it("lists members oldest first, with their role and two-factor", async () => {
    const org = await team("list");
    const res = await api("/api/v1/organization/members", inOrg(viewer.session, org.slug));
    expect(res.status, res.text).toBe(200);
    expect((res.body.data as Json[]).map((m) => [m.user.id, m.role, m.two_factor])).toEqual([
      [owner.user.id, "owner", expect.any(Boolean)],
      [admin.user.id, "admin", false],
      [dev.user.id, "developer", false],
      [viewer.user.id, "viewer", false],
    ]);
    expect(res.body.meta).toEqual({ page: 1, per_page: 20, total: 4 });
    expectError(await api("/api/v1/organization/members", inOrg(outsider.session, org.slug)), 403, "forbidden");
  });

  it("admins change roles but not an owner's, and make no owners; owners do; the last owner stays (409); audited", async () => {
    const org = await team("roles");
    const patch = (as: User, who: User, role: string) =>
      api(`/api/v1/organization/members/${who.user.id}`, { method: "PATCH", ...inOrg(as.session, org.slug), json: { role } });
    expect((await patch(admin, viewer, "developer")).body.data).toMatchObject({ user: { id: viewer.user.id }, role: "developer" });
    expectError(await patch(admin, viewer, "owner"), 403, "forbidden", /owner/);
    expectError(await patch(admin, owner, "viewer"), 403, "forbidden", /owner/);
    expectError(await patch(dev, viewer, "viewer"), 403, "forbidden", /members:write/);
    expectError(await patch(owner, owner, "admin"), 409, "conflict", /at least one owner/);
    expectError(await api(`/api/v1/organization/members/${owner.user.id}`, { method: "DELETE", ...inOrg(owner.session, org.slug) }), 409, "conflict", /at least one owner/);
    expectError(await patch(owner, outsider, "viewer"), 404, "not_found");
    expectError(await api("/api/v1/organization/members/not-a-uuid", { method: "PATCH", ...inOrg(owner.session, org.slug), json: { role: "viewer" } }), 400, "validation_error");
    // An owner makes a second owner; then the first may step down.
    expect((await patch(owner, admin, "owner")).body.data.role).toBe("owner");
    expect((await patch(owner, owner, "admin")).body.data.role).toBe("admin");
    const changes = (await events(admin.session, org.slug, "member.role_changed")).map((e) => e.details);
    expect(changes).toEqual([{ from: "owner", to: "admin" }, { from: "admin", to: "owner" }, { from: "viewer", to: "developer" }]);
  });

  it("removing a member revokes their keys in it: the next request with one is refused (403); audited", async () => {
    const org = await team("remove");
    const { key, id } = await createKeyIn(dev.session, org.slug);
    const personalKey = (await createKeyIn(dev.session, (await api("/api/v1/organization", inOrg(dev.session))).body.data.slug)).key as string;
    expect((await api("/api/v1/behavior-specs", { key })).status).toBe(200);
    const removed = await api(`/api/v1/organization/members/${dev.user.id}`, { method: "DELETE", ...inOrg(admin.session, org.slug) });
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body.data).toMatchObject({ user: { id: dev.user.id }, role: "developer" });
    expectError(await api("/api/v1/behavior-specs", { key }), 403, "forbidden", /revoked/);
    expectError(await api("/api/v1/behavior-specs", inOrg(dev.session, org.slug)), 403, "forbidden", /not a member/);
    // Their keys elsewhere are theirs still.
    expect((await api("/api/v1/behavior-specs", { key: personalKey })).status).toBe(200);
    const revoked = await events(owner.session, org.slug, "key.revoked");
    expect(revoked.find((e) => e.key?.id === id)).toMatchObject({ details: { by: "membership_ended" } });
    expect((await events(owner.session, org.slug, "member.removed"))[0]).toMatchObject({ details: { role: "developer" } });
    // Admins cannot remove owners.
    expectError(await api(`/api/v1/organization/members/${owner.user.id}`, { method: "DELETE", ...inOrg(admin.session, org.slug) }), 403, "forbidden");
  });

  it("lowering developer → viewer takes specs:write from their key at once (403 insufficient_scope)", async () => {
    const org = await team("lower");
    const { key } = await createKeyIn(dev.session, org.slug);
    expect((await api("/api/v1/behavior-specs", { method: "POST", key, json: SPEC })).status).toBe(201);
    const res = await api(`/api/v1/organization/members/${dev.user.id}`, { method: "PATCH", ...inOrg(owner.session, org.slug), json: { role: "viewer" } });
    expect(res.status, res.text).toBe(200);
    const refused = await api("/api/v1/behavior-specs", { method: "POST", key, json: SPEC });
    expectError(refused, 403, "forbidden", /specs:write/);
    expect(refused.headers.get("www-authenticate")).toBe(insufficientScopeChallenge("specs:write"));
    expectError(await api("/api/v1/behavior-specs", { method: "POST", ...inOrg(dev.session, org.slug), json: SPEC }), 403, "forbidden", /viewer/);
    expect((await api("/api/v1/behavior-specs", { key })).status).toBe(200);
  });

  it("leaving: keys revoked, audited; the last owner cannot leave (409)", async () => {
    const org = await team("leave");
    const devKey = (await createKeyIn(dev.session, org.slug)).key as string;
    const left = await api("/api/v1/organization/membership", { method: "DELETE", ...inOrg(dev.session, org.slug) });
    expect(left.status, left.text).toBe(200);
    expectError(await api("/api/v1/me", { key: devKey }), 403, "forbidden", /revoked/);
    expect((await events(owner.session, org.slug, "member.left"))[0]).toMatchObject({ details: { role: "developer" } });
    expectError(await api("/api/v1/organization/membership", { method: "DELETE", ...inOrg(owner.session, org.slug) }), 409, "conflict", /at least one owner/);
    expectError(await api("/api/v1/organization/membership", { method: "DELETE", key: (await createKeyIn(admin.session, org.slug)).key }), 403, "forbidden");
  });
});

describe("policies", () => {
  it("require_two_factor: refused to an owner without it (409); then blocks members' aal1 sessions and keys without a factor", async () => {
    const org = await team("twofactor");
    const devKey = (await createKeyIn(dev.session, org.slug)).key as string;
    const policy = (as: object, body: Json) => api("/api/v1/organization/policy", { method: "PATCH", ...inOrg(as, org.slug), json: body });
    expectError(await policy(owner.session, { require_two_factor: true }), 409, "conflict", /two-factor/);
    const secured = await newUser("org-2fa-owner");
    const { session: aal2 } = await withSecondFactor(secured);
    await addMember(sql, org.id, secured.user.id, "admin");
    const res = await policy(aal2, { require_two_factor: true });
    expect(res.status, res.text).toBe(200);
    expect(res.body.data.require_two_factor).toBe(true);
    expectError(await api("/api/v1/behavior-specs", inOrg(dev.session, org.slug)), 403, "forbidden", /two-factor/);
    expectError(await api("/api/v1/api-keys", { method: "POST", ...inOrg(dev.session, org.slug), json: { name: "x" } }), 403, "forbidden", /two-factor/);
    expectError(await api("/api/v1/behavior-specs", { key: devKey }), 403, "forbidden", /two-factor/);
    // The organization itself is still readable (to be told why), and the member with a factor passes.
    expect((await api("/api/v1/organization", inOrg(dev.session, org.slug))).status).toBe(200);
    expect((await api("/api/v1/behavior-specs", inOrg(aal2, org.slug))).status).toBe(200);
    expect((await events(aal2, org.slug, "policy.changed"))[0]).toMatchObject({ details: { from: { require_two_factor: false }, to: { require_two_factor: true } } });
  });

  it("max_key_lifetime_days: longer keys refused (403, naming expires_at), older ones listed out of policy", async () => {
    const org = await team("lifetime");
    const old = await createKeyIn(dev.session, org.slug);
    const res = await api("/api/v1/organization/policy", { method: "PATCH", ...inOrg(admin.session, org.slug), json: { max_key_lifetime_days: 30 } });
    expect(res.status, res.text).toBe(200);
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    for (const fields of [{}, { expires_at: inDays(60) }]) {
      const refused = await api("/api/v1/api-keys", { method: "POST", ...inOrg(dev.session, org.slug), json: { name: "long", ...fields } });
      expectError(refused, 403, "forbidden", /30 days/);
      expect(refused.body.error.details).toEqual([{ path: "expires_at", message: expect.any(String) }]);
    }
    expect((await createKeyIn(dev.session, org.slug, { expires_at: inDays(10) })).out_of_policy).toBeNull();
    const listed = ((await api("/api/v1/api-keys?per_page=100", inOrg(dev.session, org.slug))).body.data as Json[]).find((k) => k.id === old.id)!;
    expect(listed.out_of_policy).toMatch(/never expires/);
    expect(listed.revoked_at).toBeNull();
    expect((await api("/api/v1/me", { key: old.key })).status).toBe(200);
  });

  it("key_creator_roles: a viewer is refused (403) until allowed; then a developer is refused once left out", async () => {
    const org = await team("creators");
    const make = (as: User) => api("/api/v1/api-keys", { method: "POST", ...inOrg(as.session, org.slug), json: { name: "mine" } });
    expectError(await make(viewer), 403, "forbidden", /viewer/);
    const policy = (body: Json) => api("/api/v1/organization/policy", { method: "PATCH", ...inOrg(owner.session, org.slug), json: body });
    expect((await policy({ key_creator_roles: ["viewer", "owner", "admin", "developer"] })).body.data.key_creator_roles).toEqual(["owner", "admin", "developer", "viewer"]);
    const made = await make(viewer);
    expect(made.status, made.text).toBe(201);
    expect(made.body.data.scopes).toEqual(["specs:read", "keys:read", "members:read"]);
    await policy({ key_creator_roles: ["owner"] });
    expectError(await make(dev), 403, "forbidden", /developer/);
    expectError(await policy({ key_creator_roles: ["owner", "owner"] }), 400, "validation_error");
    expectError(await policy({}), 400, "validation_error");
  });

  it("member_key_scopes narrows existing member keys at once, and bounds new ones", async () => {
    const org = await team("memberscopes");
    const { key } = await createKeyIn(dev.session, org.slug);
    expect((await api("/api/v1/behavior-specs", { method: "POST", key, json: SPEC })).status).toBe(201);
    const res = await api("/api/v1/organization/policy", { method: "PATCH", ...inOrg(admin.session, org.slug), json: { member_key_scopes: ["keys:read", "specs:read"] } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.data.member_key_scopes).toEqual(["specs:read", "keys:read"]);
    expectError(await api("/api/v1/behavior-specs", { method: "POST", key, json: SPEC }), 403, "forbidden", /specs:write/);
    expect((await api("/api/v1/behavior-specs", { key })).status).toBe(200);
    expect((await api("/api/v1/me", { key })).body.data.authentication.scopes).toEqual(["specs:read", "keys:read"]);
    const listed = ((await api("/api/v1/api-keys?per_page=100", { key })).body.data as Json[])[0]!;
    expect(listed.out_of_policy).toMatch(/specs:write/);
    expect((await createKeyIn(dev.session, org.slug)).scopes).toEqual(["specs:read", "keys:read"]);
    expectError(await api("/api/v1/api-keys", { method: "POST", ...inOrg(dev.session, org.slug), json: { name: "w", scopes: ["specs:write"] } }), 403, "forbidden");
    const [changed] = await events(owner.session, org.slug, "policy.changed");
    expect(changed!.details.to).toEqual({ member_key_scopes: ["specs:read", "keys:read"] });
    expect(Object.keys(changed!.details.from as Json)).toEqual(["member_key_scopes"]);
  });

  it("policies and the trail are for owners and admins: developers get 403", async () => {
    const org = await team("trail");
    expect((await api("/api/v1/organization/policy", inOrg(dev.session, org.slug))).status).toBe(200);
    expectError(await api("/api/v1/organization/policy", { method: "PATCH", ...inOrg(dev.session, org.slug), json: { require_two_factor: false } }), 403, "forbidden", /org:write/);
    expectError(await api("/api/v1/audit-events", inOrg(dev.session, org.slug)), 403, "forbidden", /activity:read/);
    expect((await api("/api/v1/audit-events", inOrg(admin.session, org.slug))).status).toBe(200);
    // A developer's key with every scope it may hold does not read the trail either.
    const { key, scopes } = await createKeyIn(dev.session, org.slug);
    expect(scopes).not.toContain("activity:read");
    expectError(await api("/api/v1/audit-events", { key }), 403, "forbidden", /activity:read/);
  });
});

describe("deleting an organization", () => {
  it("owners only (403), its slug typed again (400); then its keys and the header stop working", async () => {
    const org = await team("delete");
    const { key } = await createKeyIn(dev.session, org.slug);
    const del = (as: object, body: Json) => api("/api/v1/organization", { method: "DELETE", ...inOrg(as, org.slug), json: body });
    expectError(await del(admin.session, { confirm: org.slug }), 403, "forbidden", /owner/);
    const wrong = await del(owner.session, { confirm: "something-else" });
    expectError(wrong, 400, "validation_error");
    expect(wrong.body.error.details).toEqual([{ path: "confirm", message: expect.stringContaining(org.slug) }]);
    expectError(await api("/api/v1/organization", { method: "DELETE", key, json: { confirm: org.slug } }), 403, "forbidden");
    const res = await del(owner.session, { confirm: org.slug });
    expect(res.status, res.text).toBe(200);
    expect(res.body.data).toMatchObject({ id: org.id, slug: org.slug });
    expect((await api("/api/v1/me", { key })).status).toBe(401);
    expectError(await api("/api/v1/organization", inOrg(owner.session, org.slug)), 403, "forbidden", /not a member/);
    const [left] = await sql`select (select count(*)::int from public.organization_members where organization_id = ${org.id}) as members, (select count(*)::int from public.api_keys where organization_id = ${org.id}) as keys`;
    expect(left).toEqual({ members: 0, keys: 0 });
  });

  it("an owner with two-factor sends the current code: missing 400, wrong 403, right 200", async () => {
    const secured = await newUser("org-del-2fa");
    const { session, secret } = await withSecondFactor(secured);
    const org = await createOrganization(session);
    const del = (body: Json) => api("/api/v1/organization", { method: "DELETE", ...inOrg(session, org.slug), json: body });
    const missing = await del({ confirm: org.slug });
    expectError(missing, 400, "validation_error");
    expect(missing.body.error.details).toEqual([{ path: "code", message: expect.any(String) }]);
    const right = totpCode(secret);
    const wrongCode = String((Number(right) + 500_000) % 1_000_000).padStart(6, "0");
    expectError(await del({ confirm: org.slug, code: wrongCode }), 403, "forbidden", /code/);
    expect((await api("/api/v1/organization", inOrg(session, org.slug))).status).toBe(200);
    const res = await del({ confirm: org.slug, code: totpCode(secret) });
    expect(res.status, res.text).toBe(200);
    expectError(await api("/api/v1/organization", inOrg(session, org.slug)), 403, "forbidden");
  });
});
