// Scoped API keys against the running app and the real stack: a matrix generated from the
// contract (for every scope, a key holding only that scope against every operation), the
// RFC 6750 challenges, creating keys with scopes, narrowing (and never widening) them,
// `scopes_used` filling in after use without a write per request, and the migration that
// gave the keys made before it every scope.
import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  AUTH_CHALLENGE,
  INVALID_TOKEN_CHALLENGE,
  insufficientScopeChallenge,
  ORGANIZATION_HEADER,
  operations,
  SCOPES,
  type OperationDefinition,
  type Scope,
} from "@/lib/contract";

import * as stackConfig from "../../scripts/stack/config.ts";
import { api, eventually, type Call, type Json, type Res } from "../support/http";
import { outlastKeyCache } from "../support/key-cache";
import { addMember, createOrganization } from "../support/organizations";
import { createApiKey, sessionCookie } from "../support/session";
import { APP_URL, DATABASE_URL, newUser, uniqueEmail } from "../support/stack";

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

let user: Awaited<ReturnType<typeof newUser>>;
// Someone to remove from the user's personal workspace, and who makes organizations to leave.
let bystander: Awaited<ReturnType<typeof newUser>>;
let personalId: string;
let cookie: string;
const asSession = () => ({ cookie, origin: APP_URL });
beforeAll(async () => {
  [user, bystander] = await Promise.all([newUser("scopes"), newUser("scopes-bystander")]);
  cookie = sessionCookie(user.session);
  const [row] = await sql<{ id: string }[]>`select id from public.organizations where personal_for = ${user.user.id}`;
  personalId = row!.id;
});

const SPEC = { name: "scoped spec", examples: [{ input: "a", output: "b" }] };
async function newSpec(): Promise<string> {
  const res = await api("/api/v1/behavior-specs", { method: "POST", ...asSession(), json: SPEC });
  expect(res.status).toBe(201);
  return res.body.data.id as string;
}
const newDecoyKey = async () => (await createApiKey(user.session, "decoy")).id;
// What the organization's operations act on, in the user's personal workspace (SQL: the
// invitation and service-account flows have tests of their own).
const newInvitation = async () =>
  (await sql<{ id: string }[]>`
    insert into public.organization_invitations (organization_id, email, role, invited_by, token_hash, expires_at)
    values (${personalId}, ${uniqueEmail("invitee")}, 'developer', ${user.user.id}, ${randomBytes(32)}, now() + interval '7 days')
    returning id`)[0]!.id;
const newServiceAccount = async () =>
  (await sql<{ id: string }[]>`
    insert into public.service_accounts (organization_id, name, role, created_by) values (${personalId}, ${`sa ${randomUUID()}`}, 'developer', ${user.user.id})
    returning id`)[0]!.id;
const newTrustPolicy = async () =>
  (await sql<{ id: string }[]>`
    insert into public.service_account_trust_policies (organization_id, service_account_id, name, provider, issuer, audience, conditions, scopes)
    values (${personalId}, ${await newServiceAccount()}, 'matrix', 'github', 'https://token.actions.githubusercontent.com', ${APP_URL},
            ${sql.json({ repository_id: "1", repository_owner_id: "2" })}, '{specs:read}')
    returning id`)[0]!.id;
const GITHUB_CONDITIONS = { repository_id: "892734561", repository_owner_id: "1234567" };
const bystanderJoins = async () => {
  await sql`insert into public.organization_members (organization_id, user_id, role) values (${personalId}, ${bystander.user.id}, 'developer') on conflict do nothing`;
  return bystander.user.id;
};
/** An organization of the bystander's that the user is a developer of (to leave), named with the header when a session asks. */
const orgToLeave = async (auth: Auth): Promise<Call> => {
  const org = await createOrganization(bystander.session);
  await addMember(sql, org.id as string, user.user.id, "developer");
  return auth.key ? auth : { ...auth, headers: { [ORGANIZATION_HEADER]: org.slug as string } };
};
/** A fresh organization of the user's (to delete), named with the header when a session asks. */
const orgToDelete = async (auth: Auth): Promise<[Call, string]> => {
  const org = await createOrganization(user.session);
  return [auth.key ? auth : { ...auth, headers: { [ORGANIZATION_HEADER]: org.slug as string } }, org.slug as string];
};

/**
 * One request per operation of the contract, as a valid call with these credentials would
 * make it. Every operation must have one: a new operation fails this file until it is added.
 */
type Auth = Pick<Call, "key" | "cookie" | "origin">;
const CALLS: Partial<Record<keyof typeof operations, (auth: Auth) => Promise<Res>>> = {
  getHealth: (auth) => api("/api/v1/health", auth),
  getOpenApiDocument: (auth) => api("/api/v1/openapi.json", auth),
  getMe: (auth) => api("/api/v1/me", auth),
  listApiKeys: (auth) => api("/api/v1/api-keys", auth),
  createApiKey: (auth) => api("/api/v1/api-keys", { method: "POST", ...auth, json: { name: "child" } }),
  updateApiKey: async (auth) => api(`/api/v1/api-keys/${await newDecoyKey()}`, { method: "PATCH", ...auth, json: { name: "renamed" } }),
  revokeApiKey: async (auth) => api(`/api/v1/api-keys/${await newDecoyKey()}`, { method: "DELETE", ...auth }),
  rollApiKey: async (auth) => api(`/api/v1/api-keys/${await newDecoyKey()}/roll`, { method: "POST", ...auth, json: { grace_seconds: 0 } }),
  revokeCredentials: (auth) => api("/api/v1/credentials/revoke", { method: "POST", ...auth, json: { credentials: ["tt_not-a-key"] } }),
  // Unsigned: 401 whoever sends it (tests/integration/key-leaks.test.ts signs reports).
  reportGitHubSecretScanning: (auth) => api("/api/v1/secret-scanning/github", { method: "POST", ...auth, json: [] }),
  createDeviceCode: (auth) => api("/api/v1/cli/device-codes", { method: "POST", ...auth, json: { client: { hostname: "h", os: "linux", version: "0" } } }),
  // An unknown device code: 400 invalid_grant whoever polls (tests/cli/device-login.test.ts approves some).
  exchangeDeviceCode: (auth) => api("/api/v1/cli/token", { method: "POST", ...auth, json: { device_code: "unknown" } }),
  getApiKeyUsage: async (auth) => api(`/api/v1/api-keys/${await newDecoyKey()}/usage`, auth),
  listAuditEvents: (auth) => api("/api/v1/audit-events", auth),
  listBehaviorSpecs: (auth) => api("/api/v1/behavior-specs", auth),
  createBehaviorSpec: (auth) => api("/api/v1/behavior-specs", { method: "POST", ...auth, json: SPEC }),
  getBehaviorSpec: async (auth) => api(`/api/v1/behavior-specs/${await newSpec()}`, auth),
  updateBehaviorSpec: async (auth) => api(`/api/v1/behavior-specs/${await newSpec()}`, { method: "PATCH", ...auth, json: { name: "changed" } }),
  deleteBehaviorSpec: async (auth) => api(`/api/v1/behavior-specs/${await newSpec()}`, { method: "DELETE", ...auth }),
  listOrganizations: (auth) => api("/api/v1/organizations", auth),
  createOrganization: (auth) => api("/api/v1/organizations", { method: "POST", ...auth, json: { name: "Scoped" } }),
  getOrganization: (auth) => api("/api/v1/organization", auth),
  updateOrganization: (auth) => api("/api/v1/organization", { method: "PATCH", ...auth, json: { name: "Personal" } }),
  deleteOrganization: async (auth) => {
    const [call, slug] = await orgToDelete(auth);
    return api("/api/v1/organization", { method: "DELETE", ...call, json: { confirm: slug } });
  },
  getOrganizationPolicy: (auth) => api("/api/v1/organization/policy", auth),
  updateOrganizationPolicy: (auth) => api("/api/v1/organization/policy", { method: "PATCH", ...auth, json: { max_key_lifetime_days: null } }),
  listMembers: (auth) => api("/api/v1/organization/members", auth),
  updateMember: (auth) => api(`/api/v1/organization/members/${user.user.id}`, { method: "PATCH", ...auth, json: { role: "owner" } }),
  removeMember: async (auth) => api(`/api/v1/organization/members/${await bystanderJoins()}`, { method: "DELETE", ...auth }),
  leaveOrganization: async (auth) => api("/api/v1/organization/membership", { method: "DELETE", ...(await orgToLeave(auth)) }),
  listInvitations: (auth) => api("/api/v1/organization/invitations", auth),
  // In a personal workspace: 409 past every check of the credential (see ALLOWED_STATUS).
  createInvitation: (auth) => api("/api/v1/organization/invitations", { method: "POST", ...auth, json: { email: uniqueEmail("invited"), role: "developer" } }),
  revokeInvitation: async (auth) => api(`/api/v1/organization/invitations/${await newInvitation()}`, { method: "DELETE", ...auth }),
  // An unknown token: 404 for the session (see ALLOWED_STATUS).
  acceptInvitation: (auth) => api("/api/v1/invitations/accept", { method: "POST", ...auth, json: { token: "A".repeat(43) } }),
  listServiceAccounts: (auth) => api("/api/v1/organization/service-accounts", auth),
  createServiceAccount: (auth) => api("/api/v1/organization/service-accounts", { method: "POST", ...auth, json: { name: `sa ${randomUUID()}` } }),
  deleteServiceAccount: async (auth) => api(`/api/v1/organization/service-accounts/${await newServiceAccount()}`, { method: "DELETE", ...auth }),
  createServiceAccountKey: async (auth) =>
    api(`/api/v1/organization/service-accounts/${await newServiceAccount()}/keys`, { method: "POST", ...auth, json: { name: "sa key", scopes: ["specs:read"] } }),
  listTrustPolicies: async (auth) => api(`/api/v1/organization/service-accounts/${await newServiceAccount()}/trust-policies`, auth),
  createTrustPolicy: async (auth) =>
    api(`/api/v1/organization/service-accounts/${await newServiceAccount()}/trust-policies`, {
      method: "POST",
      ...auth,
      json: { name: "matrix", provider: "github", conditions: GITHUB_CONDITIONS, scopes: ["specs:read"] },
    }),
  updateTrustPolicy: async (auth) => api(`/api/v1/organization/trust-policies/${await newTrustPolicy()}`, { method: "PATCH", ...auth, json: { name: "renamed" } }),
  deleteTrustPolicy: async (auth) => api(`/api/v1/organization/trust-policies/${await newTrustPolicy()}`, { method: "DELETE", ...auth }),
  testTrustPolicies: (auth) => api("/api/v1/organization/trust-policies/test", { method: "POST", ...auth, json: { claims: { iss: "https://token.actions.githubusercontent.com" } } }),
  // A token that is not a JWT: 400 invalid_grant whoever sends it (tests/integration/token-exchange.test.ts signs real ones).
  exchangeToken: (auth) =>
    api("/api/v1/oauth/token", {
      method: "POST",
      ...auth,
      json: { grant_type: "urn:ietf:params:oauth:grant-type:token-exchange", subject_token: "not-a-jwt", subject_token_type: "urn:ietf:params:oauth:token-type:id_token" },
    }),
};
/**
 * What an allowed call answers when it is not the operation's success: inviting into a
 * personal workspace (one member, 409) and accepting an unknown token (404), both past every
 * check of the credential.
 */
const ALLOWED_STATUS: Partial<Record<keyof typeof operations, number>> = { createInvitation: 409, acceptInvitation: 404 };
/** What a call answers whoever makes it: an unsigned report 401, an unknown device code 400. */
const publicStatus = (id: keyof typeof operations, op: OperationDefinition) =>
  id === "reportGitHubSecretScanning" ? 401 : id === "exchangeDeviceCode" || id === "exchangeToken" ? 400 : (ALLOWED_STATUS[id] ?? op.response.status);
const ENTRIES = Object.entries(operations) as [keyof typeof operations, OperationDefinition][];

const expectInsufficientScope = (res: Res, needed: Scope, where = "") => {
  expect(res.status, where).toBe(403);
  expect(res.body, where).toEqual({ error: { code: "forbidden", message: expect.stringContaining(needed) } });
  expect(res.headers.get("www-authenticate"), where).toBe(insufficientScopeChallenge(needed));
};

describe("the matrix, generated from the contract", () => {
  it("has a call for every operation", () => {
    expect(Object.keys(CALLS).sort()).toEqual(Object.keys(operations).sort());
  });

  it("names a scope (or none) for every operation; the issue's table", () => {
    const scopes = Object.fromEntries(Object.entries(operations).map(([id, op]) => [id, (op as OperationDefinition).scope]));
    expect(scopes).toEqual({
      getHealth: null,
      getOpenApiDocument: null,
      getMe: null,
      listApiKeys: "keys:read",
      createApiKey: null,
      updateApiKey: null,
      revokeApiKey: "keys:write",
      rollApiKey: null,
      revokeCredentials: null,
      reportGitHubSecretScanning: null,
      createDeviceCode: null,
      exchangeDeviceCode: null,
      getApiKeyUsage: "activity:read",
      listAuditEvents: "activity:read",
      listBehaviorSpecs: "specs:read",
      createBehaviorSpec: "specs:write",
      getBehaviorSpec: "specs:read",
      updateBehaviorSpec: "specs:write",
      deleteBehaviorSpec: "specs:write",
      listOrganizations: null,
      createOrganization: null,
      getOrganization: null,
      updateOrganization: "org:write",
      deleteOrganization: "org:write",
      getOrganizationPolicy: "members:read",
      updateOrganizationPolicy: "org:write",
      listMembers: "members:read",
      updateMember: "members:write",
      removeMember: "members:write",
      leaveOrganization: null,
      listInvitations: "members:write",
      createInvitation: "members:write",
      revokeInvitation: "members:write",
      acceptInvitation: null,
      listServiceAccounts: "members:read",
      createServiceAccount: "members:write",
      deleteServiceAccount: "members:write",
      createServiceAccountKey: "members:write",
      listTrustPolicies: "members:write",
      createTrustPolicy: "members:write",
      updateTrustPolicy: "members:write",
      deleteTrustPolicy: "members:write",
      testTrustPolicies: "members:write",
      exchangeToken: null,
    });
  });

  for (const held of SCOPES) {
    it(`a key with only ${held}: 403 insufficient_scope wherever another scope is needed, success on its own and on none`, async () => {
      const { key, scopes } = await createApiKey(user.session, `only ${held}`, undefined, [held]);
      expect(scopes).toEqual([held]);
      for (const [id, op] of ENTRIES) {
        const res = await CALLS[id]!({ key });
        const where = `${held} → ${id} (${op.method} ${op.path})`;
        if (op.credentials.length === 0) {
          // Public: the key plays no part (an unsigned scanning report is 401 for anyone).
          expect(res.status, where).toBe(publicStatus(id, op));
        } else if (!op.credentials.includes("api_key")) {
          // Session-only (creating and changing keys): no key may, whatever its scopes.
          expect(res.status, where).toBe(403);
          expect(res.body.error.code, where).toBe("forbidden");
          expect(res.headers.get("www-authenticate"), where).toBeNull();
        } else if (op.scope === null || op.scope === held) {
          expect(res.status, `${where}: ${res.text.slice(0, 200)}`).toBe(ALLOWED_STATUS[id] ?? op.response.status);
        } else {
          expectInsufficientScope(res, op.scope, where);
        }
      }
      // The key still works afterwards (it was not revoked by its own matrix).
      expect((await api("/api/v1/me", { key })).status).toBe(200);
    });
  }

  it("a session in its personal workspace (its owner) has every scope", async () => {
    for (const [id, op] of ENTRIES) {
      const res = await CALLS[id]!(asSession());
      expect(res.status, `session → ${id}: ${res.text.slice(0, 200)}`).toBe(publicStatus(id, op));
    }
  });

  it("checks the scope before the input and before looking anything up", async () => {
    const { key } = await createApiKey(user.session, "keys only", undefined, ["keys:read"]);
    expectInsufficientScope(await api("/api/v1/behavior-specs", { method: "POST", key, json: { nonsense: true } }), "specs:write");
    expectInsufficientScope(await api(`/api/v1/behavior-specs/${randomUUID()}`, { key }), "specs:read");
    expectInsufficientScope(await api("/api/v1/behavior-specs/not-a-uuid", { method: "DELETE", key }), "specs:write");
    expectInsufficientScope(await api("/api/v1/behavior-specs?per_page=0", { key }), "specs:read");
  });
});

describe("challenges (RFC 6750)", () => {
  it("a 401 without credentials names the realm; a refused credential adds invalid_token", async () => {
    const none = await api("/api/v1/behavior-specs");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe(AUTH_CHALLENGE);
    const { key, id } = await createApiKey(user.session, "challenged");
    const refused = [
      await api("/api/v1/me", { key: "tt_not-a-key" }),
      await api("/api/v1/me", { key: `tt_${"a".repeat(43)}000000` }),
      await api("/api/v1/me", { headers: { authorization: "Basic dXNlcjpwYXNz" } }),
      await api("/api/v1/me", { cookie: sessionCookie({ ...user.session, access_token: "not-a-jwt" }) }),
    ];
    await sql`update api_keys set created_at = now() - interval '2 seconds', expires_at = now() - interval '1 second' where id = ${id}`;
    refused.push(await api("/api/v1/me", { key }));
    for (const res of refused) {
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe(INVALID_TOKEN_CHALLENGE);
    }
  });

  it("a revoked key stays 403 \"API key revoked\", whatever the scope", async () => {
    const { key, id } = await createApiKey(user.session, "revoked", undefined, ["specs:read"]);
    await api(`/api/v1/api-keys/${id}`, { method: "DELETE", ...asSession() });
    for (const path of ["/api/v1/me", "/api/v1/behavior-specs", "/api/v1/api-keys"]) {
      const res = await api(path, { key });
      expect(res.status).toBe(403);
      expect(res.body.error).toEqual({ code: "forbidden", message: "API key revoked" });
      expect(res.headers.get("www-authenticate")).toBeNull();
    }
  });
});

describe("creating a key with scopes", () => {
  it("omitted means every scope; given ones are kept in the contract's order; /me and the list show them", async () => {
    const full = await createApiKey(user.session, "full");
    expect(full.scopes).toEqual([...SCOPES]);
    expect(full.scopes_used).toEqual([]);
    const some = await createApiKey(user.session, "some", undefined, ["keys:read", "specs:read"]);
    expect(some.scopes).toEqual(["specs:read", "keys:read"]);
    const me = await api("/api/v1/me", { key: some.key });
    expect(me.body.data.authentication).toEqual({ method: "api_key", key_id: some.id, key_prefix: some.key_prefix, scopes: ["specs:read", "keys:read"], scopes_used: [] });
    const listed = (await api("/api/v1/api-keys?per_page=100", { key: some.key })).body.data as Json[];
    expect(listed.find((k) => k.id === some.id)).toMatchObject({ scopes: ["specs:read", "keys:read"], scopes_used: expect.any(Array) });
    const [row] = await sql`select scopes from api_keys where id = ${some.id}`;
    expect(row?.scopes).toEqual(["specs:read", "keys:read"]);
  });

  it("refuses an empty list, unknown, repeated or malformed scopes, naming the field", async () => {
    for (const scopes of [[], ["admin"], ["specs:read", "specs:read"], "specs:read", [null], ["SPECS:READ"]]) {
      const res = await api("/api/v1/api-keys", { method: "POST", ...asSession(), json: { name: "bad scopes", scopes } });
      expect(res.status, JSON.stringify(scopes)).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
      expect((res.body.error.details as Json[]).map((d) => d.path).join(" "), JSON.stringify(scopes)).toMatch(/^scopes/);
    }
  });
});

describe("changing a key: PATCH /api/v1/api-keys/:id (session only)", () => {
  const patch = (id: string, body: unknown, auth: Record<string, string> = asSession()) => api(`/api/v1/api-keys/${id}`, { method: "PATCH", ...auth, json: body });

  it("narrows a key: from then on it is refused what it lost", async () => {
    const { key, id } = await createApiKey(user.session, "to narrow");
    expect((await api("/api/v1/behavior-specs", { method: "POST", key, json: SPEC })).status).toBe(201);
    const res = await patch(id, { scopes: ["specs:read"] });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id, name: "to narrow", scopes: ["specs:read"] });
    expect((await api("/api/v1/behavior-specs", { key })).status).toBe(200);
    expectInsufficientScope(await api("/api/v1/behavior-specs", { method: "POST", key, json: SPEC }), "specs:write");
    expectInsufficientScope(await api("/api/v1/api-keys", { key }), "keys:read");
  });

  it("renames a key, keeping its scopes; the same scopes again is fine", async () => {
    const { id } = await createApiKey(user.session, "old name", undefined, ["specs:read", "keys:read"]);
    const renamed = await patch(id, { name: "new name" });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data).toMatchObject({ name: "new name", scopes: ["specs:read", "keys:read"] });
    const same = await patch(id, { scopes: ["keys:read", "specs:read"] });
    expect(same.status).toBe(200);
    expect(same.body.data.scopes).toEqual(["specs:read", "keys:read"]);
  });

  it("refuses widening with 400, and changes nothing — not even the name sent with it", async () => {
    const { key, id } = await createApiKey(user.session, "narrow one", undefined, ["specs:read"]);
    const res = await patch(id, { name: "sneaky", scopes: ["specs:read", "specs:write"] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_error");
    expect(res.body.error.message).toMatch(/can only be narrowed/i);
    expect(res.body.error.message).toContain("specs:write");
    expect(res.body.error.details).toEqual([{ path: "scopes", message: expect.stringMatching(/narrowed/) }]);
    const [row] = await sql`select name, scopes from api_keys where id = ${id}`;
    expect(row).toEqual({ name: "narrow one", scopes: ["specs:read"] });
    expectInsufficientScope(await api("/api/v1/behavior-specs", { method: "POST", key, json: SPEC }), "specs:write");
    // Even written straight into the database, a widening is refused.
    await expect(sql`update api_keys set scopes = array['specs:read', 'specs:write'] where id = ${id}`).rejects.toThrow(/only be narrowed/);
  });

  it("is session only: no key may change a key, not even with keys:write", async () => {
    const { key, id } = await createApiKey(user.session, "changer");
    const res = await patch(id, { scopes: ["specs:read"] }, { key });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/cannot change API keys/);
    const [row] = await sql`select scopes from api_keys where id = ${id}`;
    expect(row?.scopes).toEqual([...SCOPES]);
  });

  it("404 for another's key or an unknown id; 400 for an empty or malformed body; 403 cross-site", async () => {
    const other = await newUser("scopes-other");
    const theirs = await createApiKey(other.session, "theirs");
    expect((await patch(theirs.id, { scopes: ["specs:read"] })).status).toBe(404);
    expect((await patch(randomUUID(), { name: "x" })).status).toBe(404);
    const [row] = await sql`select scopes from api_keys where id = ${theirs.id}`;
    expect(row?.scopes).toEqual([...SCOPES]);
    const { id } = await createApiKey(user.session, "bodies");
    for (const body of [{}, { scopes: [] }, { scopes: ["nope"] }, { name: "" }, { admin: true }]) {
      const res = await patch(id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
    }
    expect((await patch(id, { name: "csrf" }, { cookie, origin: "https://evil.example" })).status).toBe(403);
    // A revoked key is gone as far as changes go.
    await api(`/api/v1/api-keys/${id}`, { method: "DELETE", ...asSession() });
    const revoked = await patch(id, { name: "after revocation" });
    expect(revoked.status).toBe(404);
    expect(revoked.body.error.code).toBe("not_found");
  });
});

describe("scopes_used", () => {
  const listed = async (key: string, id: string) =>
    ((await api("/api/v1/api-keys?per_page=100", { cookie })).body.data as Json[]).find((k) => k.id === id) ?? {};
  // What a minute later looks like, without waiting a minute: the row's last write moves
  // back (outside the app, so the instance sees it once its copy of the row runs out, T).
  const aMinuteLater = async (id: string) => {
    await sql`update api_keys set last_used_at = now() - interval '2 minutes' where id = ${id}`;
    await outlastKeyCache();
  };

  it("fills in after use, with last_used_at, and shows in the list and in /me", async () => {
    const { key, id } = await createApiKey(user.session, "usage", undefined, ["specs:read", "specs:write", "keys:read"]);
    expect((await api("/api/v1/behavior-specs", { key })).status).toBe(200);
    await eventually(() => listed(key, id), (k) => JSON.stringify(k.scopes_used) === JSON.stringify(["specs:read"]));
    await aMinuteLater(id);
    expect((await api("/api/v1/api-keys", { key })).status).toBe(200);
    const after = await eventually(() => listed(key, id), (k) => JSON.stringify(k.scopes_used) === JSON.stringify(["specs:read", "keys:read"]));
    expect(after.last_used_at).toEqual(expect.any(String));
    // /me reads the key's row as this instance last looked it up: within T of the write.
    const me = await eventually(() => api("/api/v1/me", { key }), (res) => res.body.data?.authentication?.scopes_used?.length === 2, { everyMs: 100 });
    expect(me.body.data.authentication).toMatchObject({ scopes: ["specs:read", "specs:write", "keys:read"], scopes_used: ["specs:read", "keys:read"] });
  });

  it("is written at most once a minute per key, never once per request", async () => {
    const { key, id } = await createApiKey(user.session, "burst", undefined, ["specs:read", "specs:write", "keys:read"]);
    expect((await api("/api/v1/behavior-specs", { key })).status).toBe(200);
    await eventually(() => listed(key, id), (k) => k.last_used_at !== null && (k.scopes_used as string[]).length === 1);
    const version = async () => (await sql`select xmin::text as v, scope_last_used from api_keys where id = ${id}`)[0]!;
    const before = await version();
    for (let i = 0; i < 10; i++) {
      expect((await api("/api/v1/behavior-specs", { key })).status).toBe(200);
      expect((await api("/api/v1/api-keys", { key })).status).toBe(200);
      expect((await api("/api/v1/me", { key })).status).toBe(200);
    }
    // Give any write that would have been scheduled after those responses time to land.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = await version();
    expect(after.v).toBe(before.v);
    expect(Object.keys(after.scope_last_used as Json)).toEqual(["specs:read"]);
  });

  it("ages out after 30 days", async () => {
    const { key, id } = await createApiKey(user.session, "old use", undefined, ["specs:read", "keys:read"]);
    await sql`update api_keys set scope_last_used = ${sql.json({ "specs:read": new Date(Date.now() - 31 * 86_400_000).toISOString(), "keys:read": new Date().toISOString() })} where id = ${id}`;
    expect((await listed(key, id)).scopes_used).toEqual(["keys:read"]);
  });
});

describe("the migration", () => {
  it("gives every key made before it every scope; refuses keys without scopes or with unknown ones", async () => {
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const dir = `${root}supabase/migrations`;
    const files = readdirSync(dir).filter((f) => f.endsWith(".sql")).sort();
    const mine = files.findIndex((f) => f.endsWith("_api_key_scopes.sql"));
    expect(mine).toBeGreaterThan(0);
    // A scratch database on the stack's Postgres (directly, not through a pooler), with the
    // auth schema and the migrations before this one; then this one.
    const name = `tt_scopes_migration_${randomUUID().slice(0, 8)}`;
    const admin = postgres(stackConfig.DATABASE_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(stackConfig.DATABASE_URL);
    url.pathname = `/${name}`;
    const scratch = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      await scratch.unsafe(readFileSync(`${root}auth-server/src/schema.sql`, "utf8"));
      for (const file of files.slice(0, mine)) await scratch.unsafe(readFileSync(`${dir}/${file}`, "utf8"));
      const userId = randomUUID();
      await scratch`insert into auth.users (id, email) values (${userId}, 'old@test.tunedtensor.local')`;
      await scratch`insert into public.api_keys (user_id, name, key_prefix, key_hash) values (${userId}, 'made before', 'tt_abcdefgh', ${Buffer.alloc(32, 1)})`;
      await scratch.unsafe(readFileSync(`${dir}/${files[mine]}`, "utf8"));
      const [old] = await scratch`select scopes, scope_last_used from public.api_keys`;
      // Every scope there was then (activity:read came later, and was given to no existing key).
      const then = ["specs:read", "specs:write", "keys:read", "keys:write"];
      expect(old).toEqual({ scopes: then, scope_last_used: {} });
      // No default: a key inserted without its scopes is refused, not given everything.
      await expect(scratch`insert into public.api_keys (user_id, name, key_prefix, key_hash) values (${userId}, 'new', 'tt_abcdefgi', ${Buffer.alloc(32, 2)})`).rejects.toThrow(/null value/);
      // Array literals, as Postgres writes them.
      const insert = (scopes: string) =>
        scratch`insert into public.api_keys (user_id, name, key_prefix, key_hash, scopes) values (${userId}, 'k', 'tt_abcdefgj', ${Buffer.alloc(32, 3)}, ${scopes}::text[])`;
      for (const bad of ["{}", "{admin}", "{specs:read,specs:read}", "{NULL}", "{{specs:read}}"]) await expect(insert(bad), bad).rejects.toThrow(/check constraint/);
      // The later migrations: the key made before keeps exactly its four scopes (no widening),
      // and the database's list is the contract's.
      for (const file of files.slice(mine + 1)) await scratch.unsafe(readFileSync(`${dir}/${file}`, "utf8"));
      const [after] = await scratch`select scopes from public.api_keys where name = 'made before'`;
      expect(after).toEqual({ scopes: then });
      // (Keys belong to an organization since 20261207000100_organizations.sql: the user's personal workspace.)
      await scratch`insert into public.api_keys (organization_id, user_id, name, key_prefix, key_hash, scopes)
        select id, ${userId}, 'k', 'tt_abcdefgj', ${Buffer.alloc(32, 3)}, ${`{${SCOPES.join(",")}}`}::text[] from public.organizations where personal_for = ${userId}`;
      const [all] = await scratch`select count(*)::int as n from public.api_keys where name = 'k'`;
      expect(all?.n).toBe(1);
    } finally {
      await scratch.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    }
  });
});
