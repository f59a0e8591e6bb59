// Service accounts against the running app and the real stack: an admin makes one and its
// key; the key acts in its organization as the service account (no user), bounded by the
// service account's role; it survives its creator leaving the organization and deleting their
// account; deleting the service account refuses its keys on the very next request; only owners
// and admins, signed in, make its keys.
import { randomUUID } from "node:crypto";

import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ROLE_SCOPES, type Role } from "../../lib/contract/organizations.ts";
import { gotrue } from "../../scripts/lib/users.ts";
import { expectApiError } from "../support/expect-api-error";
import { api, serverErrors, type Call, type Json } from "../support/http";
import { outlastKeyCache } from "../support/key-cache";
import { addMember, inOrg, organizationInSql, uniqueSlug } from "../support/organizations";
import { DATABASE_URL, newUser } from "../support/stack";

const sql = postgres(DATABASE_URL, { max: 2, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

type User = Awaited<ReturnType<typeof newUser>>;
const as = (user: User, org?: string): Call => inOrg(user.session, org || undefined);

let owner: User;
let admin: User;
let developer: User;
let slug: string;
let orgId: string;

/** An organization made in SQL (its API is another file's), with these members. */
function organizationWith(members: [User, Role][]): Promise<{ id: string; slug: string }> {
  const made = uniqueSlug("sa");
  return organizationInSql(sql, made, `Service ${made}`, members);
}

async function newServiceAccount(by: User, name: string, role?: "admin" | "developer" | "viewer", org = slug): Promise<Json> {
  const res = await api("/api/v1/organization/service-accounts", { method: "POST", ...as(by, org), json: { name, ...(role ? { role } : {}) } });
  expect(res.status, res.text).toBe(201);
  return res.body.data as Json;
}
/** `org` null: the caller's personal workspace. */
const newKey = (by: User, serviceAccountId: string, body: Json = { name: "deploy" }, org: string | null = slug) =>
  api(`/api/v1/organization/service-accounts/${serviceAccountId}/keys`, { method: "POST", ...as(by, org ?? undefined), json: body });
async function keyOf(by: User, serviceAccountId: string, body: Json = { name: "deploy" }): Promise<Json> {
  const res = await newKey(by, serviceAccountId, body);
  expect(res.status, res.text).toBe(201);
  return res.body.data as Json;
}

beforeAll(async () => {
  [owner, admin, developer] = await Promise.all([newUser("sa-owner"), newUser("sa-admin"), newUser("sa-dev")]);
  ({ id: orgId, slug } = await organizationWith([
    [owner, "owner"],
    [admin, "admin"],
    [developer, "developer"],
  ]));
});

afterAll(() => {
  expect(serverErrors).toEqual([]);
});

describe("service accounts", () => {
  it("an admin makes one and its key; the key acts in the organization as the service account, within its role", async () => {
    const account = await newServiceAccount(admin, "CI deploys", "developer");
    expect(account).toMatchObject({ name: "CI deploys", role: "developer", created_by: { id: admin.user.id, email: admin.email } });
    // Names are unique among live ones, whatever their case.
    expectApiError(
      await api("/api/v1/organization/service-accounts", { method: "POST", ...as(owner, slug), json: { name: "ci DEPLOYS" } }),
      409,
      "conflict",
    );

    const created = await keyOf(admin, account.id);
    expect(created.holder).toEqual({ type: "service_account", id: account.id });
    expect(created.scopes).toEqual(ROLE_SCOPES.developer);
    const me = await api("/api/v1/me", { key: created.key });
    expect(me.status, me.text).toBe(200);
    expect(me.body.data).toMatchObject({
      user: null,
      service_account: { id: account.id, name: "CI deploys" },
      organization: { id: orgId, slug, personal: false, role: "developer" },
    });
    const spec = await api("/api/v1/behavior-specs", { method: "POST", key: created.key, json: { name: "by CI", examples: [{ input: "a", output: "b" }] } });
    expect(spec.status, spec.text).toBe(201);
    const [specRow] = await sql`select organization_id, user_id from public.behavior_specs where id = ${spec.body.data.id}`;
    expect(specRow).toEqual({ organization_id: orgId, user_id: null });

    // Beyond the service account's role: 403 naming the field, whoever asks.
    const beyond = await newKey(owner, account.id, { name: "too much", scopes: ["specs:read", "members:write"] });
    expectApiError(beyond, 403, "forbidden");
    expect(beyond.body.error.details).toEqual([{ path: "scopes", message: expect.stringContaining("members:write") }]);
    const narrow = await keyOf(owner, account.id, { name: "read only", scopes: ["specs:read"] });
    expect(narrow.scopes).toEqual(["specs:read"]);

    // Listed to admins with its holder; the key itself never again.
    const keys = await api("/api/v1/api-keys?per_page=100", as(admin, slug));
    expect(keys.status).toBe(200);
    expect((keys.body.data as Json[]).find((k) => k.id === created.id)).toMatchObject({ holder: { type: "service_account", id: account.id } });
    expect(keys.text).not.toContain(created.key);
    const events = await sql<{ type: string; user_id: string | null; details: Json }[]>`
      select type, user_id, details from public.audit_events where organization_id = ${orgId} and (key_id = ${created.id} or details->>'service_account_id' = ${account.id})
      order by occurred_at, id`;
    expect(events.slice(0, 2)).toEqual([
      { type: "service_account.created", user_id: null, details: { service_account_id: account.id, name: "CI deploys", role: "developer" } },
      { type: "key.created", user_id: null, details: expect.objectContaining({ service_account_id: account.id, scopes: ROLE_SCOPES.developer }) },
    ]);
  });

  it("lists the live ones, oldest first, to anyone with members:read", async () => {
    const first = await newServiceAccount(owner, `first ${randomUUID().slice(0, 6)}`, "viewer");
    const second = await newServiceAccount(owner, `second ${randomUUID().slice(0, 6)}`);
    expect(second.role).toBe("developer");
    const gone = await newServiceAccount(owner, `gone ${randomUUID().slice(0, 6)}`);
    expect((await api(`/api/v1/organization/service-accounts/${gone.id}`, { method: "DELETE", ...as(owner, slug) })).status).toBe(200);
    const res = await api("/api/v1/organization/service-accounts?per_page=100", as(developer, slug));
    expect(res.status, res.text).toBe(200);
    const ids = (res.body.data as Json[]).map((a) => a.id);
    expect(ids).toContain(first.id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    expect(ids).not.toContain(gone.id);
    expect(res.body.meta.total).toBe(ids.length);
    // Its name is free again.
    expect((await newServiceAccount(owner, gone.name)).name).toBe(gone.name);
  });

  it("only owners and admins, signed in, make service accounts and their keys", async () => {
    const account = await newServiceAccount(owner, `guarded ${randomUUID().slice(0, 6)}`);
    expectApiError(await api("/api/v1/organization/service-accounts", { method: "POST", ...as(developer, slug), json: { name: "mine" } }), 403, "forbidden");
    expectApiError(await newKey(developer, account.id), 403, "forbidden");
    expectApiError(await api(`/api/v1/organization/service-accounts/${account.id}`, { method: "DELETE", ...as(developer, slug) }), 403, "forbidden");
    // A key cannot make keys, whatever its scopes.
    const adminKey = await api("/api/v1/api-keys", { method: "POST", ...as(admin, slug), json: { name: "admin key" } });
    expect(adminKey.status).toBe(201);
    expectApiError(
      await api(`/api/v1/organization/service-accounts/${account.id}/keys`, { method: "POST", key: adminKey.body.data.key, json: { name: "by key" } }),
      403,
      "forbidden",
    );
    // Another organization's service account, or none: 404.
    expectApiError(await newKey(owner, account.id, { name: "elsewhere" }, null), 404, "not_found");
    expectApiError(await newKey(owner, randomUUID()), 404, "not_found");
  });

  it("its key survives its creator leaving the organization and deleting their account", async () => {
    const creator = await newUser("sa-creator");
    await addMember(sql, orgId, creator.user.id, "admin");
    const account = await newServiceAccount(creator, `outlives ${randomUUID().slice(0, 6)}`, "viewer");
    const { key } = await keyOf(creator, account.id);
    expect((await api("/api/v1/behavior-specs", { key })).status).toBe(200);

    await sql`delete from public.organization_members where organization_id = ${orgId} and user_id = ${creator.user.id}`;
    await outlastKeyCache();
    const afterLeaving = await api("/api/v1/me", { key });
    expect(afterLeaving.status, afterLeaving.text).toBe(200);
    expect(afterLeaving.body.data.organization.role).toBe("viewer");

    await gotrue(`/admin/users/${creator.user.id}`, { method: "DELETE" });
    await outlastKeyCache();
    expect((await api("/api/v1/behavior-specs", { key })).status).toBe(200);
    const listed = await api("/api/v1/organization/service-accounts?per_page=100", as(owner, slug));
    expect((listed.body.data as Json[]).find((a) => a.id === account.id)).toMatchObject({ created_by: null });
  });

  it("deleting it refuses its keys on the very next request, revokes them with their events, and answers 404 after", async () => {
    const account = await newServiceAccount(admin, `to delete ${randomUUID().slice(0, 6)}`);
    const one = await keyOf(admin, account.id, { name: "one" });
    const two = await keyOf(owner, account.id, { name: "two" });
    // Both fresh in this instance's memory.
    for (const { key } of [one, two]) expect((await api("/api/v1/me", { key })).status).toBe(200);

    const deleted = await api(`/api/v1/organization/service-accounts/${account.id}`, { method: "DELETE", ...as(owner, slug) });
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body.data).toMatchObject({ id: account.id, name: account.name });
    for (const { key } of [one, two]) expectApiError(await api("/api/v1/me", { key }), 403, "forbidden");

    const revoked = await sql<{ type: string; key_id: string | null; details: Json }[]>`
      select type, key_id, details from public.audit_events
      where organization_id = ${orgId} and type in ('key.revoked', 'service_account.deleted') and details->>'service_account_id' = ${account.id}
      order by occurred_at, id`;
    expect(revoked.filter((e) => e.type === "key.revoked").map((e) => [e.key_id, e.details.by]).sort()).toEqual(
      [[one.id, "owner"], [two.id, "owner"]].sort(),
    );
    // One transaction: the same occurred_at for all three.
    expect(revoked.find((e) => e.type === "service_account.deleted")).toMatchObject({ details: { revoked_keys: 2 } });
    const keys = await api("/api/v1/api-keys?per_page=100", as(owner, slug));
    expect((keys.body.data as Json[]).find((k) => k.id === one.id)?.revoked_at).not.toBeNull();

    expectApiError(await api(`/api/v1/organization/service-accounts/${account.id}`, { method: "DELETE", ...as(owner, slug) }), 404, "not_found");
    expectApiError(await newKey(owner, account.id), 404, "not_found");
  });
});
