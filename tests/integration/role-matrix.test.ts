// The role × operation matrix, generated from the contract: for every role (a member of a
// fresh organization of their own with that role) and every operation of lib/contract, with
// two credentials — a session naming the organization with Tt-Organization, and a member's
// key holding every scope the role allows — the outcome the contract implies (the
// operation's credentials, its scope against ROLE_SCOPES) is checked against the running app.
// "Allowed" means past authorization: the calls are made cheap and harmless (unknown ids, a
// wrong confirmation, changes to what already is), so a 404, 400 or 409 is allowed; only a
// 403 is refused. A new operation fails this file until it has a call below.
import { randomUUID } from "node:crypto";

import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { operations, ROLE_SCOPES, ROLES, type OperationDefinition, type Role } from "@/lib/contract";

import { api, type Call, type Json, type Res } from "../support/http";
import { addMember, createKeyIn, createOrganization, inOrg, uniqueSlug } from "../support/organizations";
import { DATABASE_URL, newUser, uniqueEmail } from "../support/stack";

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

type OperationId = keyof typeof operations;
type Credential = "session" | "api_key";
const CREDENTIALS: readonly Credential[] = ["api_key", "session"];
const ENTRIES = Object.entries(operations) as [OperationId, OperationDefinition][];

/**
 * The one rule a scope does not say: deleting an organization is for owners (org:write is
 * an admin's too, for renaming and policies).
 */
const OWNER_ONLY: ReadonlySet<OperationId> = new Set(["deleteOrganization"]);

/** What the contract says `role` gets with `credential` for an operation. */
function expected(role: Role, id: OperationId, op: OperationDefinition, credential: Credential): "allowed" | "refused" {
  if (op.credentials.length === 0) return "allowed";
  if (!op.credentials.includes(credential)) return "refused";
  // A session has its role's scopes; the key was made with all of them (the default policy
  // lets member keys hold every scope).
  if (op.scope !== null && !ROLE_SCOPES[role].includes(op.scope)) return "refused";
  if (OWNER_ONLY.has(id) && role !== "owner") return "refused";
  return "allowed";
}

type Fixture = { role: Role; org: Json; session: object; key: string; bystander: string };
const SPEC = { name: "matrix spec", examples: [{ input: "a", output: "b" }] };
const unknownId = () => randomUUID();

/** One cheap, harmless request per operation of the contract. */
const CALLS: Record<OperationId, (auth: Call, f: Fixture) => Promise<Res>> = {
  getHealth: (auth) => api("/api/v1/health", auth),
  getOpenApiDocument: (auth) => api("/api/v1/openapi.json", auth),
  getMe: (auth) => api("/api/v1/me", auth),
  listApiKeys: (auth) => api("/api/v1/api-keys", auth),
  createApiKey: (auth) => api("/api/v1/api-keys", { method: "POST", ...auth, json: { name: "matrix child" } }),
  updateApiKey: (auth) => api(`/api/v1/api-keys/${unknownId()}`, { method: "PATCH", ...auth, json: { name: "renamed" } }),
  revokeApiKey: (auth) => api(`/api/v1/api-keys/${unknownId()}`, { method: "DELETE", ...auth }),
  rollApiKey: (auth) => api(`/api/v1/api-keys/${unknownId()}/roll`, { method: "POST", ...auth, json: { grace_seconds: 0 } }),
  revokeCredentials: (auth) => api("/api/v1/credentials/revoke", { method: "POST", ...auth, json: { credentials: ["tt_not-a-key"] } }),
  reportGitHubSecretScanning: (auth) => api("/api/v1/secret-scanning/github", { method: "POST", ...auth, json: [] }),
  createDeviceCode: (auth) => api("/api/v1/cli/device-codes", { method: "POST", ...auth, json: { client: { hostname: "h", os: "linux", version: "0" } } }),
  exchangeDeviceCode: (auth) => api("/api/v1/cli/token", { method: "POST", ...auth, json: { device_code: "unknown" } }),
  getApiKeyUsage: (auth) => api(`/api/v1/api-keys/${unknownId()}/usage`, auth),
  listAuditEvents: (auth) => api("/api/v1/audit-events", auth),
  listBehaviorSpecs: (auth) => api("/api/v1/behavior-specs", auth),
  createBehaviorSpec: (auth) => api("/api/v1/behavior-specs", { method: "POST", ...auth, json: SPEC }),
  getBehaviorSpec: (auth) => api(`/api/v1/behavior-specs/${unknownId()}`, auth),
  updateBehaviorSpec: (auth) => api(`/api/v1/behavior-specs/${unknownId()}`, { method: "PATCH", ...auth, json: { name: "changed" } }),
  deleteBehaviorSpec: (auth) => api(`/api/v1/behavior-specs/${unknownId()}`, { method: "DELETE", ...auth }),
  listOrganizations: (auth) => api("/api/v1/organizations", auth),
  createOrganization: (auth) => api("/api/v1/organizations", { method: "POST", ...auth, json: { name: "Matrix", slug: uniqueSlug("matrix") } }),
  getOrganization: (auth) => api("/api/v1/organization", auth),
  updateOrganization: (auth, f) => api("/api/v1/organization", { method: "PATCH", ...auth, json: { name: f.org.name } }),
  // The wrong slug: an owner gets 400, never a deleted fixture.
  deleteOrganization: (auth) => api("/api/v1/organization", { method: "DELETE", ...auth, json: { confirm: "not-this-one" } }),
  getOrganizationPolicy: (auth) => api("/api/v1/organization/policy", auth),
  updateOrganizationPolicy: (auth) => api("/api/v1/organization/policy", { method: "PATCH", ...auth, json: { key_creator_roles: [...ROLES] } }),
  listMembers: (auth) => api("/api/v1/organization/members", auth),
  updateMember: (auth, f) => api(`/api/v1/organization/members/${f.bystander}`, { method: "PATCH", ...auth, json: { role: "developer" } }),
  removeMember: (auth) => api(`/api/v1/organization/members/${unknownId()}`, { method: "DELETE", ...auth }),
  // Run last of its column: the member leaves (and their keys with them); put back afterwards.
  leaveOrganization: (auth) => api("/api/v1/organization/membership", { method: "DELETE", ...auth }),
  listInvitations: (auth) => api("/api/v1/organization/invitations", auth),
  createInvitation: (auth) => api("/api/v1/organization/invitations", { method: "POST", ...auth, json: { email: uniqueEmail("matrix-invitee"), role: "viewer" } }),
  revokeInvitation: (auth) => api(`/api/v1/organization/invitations/${unknownId()}`, { method: "DELETE", ...auth }),
  acceptInvitation: (auth) => api("/api/v1/invitations/accept", { method: "POST", ...auth, json: { token: "A".repeat(43) } }),
  listServiceAccounts: (auth) => api("/api/v1/organization/service-accounts", auth),
  createServiceAccount: (auth) => api("/api/v1/organization/service-accounts", { method: "POST", ...auth, json: { name: `matrix ${randomUUID()}`, role: "viewer" } }),
  deleteServiceAccount: (auth) => api(`/api/v1/organization/service-accounts/${unknownId()}`, { method: "DELETE", ...auth }),
  createServiceAccountKey: (auth) => api(`/api/v1/organization/service-accounts/${unknownId()}/keys`, { method: "POST", ...auth, json: { name: "sa key" } }),
  listTrustPolicies: (auth) => api(`/api/v1/organization/service-accounts/${unknownId()}/trust-policies`, auth),
  createTrustPolicy: (auth) =>
    api(`/api/v1/organization/service-accounts/${unknownId()}/trust-policies`, {
      method: "POST",
      ...auth,
      json: { name: "matrix", provider: "github", conditions: { repository_id: "1", repository_owner_id: "2" } },
    }),
  updateTrustPolicy: (auth) => api(`/api/v1/organization/trust-policies/${unknownId()}`, { method: "PATCH", ...auth, json: { name: "renamed" } }),
  deleteTrustPolicy: (auth) => api(`/api/v1/organization/trust-policies/${unknownId()}`, { method: "DELETE", ...auth }),
  testTrustPolicies: (auth) => api("/api/v1/organization/trust-policies/test", { method: "POST", ...auth, json: { claims: { iss: "https://gitlab.com" } } }),
  exchangeToken: (auth) =>
    api("/api/v1/oauth/token", {
      method: "POST",
      ...auth,
      json: { grant_type: "urn:ietf:params:oauth:grant-type:token-exchange", subject_token: "not-a-jwt", subject_token_type: "urn:ietf:params:oauth:token-type:jwt" },
    }),
};
const LAST: OperationId = "leaveOrganization";
const ORDERED = [...ENTRIES.filter(([id]) => id !== LAST), ...ENTRIES.filter(([id]) => id === LAST)];

const SIZE = `${ROLES.length} roles × ${ENTRIES.length} operations × ${CREDENTIALS.length} credentials = ${ROLES.length * ENTRIES.length * CREDENTIALS.length} cases`;

let founder: Awaited<ReturnType<typeof newUser>>;
let bystander: Awaited<ReturnType<typeof newUser>>;
const fixtures = new Map<Role, Fixture>();
beforeAll(async () => {
  [founder, bystander] = await Promise.all([newUser("matrix-founder"), newUser("matrix-bystander")]);
  // A fresh organization per role, made by its founder (an owner, so the subject — a second
  // owner for "owner" — is never the last); every role may make keys there.
  await Promise.all(
    ROLES.map(async (role) => {
      const subject = await newUser(`matrix-${role}`);
      const org = await createOrganization(founder.session, uniqueSlug(`matrix-${role}`));
      await addMember(sql, org.id, subject.user.id, role);
      await addMember(sql, org.id, bystander.user.id, "developer");
      const policy = await api("/api/v1/organization/policy", { method: "PATCH", ...inOrg(founder.session, org.slug), json: { key_creator_roles: [...ROLES] } });
      expect(policy.status, policy.text).toBe(200);
      const made = await createKeyIn(subject.session, org.slug);
      expect(made.scopes, role).toEqual([...ROLE_SCOPES[role]]);
      fixtures.set(role, { role, org, session: subject.session, key: made.key, bystander: bystander.user.id });
    }),
  );
}, 60_000);

const tally = new Map<string, { allowed: number; refused: number }>();

describe(`the role × operation matrix: ${SIZE}`, () => {
  it("has a call for every operation of the contract", () => {
    expect(Object.keys(CALLS).sort()).toEqual(Object.keys(operations).sort());
  });

  for (const role of ROLES) {
    for (const credential of CREDENTIALS) {
      it(`${role} × ${credential === "session" ? "session (Tt-Organization)" : "member key, every scope of the role"} × ${ENTRIES.length} operations`, async () => {
        const f = fixtures.get(role)!;
        const auth: Call = credential === "session" ? inOrg(f.session, f.org.slug) : { key: f.key };
        const wrong: string[] = [];
        for (const [id, op] of ORDERED) {
          const want = expected(role, id, op, credential);
          const res = await CALLS[id](auth, f);
          const got = res.status === 403 ? "refused" : "allowed";
          const count = tally.get(`${role} ${credential}`) ?? { allowed: 0, refused: 0 };
          count[want] += 1;
          tally.set(`${role} ${credential}`, count);
          // A 401 or a 5xx would mean the credential or the app broke, not the rule.
          const broken = res.status >= 500 || (res.status === 401 && op.credentials.length > 0);
          if (got !== want || broken) wrong.push(`${id} (${op.method} ${op.path}): expected ${want}, got ${res.status} ${res.text.slice(0, 160)}`);
          if (got === "refused") expect(res.body.error?.code, id).toBe("forbidden");
        }
        expect(wrong, `${role} × ${credential}`).toEqual([]);
        if (credential === "session") {
          // The subject left, last of the column: their membership is gone.
          const [member] = await sql`select role from public.organization_members where organization_id = ${f.org.id} and user_id = ${(f.session as { user: { id: string } }).user.id}`;
          expect(member).toBeUndefined();
        }
      });
    }
  }

  it("prints the matrix", () => {
    const lines = [...tally].map(([row, { allowed, refused }]) => `${row.padEnd(18)} allowed ${String(allowed).padStart(2)}, refused ${String(refused).padStart(2)}`);
    console.log(`role × operation matrix: ${SIZE}\n${lines.join("\n")}`);
    expect(tally.size).toBe(ROLES.length * CREDENTIALS.length);
  });
});
