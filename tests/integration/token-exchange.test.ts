// Keyless CI against an instance of its own (OIDC_ALLOW_LOOPBACK_ISSUERS=1, so a trust policy
// may name the local issuer of tests/support/oidc-issuer.ts; OIDC_JWKS_REFETCH_MS short, so a
// rotation is fetched within the test): trust policies made, changed and deleted through the
// API, with their audit events and role checks; the RFC 8693 exchange minting a key that
// works, with its attribution; the refusal matrix, each in RFC 6749's shape; the kill switch;
// and the live check.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ORGANIZATION_HEADER, TOKEN_EXCHANGE_GRANT } from "@/lib/contract";

import { freePort, startAppInstance, type AppInstance } from "../support/app-instance";
import { api, eventually, type Call, type Json, type Res } from "../support/http";
import { addMember, uniqueSlug } from "../support/organizations";
import { gitHubClaims, gitLabClaims, startOidcIssuer, type Claims, type OidcIssuer } from "../support/oidc-issuer";
import { sessionCookie } from "../support/session";
import { CRON_SECRET, DATABASE_URL, newUser } from "../support/stack";

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
const NO_POLICY = "the token matches no trust policy";
const ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";

let issuer: OidcIssuer;
let app: AppInstance;
let owner: Awaited<ReturnType<typeof newUser>>;
let developer: Awaited<ReturnType<typeof newUser>>;
let viewer: Awaited<ReturnType<typeof newUser>>;
let org: { id: string; slug: string };
let serviceAccountId: string;
let gitHubPolicy: Json;
let gitLabPolicy: Json;

/** A session's request on the test's own instance, in the organization. */
const as = (user: { session: object }, extra: Call = {}): Call => ({
  base: app.url,
  cookie: sessionCookie(user.session),
  origin: app.url,
  ...extra,
  headers: { [ORGANIZATION_HEADER]: org.slug, ...(extra.headers as Record<string, string> | undefined) },
});

/** POST /api/v1/oauth/token as an OAuth client sends it: form-encoded. */
function exchange(params: Record<string, string>): Promise<Res> {
  return api("/api/v1/oauth/token", {
    method: "POST",
    base: app.url,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params).toString(),
  });
}
const exchangeToken = (token: string, extra: Record<string, string> = {}) =>
  exchange({ grant_type: TOKEN_EXCHANGE_GRANT, subject_token: token, subject_token_type: ID_TOKEN, ...extra });

/** A GitHub token of the job the GitHub policy trusts, with `overrides`. */
const gitHubToken = (overrides: Claims = {}, options?: Parameters<OidcIssuer["sign"]>[1]) => issuer.sign(gitHubClaims(issuer.url, app.url, overrides), options);
const gitLabToken = (overrides: Claims = {}) => issuer.sign(gitLabClaims(issuer.url, app.url, overrides));

/** An answer for a failure message: a minted key, were one answered where a refusal was due, never shown whole. */
const shown = (res: Res) => res.text.replace(/tt_[0-9A-Za-z]{8}[0-9A-Za-z_-]*/g, (key) => `${key.slice(0, 11)}…`);

function expectOAuthError(res: Res, error: string, description?: string | RegExp) {
  expect(res.status, shown(res)).toBe(400);
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(Object.keys(res.body).sort()).toEqual(["error", "error_description"]);
  expect(res.body.error).toBe(error);
  if (typeof description === "string") expect(res.body.error_description).toBe(description);
  else if (description) expect(res.body.error_description).toMatch(description);
}

async function createPolicy(body: Json, user = owner, account = serviceAccountId): Promise<Res> {
  return api(`/api/v1/organization/service-accounts/${account}/trust-policies`, { method: "POST", ...as(user), json: body });
}

const GITHUB_POLICY = {
  name: "deploy from main",
  provider: "github",
  conditions: { repository_id: "74", repository_owner_id: "65", ref: "refs/heads/main" },
  scopes: ["specs:read"],
};

beforeAll(async () => {
  issuer = await startOidcIssuer();
  app = await startAppInstance(await freePort(), { OIDC_ALLOW_LOOPBACK_ISSUERS: "1", OIDC_JWKS_REFETCH_MS: "500" });
  [owner, developer, viewer] = await Promise.all([newUser("oidc-owner"), newUser("oidc-dev"), newUser("oidc-viewer")]);
  const slug = uniqueSlug("oidc");
  const created = await api("/api/v1/organizations", {
    method: "POST",
    base: app.url,
    cookie: sessionCookie(owner.session),
    origin: app.url,
    json: { name: "Keyless", slug },
  });
  expect(created.status, created.text).toBe(201);
  org = { id: created.body.data.id as string, slug };
  await addMember(sql, org.id, developer.user.id, "developer");
  await addMember(sql, org.id, viewer.user.id, "viewer");
  const account = await api("/api/v1/organization/service-accounts", { method: "POST", ...as(owner), json: { name: "CI", role: "developer" } });
  expect(account.status, account.text).toBe(201);
  serviceAccountId = account.body.data.id as string;
  const gh = await createPolicy({ ...GITHUB_POLICY, issuer: issuer.url });
  expect(gh.status, gh.text).toBe(201);
  gitHubPolicy = gh.body.data as Json;
  const gl = await createPolicy({ name: "gitlab main", provider: "gitlab", issuer: issuer.url, conditions: { project_id: "20", namespace_id: "72" }, scopes: ["specs:read"] });
  expect(gl.status, gl.text).toBe(201);
  gitLabPolicy = gl.body.data as Json;
}, 90_000);
afterAll(async () => {
  await app?.stop();
  await issuer?.stop();
  await sql.end({ timeout: 5 });
});

describe("trust policies", () => {
  it("are made with the provider's issuer and presets, the app's URL as audience, 900 s and the service account's scopes by default", async () => {
    expect(gitHubPolicy).toMatchObject({
      service_account_id: serviceAccountId,
      provider: "github",
      issuer: issuer.url,
      audience: app.url,
      token_lifetime_seconds: 900,
      enabled: true,
      allowed_events: [],
      warnings: [],
      scopes: ["specs:read"],
      created_by: { id: owner.user.id },
    });
    // GitLab: only protected refs unless the policy says otherwise.
    expect(gitLabPolicy.conditions).toEqual({ project_id: "20", namespace_id: "72", ref_protected: "true" });
    const defaults = await createPolicy({ name: "defaults", provider: "github", conditions: { repository_id: "1", repository_owner_id: "2" } });
    expect(defaults.status, defaults.text).toBe(201);
    expect(defaults.body.data).toMatchObject({ issuer: "https://token.actions.githubusercontent.com", scopes: ["specs:read", "specs:write", "keys:read", "keys:write", "members:read"] });
    const listed = await api(`/api/v1/organization/service-accounts/${serviceAccountId}/trust-policies`, as(owner));
    expect(listed.status).toBe(200);
    expect((listed.body.data as Json[]).map((p) => p.id)).toEqual(expect.arrayContaining([gitHubPolicy.id, gitLabPolicy.id, defaults.body.data.id]));
  });

  it("refuse names instead of numeric ids, missing required conditions, out-of-range lifetimes, a non-https issuer (400) and scopes beyond the role (403)", async () => {
    const bad: [Json, number, RegExp][] = [
      [{ ...GITHUB_POLICY, conditions: { repository_id: "74" } }, 400, /repository_owner_id/],
      [{ ...GITHUB_POLICY, conditions: { repository_id: "octo-org/octo-repo", repository_owner_id: "65" } }, 400, /must be a number/],
      [{ name: "gl", provider: "gitlab", conditions: { project_id: "20" } }, 400, /namespace_id/],
      [{ name: "custom", provider: "custom", issuer: "https://ci.example.com", conditions: { aud: "x" } }, 400, /sub/],
      [{ ...GITHUB_POLICY, token_lifetime_seconds: 59 }, 400, /token_lifetime_seconds/],
      [{ ...GITHUB_POLICY, token_lifetime_seconds: 3601 }, 400, /token_lifetime_seconds/],
      [{ ...GITHUB_POLICY, issuer: "http://ci.example.com" }, 400, /issuer/],
      [{ ...GITHUB_POLICY, scopes: ["members:write"] }, 403, /beyond what the service account's role \(developer\) allows/],
    ];
    for (const [body, status, message] of bad) {
      const res = await createPolicy(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.text, JSON.stringify(body)).toMatch(message);
    }
  });

  it("say so where a policy allows pull_request_target", async () => {
    const risky = await createPolicy({ ...GITHUB_POLICY, name: "prt", allowed_events: ["pull_request_target"] });
    expect(risky.status, risky.text).toBe(201);
    expect(risky.body.data.warnings.join(" ")).toMatch(/pull_request_target is allowed/);
  });

  it("are for owners and admins: a developer's and a viewer's session get 403 for every operation", async () => {
    for (const user of [developer, viewer]) {
      const calls = [
        api(`/api/v1/organization/service-accounts/${serviceAccountId}/trust-policies`, as(user)),
        createPolicy(GITHUB_POLICY, user),
        api(`/api/v1/organization/trust-policies/${gitHubPolicy.id}`, { method: "PATCH", ...as(user), json: { enabled: false } }),
        api(`/api/v1/organization/trust-policies/${gitHubPolicy.id}`, { method: "DELETE", ...as(user) }),
        api("/api/v1/organization/trust-policies/test", { method: "POST", ...as(user), json: { claims: {} } }),
      ];
      for (const res of await Promise.all(calls)) {
        expect(res.status, res.text).toBe(403);
        expect(res.body.error.code).toBe("forbidden");
      }
    }
    // Nothing changed.
    const listed = await api(`/api/v1/organization/service-accounts/${serviceAccountId}/trust-policies`, as(owner));
    expect((listed.body.data as Json[]).find((p) => p.id === gitHubPolicy.id)).toMatchObject({ enabled: true });
  });

  it("are audited in the organization's trail: created, changed, deleted", async () => {
    const made = await createPolicy({ ...GITHUB_POLICY, name: "audited" });
    const id = made.body.data.id as string;
    const changed = await api(`/api/v1/organization/trust-policies/${id}`, { method: "PATCH", ...as(owner), json: { name: "audited 2", token_lifetime_seconds: 120 } });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.data).toMatchObject({ name: "audited 2", token_lifetime_seconds: 120 });
    const deleted = await api(`/api/v1/organization/trust-policies/${id}`, { method: "DELETE", ...as(owner) });
    expect(deleted.status, deleted.text).toBe(200);
    expect((await api(`/api/v1/organization/trust-policies/${id}`, { method: "DELETE", ...as(owner) })).status).toBe(404);
    const events = await sql<{ type: string; details: Json }[]>`
      select type, details from public.audit_events where organization_id = ${org.id} and details->>'policy_id' = ${id} order by occurred_at, id`;
    expect(events.map((e) => e.type)).toEqual(["trust_policy.created", "trust_policy.changed", "trust_policy.deleted"]);
    expect(events[1]!.details.changes).toEqual({ name: { from: "audited", to: "audited 2" }, token_lifetime_seconds: { from: 900, to: 120 } });
  });
});

describe("audit events commit with their change (same xmin: the id of the transaction that wrote the row)", () => {
  const xmin = async (table: "service_account_trust_policies" | "api_keys" | "oidc_token_uses", column: string, value: string) =>
    (await sql.unsafe<{ x: string }[]>(`select xmin::text as x from public.${table} where ${column} = $1`, [value]))[0]!.x;
  const eventXmin = async (type: string, column: "policy" | "key", value: string) =>
    (await sql<{ x: string }[]>`
      select xmin::text as x from public.audit_events
      where type = ${type} and ${column === "policy" ? sql`details->>'policy_id' = ${value}` : sql`key_id = ${value}`}`)[0]!.x;

  it("trust_policy.created, .changed and .deleted with the policy's row; key.minted_by_oidc with the key and the spent token", async () => {
    const made = await createPolicy({ ...GITHUB_POLICY, name: "xmin", issuer: issuer.url, conditions: { ...GITHUB_POLICY.conditions, repository_id: "81" } });
    const id = made.body.data.id as string;
    expect(await eventXmin("trust_policy.created", "policy", id)).toBe(await xmin("service_account_trust_policies", "id", id));
    await api(`/api/v1/organization/trust-policies/${id}`, { method: "PATCH", ...as(owner), json: { name: "xmin 2" } });
    expect(await eventXmin("trust_policy.changed", "policy", id)).toBe(await xmin("service_account_trust_policies", "id", id));

    const claims = gitHubClaims(issuer.url, app.url, { repository_id: "81" });
    const minted = await exchangeToken(await issuer.sign(claims));
    expect(minted.status, minted.text).toBe(200);
    const [key] = await sql<{ id: string }[]>`select id from public.api_keys where key_prefix = ${(minted.body.access_token as string).slice(0, 11)} and trust_policy_id = ${id}`;
    const keyXmin = await xmin("api_keys", "id", key!.id);
    expect(await eventXmin("key.minted_by_oidc", "key", key!.id)).toBe(keyXmin);
    expect(await xmin("oidc_token_uses", "jti", claims.jti as string)).toBe(keyXmin);

    await api(`/api/v1/organization/trust-policies/${id}`, { method: "DELETE", ...as(owner) });
    expect(await eventXmin("trust_policy.deleted", "policy", id)).toBe(await xmin("service_account_trust_policies", "id", id));
  });
});

describe("the exchange: POST /api/v1/oauth/token", () => {
  it("mints a key of the service account for a matching GitHub token: it lists specs, expires with the policy, and says which run it is", async () => {
    const res = await exchangeToken(await gitHubToken());
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body).toEqual({
      access_token: expect.stringMatching(/^tt_/),
      issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
      token_type: "Bearer",
      expires_in: 900,
      scope: "specs:read",
    });
    const key = res.body.access_token as string;
    expect((await api("/api/v1/behavior-specs", { base: app.url, key })).status).toBe(200);
    const me = await api("/api/v1/me", { base: app.url, key });
    expect(me.body.data.service_account).toMatchObject({ id: serviceAccountId });
    expect(me.body.data.authentication.scopes).toEqual(["specs:read"]);
    // Listed with the other keys, with its attribution and its expiry.
    const keys = (await api("/api/v1/api-keys?per_page=100", as(owner))).body.data as Json[];
    const listed = keys.find((k) => k.key_prefix === key.slice(0, 11))!;
    expect(listed).toMatchObject({
      name: "CI: octo-org/octo-repo run 5872903413.2",
      holder: { type: "service_account", id: serviceAccountId },
      minted_by: {
        policy_id: gitHubPolicy.id,
        provider: "github",
        issuer: issuer.url,
        repository: "octo-org/octo-repo",
        repository_id: "74",
        workflow: "deploy",
        workflow_ref: "octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main",
        run_id: "5872903413",
        run_attempt: "2",
        sha: "e83c5163316f89bfbde7d9ab23ca2e25604af290",
        ref: "refs/heads/main",
        actor: "octocat",
        event_name: "push",
      },
    });
    const lifetime = Date.parse(listed.expires_at as string) - Date.parse(listed.created_at as string);
    expect(lifetime).toBeGreaterThan(895_000);
    expect(lifetime).toBeLessThan(905_000);
    const [event] = await sql<{ type: string; actor_type: string; details: Json }[]>`
      select type, actor_type, details from public.audit_events where key_id = ${listed.id as string}`;
    expect(event).toMatchObject({ type: "key.minted_by_oidc", actor_type: "system", details: { minted_by: listed.minted_by, scopes: ["specs:read"] } });
    const [policy] = await sql<{ last_used_at: Date | null }[]>`select last_used_at from public.service_account_trust_policies where id = ${gitHubPolicy.id as string}`;
    expect(policy!.last_used_at).not.toBeNull();
    // It cannot be rolled into an ordinary key outside its trust policy's reach.
    const roll = await api(`/api/v1/api-keys/${listed.id as string}/roll`, { method: "POST", ...as(owner), json: { grace_seconds: 0 } });
    expect(roll.status, shown(roll)).toBe(409);
    expect(roll.body.error.message).toMatch(/minted for a CI run/);
  });

  it("mints for a GitLab job on a protected ref, and takes JSON as well as a form", async () => {
    const res = await api("/api/v1/oauth/token", {
      method: "POST",
      base: app.url,
      json: { grant_type: TOKEN_EXCHANGE_GRANT, subject_token: await gitLabToken(), subject_token_type: "urn:ietf:params:oauth:token-type:jwt" },
    });
    expect(res.status, res.text).toBe(200);
    const keys = (await api("/api/v1/api-keys?per_page=100", as(owner))).body.data as Json[];
    expect(keys.find((k) => k.key_prefix === (res.body.access_token as string).slice(0, 11))?.minted_by).toMatchObject({
      policy_id: gitLabPolicy.id,
      provider: "gitlab",
      project_path: "my-group/my-project",
      project_id: "20",
      pipeline_id: "574",
      job_id: "302",
      user_login: "sample-user",
      ref: "main",
    });
  });

  it("refuses, in RFC 6749's shape, each token it must not trust", async () => {
    const now = Math.floor(Date.now() / 1000);
    const stranger = await issuer.newKey();
    const cases: [string, () => Promise<string>, string, string | RegExp][] = [
      ["wrong audience", () => gitHubToken({ aud: "https://someone-else.example" }), "invalid_grant", NO_POLICY],
      ["expired", () => gitHubToken({ iat: now - 900, nbf: now - 900, exp: now - 61 - 60 }), "invalid_grant", /has expired/],
      ["not yet valid", () => gitHubToken({ iat: now, nbf: now + 180, exp: now + 600 }), "invalid_grant", /not valid yet/],
      ["issued in the future", () => gitHubToken({ iat: now + 180, nbf: now, exp: now + 600 }), "invalid_grant", /issued in the future/],
      ["wrong signature (a published kid, another key)", () => gitHubToken({}, { key: stranger, kid: issuer.current.kid }), "invalid_grant", /signature does not verify/],
      ["right repository name, wrong repository_id", () => gitHubToken({ repository_id: "75" }), "invalid_grant", NO_POLICY],
      ["right repository, wrong owner id", () => gitHubToken({ repository_owner_id: "66" }), "invalid_grant", NO_POLICY],
      ["another branch", () => gitHubToken({ ref: "refs/heads/feature" }), "invalid_grant", NO_POLICY],
      ["pull_request_target", () => gitHubToken({ event_name: "pull_request_target" }), "invalid_grant", NO_POLICY],
      ["workflow_run", () => gitHubToken({ event_name: "workflow_run" }), "invalid_grant", NO_POLICY],
      ["GitLab, unprotected ref", () => gitLabToken({ ref_protected: "false", ref: "feature" }), "invalid_grant", NO_POLICY],
      ["GitLab, another project", () => gitLabToken({ project_id: "21" }), "invalid_grant", NO_POLICY],
      ["an issuer no policy names", () => issuer.sign(gitHubClaims("https://ci.example.invalid", app.url)), "invalid_grant", NO_POLICY],
      ["no jti", () => gitHubToken({ jti: undefined }), "invalid_grant", /no jti/],
    ];
    for (const [what, token, error, description] of cases) {
      const res = await exchangeToken(await token());
      expect(res.status, `${what}: ${shown(res)}`).toBe(400);
      expectOAuthError(res, error, description);
    }
  });

  it("exchanges each token once: the same jti again is invalid_grant", async () => {
    const token = await gitHubToken();
    expect((await exchangeToken(token)).status).toBe(200);
    expectOAuthError(await exchangeToken(token), "invalid_grant", /already exchanged/);
    // Even at once: one of two concurrent exchanges of one token.
    const twice = await gitHubToken();
    const statuses = (await Promise.all([exchangeToken(twice), exchangeToken(twice)])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 400]);
  });

  it("many jobs at once with one policy: every token exchanged, none refused or failed", async () => {
    // Each exchange locks its policy's row to note its use: with a share lock, two at once would
    // each wait for the other (a deadlock, a 500); `npm run bench` sends a hundred at once.
    const tokens = await Promise.all(Array.from({ length: 20 }, () => gitHubToken()));
    const answers = await Promise.all(tokens.map((token) => exchangeToken(token)));
    expect(answers.map((res) => res.status)).toEqual(tokens.map(() => 200));
  });

  it("forgets a spent token a day after it expired (the daily job), not before", async () => {
    const jti = `old-${Date.now()}`;
    await sql`insert into public.oidc_token_uses (issuer, jti, expires_at) values (${issuer.url}, ${jti}, now() - interval '25 hours'), (${issuer.url}, ${`${jti}-recent`}, now() - interval '23 hours')`;
    const res = await api("/api/cron/key-expiry", { base: app.url, headers: { authorization: `Bearer ${CRON_SECRET}` } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.data.pruned.spentTokensDeleted).toBeGreaterThanOrEqual(1);
    const left = await sql<{ jti: string }[]>`select jti from public.oidc_token_uses where issuer = ${issuer.url} and jti like ${`${jti}%`}`;
    expect(left.map((r) => r.jti)).toEqual([`${jti}-recent`]);
  });

  it("refuses a key id it does not know, then verifies with the rotated key once the issuer publishes it", async () => {
    const rotated = await issuer.newKey();
    expectOAuthError(await exchangeToken(await gitHubToken({}, { key: rotated })), "invalid_grant", /publishes no key with kid/);
    issuer.publish(rotated);
    // Fetched again after the back-off (500 ms here): each try a fresh token.
    const res = await eventually(async () => exchangeToken(await gitHubToken({}, { key: rotated })), (r) => r.status === 200, { timeoutMs: 10_000, everyMs: 200 });
    expect(res.status).toBe(200);
  });

  it("answers bad requests with invalid_request, unsupported_grant_type, invalid_target and invalid_scope", async () => {
    const token = await gitHubToken();
    expectOAuthError(await exchange({ grant_type: TOKEN_EXCHANGE_GRANT, subject_token_type: ID_TOKEN }), "invalid_request", "subject_token is required");
    expectOAuthError(await exchange({ grant_type: "client_credentials", subject_token: token, subject_token_type: ID_TOKEN }), "unsupported_grant_type");
    expectOAuthError(await exchange({ grant_type: TOKEN_EXCHANGE_GRANT, subject_token: token, subject_token_type: "urn:ietf:params:oauth:token-type:saml2" }), "invalid_request", /subject_token_type/);
    expectOAuthError(await exchangeToken("not-a-jwt"), "invalid_request", /not a JWT/);
    expectOAuthError(await exchangeToken(token, { audience: "00000000-0000-4000-8000-000000000000" }), "invalid_target", /audience names no enabled trust policy/);
    expectOAuthError(await exchangeToken(token, { scope: "specs:write" }), "invalid_scope", /specs:write is not among/);
    const text = await api("/api/v1/oauth/token", { method: "POST", base: app.url, headers: { "content-type": "text/plain" }, body: "x" });
    expectOAuthError(text, "invalid_request", /x-www-form-urlencoded/);
    // None of them spent the token; a parameter unknown to RFC 8693 is ignored, whatever its name.
    expect((await exchangeToken(token, { constructor: "x", resource: "https://example.com" })).status).toBe(200);
  });

  it("asks for audience when a token matches two policies, and uses the one it names", async () => {
    const other = await api("/api/v1/organization/service-accounts", { method: "POST", ...as(owner), json: { name: "CI two", role: "viewer" } });
    const second = await createPolicy({ ...GITHUB_POLICY, name: "second", issuer: issuer.url, conditions: { repository_id: "74", repository_owner_id: "65", environment: "prod" } }, owner, other.body.data.id as string);
    expect(second.status, second.text).toBe(201);
    expectOAuthError(await exchangeToken(await gitHubToken({ environment: "prod" })), "invalid_target", /matches 2 trust policies: send audience/);
    const chosen = await exchangeToken(await gitHubToken({ environment: "prod" }), { audience: second.body.data.id as string });
    expect(chosen.status, chosen.text).toBe(200);
    const me = await api("/api/v1/me", { base: app.url, key: chosen.body.access_token as string });
    expect(me.body.data.service_account).toMatchObject({ id: other.body.data.id });
    await api(`/api/v1/organization/trust-policies/${second.body.data.id}`, { method: "DELETE", ...as(owner) });
  });
});

describe("the kill switch", () => {
  it("disabling a policy refuses its keys when the PATCH returns, and it mints no more; deleting does for good", async () => {
    // Another repository's job, so that only this policy matches its tokens.
    const job = { repository: "octo-org/switch", repository_id: "80" };
    const made = await createPolicy({ ...GITHUB_POLICY, name: "switch", issuer: issuer.url, conditions: { ...GITHUB_POLICY.conditions, repository_id: "80" } });
    const id = made.body.data.id as string;
    const minted = await exchangeToken(await gitHubToken(job));
    expect(minted.status, minted.text).toBe(200);
    const key = minted.body.access_token as string;
    expect((await api("/api/v1/behavior-specs", { base: app.url, key })).status).toBe(200);

    const disabled = await api(`/api/v1/organization/trust-policies/${id}`, { method: "PATCH", ...as(owner), json: { enabled: false } });
    expect(disabled.status, disabled.text).toBe(200);
    const refused = await api("/api/v1/behavior-specs", { base: app.url, key });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/trust policy that minted it .* was turned off/);
    expectOAuthError(await exchangeToken(await gitHubToken(job)), "invalid_grant", NO_POLICY);

    // Disabling is a pause: enabled again, a key it minted that has not expired works again
    // (once the instance's cached refusal has run out: giving back power does not wait).
    await api(`/api/v1/organization/trust-policies/${id}`, { method: "PATCH", ...as(owner), json: { enabled: true } });
    await eventually(() => api("/api/v1/behavior-specs", { base: app.url, key }), (r) => r.status === 200, { timeoutMs: 10_000 });

    const deleted = await api(`/api/v1/organization/trust-policies/${id}`, { method: "DELETE", ...as(owner) });
    expect(deleted.status, deleted.text).toBe(200);
    expect((await api("/api/v1/behavior-specs", { base: app.url, key })).status).toBe(403);
    expectOAuthError(await exchangeToken(await gitHubToken(job)), "invalid_grant", NO_POLICY);
    // The key stays listed, with its attribution.
    const keys = (await api("/api/v1/api-keys?per_page=100", as(owner))).body.data as Json[];
    expect(keys.find((k) => k.key_prefix === key.slice(0, 11))?.minted_by).toMatchObject({ policy_id: id });
    const [event] = await sql<{ details: Json }[]>`select details from public.audit_events where type = 'trust_policy.deleted' and details->>'policy_id' = ${id}`;
    expect(event!.details.live_keys_refused).toBe(1);
  });
});

describe("the live check: POST /api/v1/organization/trust-policies/test", () => {
  it("verifies a token's signature and says, per policy, which claims matched", async () => {
    const res = await api("/api/v1/organization/trust-policies/test", { method: "POST", ...as(owner), json: { token: await gitHubToken({ repository_id: "75" }) } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.data.signature).toBe("verified");
    const result = (res.body.data.results as Json[]).find((r) => r.policy_id === gitHubPolicy.id)!;
    expect(result.matches).toBe(false);
    expect(result.reasons).toEqual(
      expect.arrayContaining([
        { claim: "iss", expected: issuer.url, actual: issuer.url, ok: true },
        { claim: "repository_id", expected: "74", actual: "75", ok: false },
        { claim: "repository_owner_id", expected: "65", actual: "65", ok: true },
      ]),
    );
    // The live check spends nothing, and a forged token says so.
    const forged = await api("/api/v1/organization/trust-policies/test", {
      method: "POST",
      ...as(owner),
      json: { token: await gitHubToken({}, { key: await issuer.newKey(), kid: issuer.current.kid }) },
    });
    expect(forged.body.data).toMatchObject({ signature: "invalid", signature_error: "the token's signature does not verify" });
    // Not a JWT at all: the check says so (nothing matches), it is not a bad request.
    const garbage = await api("/api/v1/organization/trust-policies/test", { method: "POST", ...as(owner), json: { token: "not-a-jwt" } });
    expect(garbage.status, garbage.text).toBe(200);
    expect(garbage.body.data).toMatchObject({ signature: "invalid", signature_error: expect.stringMatching(/not a JWT/) });
    expect((garbage.body.data.results as Json[]).every((r) => !r.matches)).toBe(true);
  });

  it("matches bare claims without a signature", async () => {
    const res = await api("/api/v1/organization/trust-policies/test", { method: "POST", ...as(owner), json: { claims: gitLabClaims(issuer.url, app.url) } });
    expect(res.body.data.signature).toBe("not_checked");
    expect((res.body.data.results as Json[]).find((r) => r.policy_id === gitLabPolicy.id)).toMatchObject({ matches: true });
  });
});
