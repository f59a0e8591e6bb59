// Keyless CI from the command line: tt inside a simulated GitHub Actions job (the runner's
// ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN pointing at a local server that hands out a token
// signed by the local OIDC issuer) lists specs with no key stored or given; a job without
// `permissions: id-token: write` is told so; --oidc's flags are checked before any request.
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { ORGANIZATION_HEADER } from "../../lib/contract/organizations";
import { freePort, startAppInstance, type AppInstance } from "../support/app-instance";
import { api, type Call } from "../support/http";
import { gitHubClaims, gitLabClaims, startOidcIssuer, type OidcIssuer } from "../support/oidc-issuer";
import { uniqueSlug } from "../support/organizations";
import { sessionCookie } from "../support/session";
import { newUser } from "../support/stack";
import { closedPort, json, Sandbox } from "./cli";

let sandbox: Sandbox;
afterEach(() => sandbox?.cleanup());

/** What GitHub's runner sets for a job, apart from the two id-token variables. */
const ACTIONS = { GITHUB_ACTIONS: "true", CI: "true", GITHUB_REPOSITORY: "acme/models" };
/** A whole key (the harness knows only the keys a test registered; minted ones it cannot). */
const FULL_KEY = /tt_[0-9A-Za-z]{49}/;

describe("a job that cannot ask for a token", () => {
  let deadUrl: string;
  beforeAll(async () => {
    deadUrl = `http://127.0.0.1:${await closedPort()}`;
  });

  it("GitHub Actions without id-token: write: every command says the job lacks the permission, and sends nothing", async () => {
    const sb = (sandbox = new Sandbox());
    const res = await sb.run(["specs", "list"], { env: { ...ACTIONS, TUNED_TENSOR_OIDC_POLICY: "p1", TUNED_TENSOR_BASE_URL: deadUrl } });
    expect(res.code, res.output).toBe(1);
    expect(res.stderr).toContain('the job lacks "permissions: id-token: write"');
    expect(res.stderr).toMatch(/permissions:\n\s+id-token: write/);
    // Nothing was sent: the server (where nothing listens) would have been "could not reach".
    expect(res.stderr).not.toContain("could not reach");
  });

  it("tt auth status says why there is no key, as JSON too (state oidc_failed)", async () => {
    const sb = (sandbox = new Sandbox());
    const res = await sb.run(["auth", "status", "--json"], { env: { ...ACTIONS, TUNED_TENSOR_OIDC_POLICY: "p1", TUNED_TENSOR_BASE_URL: deadUrl } });
    expect(res.code, res.output).toBe(1);
    expect(json(res)).toMatchObject({ authenticated: false, state: "oidc_failed", key_source: "oidc", error: { code: "oidc_failed" } });
  });

  it("GitLab without the id_tokens: variable: says what to add, with the audience", async () => {
    const sb = (sandbox = new Sandbox());
    const res = await sb.run(["auth", "login", "--oidc", "--base-url", "https://tt.example"], { env: { GITLAB_CI: "true" } });
    expect(res.code, res.output).toBe(1);
    expect(res.stderr).toContain("this GitLab job has no OIDC token: TUNED_TENSOR_ID_TOKEN is not set");
    expect(res.stderr).toMatch(/id_tokens:\n\s+TUNED_TENSOR_ID_TOKEN:\n\s+aud: https:\/\/tt\.example/);
  });

  it("--api-key or TUNED_TENSOR_API_KEY wins over TUNED_TENSOR_OIDC_POLICY (no token asked for)", async () => {
    const sb = (sandbox = new Sandbox());
    const res = await sb.run(["auth", "status", "--json"], {
      env: { ...ACTIONS, TUNED_TENSOR_OIDC_POLICY: "p1", TUNED_TENSOR_API_KEY: "tt_not-a-key", TUNED_TENSOR_BASE_URL: deadUrl },
    });
    expect(json(res)).toMatchObject({ state: "malformed_key", key_source: "environment", oidc: null });
  });

  it("--oidc's flags: not with a key, not through the browser; --policy and --store only with --oidc (usage errors, exit 2)", async () => {
    const sb = (sandbox = new Sandbox());
    for (const args of [
      ["auth", "login", "--oidc", "--api-key", "tt_x"],
      ["auth", "login", "--oidc", "--web"],
      ["auth", "login", "--policy", "p1"],
      ["auth", "login", "--store", "tt_x"],
    ]) {
      const res = await sb.run(args, { env: { TUNED_TENSOR_BASE_URL: deadUrl } });
      expect(res.code, `${args.join(" ")}\n${res.output}`).toBe(2);
    }
  });
});

// The app of its own: a trust policy may name the loopback issuer only with OIDC_ALLOW_LOOPBACK_ISSUERS=1.
describe("in a simulated GitHub Actions job", () => {
  let issuer: OidcIssuer;
  let app: AppInstance;
  let runner: Server;
  let runnerUrl: string;
  let owner: Awaited<ReturnType<typeof newUser>>;
  let org: string;
  let policyId: string;
  let gitLabPolicyId: string;
  const REQUEST_TOKEN = "runner-request-token";
  /** What the runner was asked: the audience of each request, and whether its request token came. */
  const asked: { audience: string | null; authorized: boolean }[] = [];

  const as = (extra: Call = {}): Call => ({ base: app.url, cookie: sessionCookie(owner.session), origin: app.url, headers: { [ORGANIZATION_HEADER]: org }, ...extra });
  const job = (extra: Record<string, string> = {}) => ({
    ...ACTIONS,
    ACTIONS_ID_TOKEN_REQUEST_URL: `${runnerUrl}/_apis/token?api-version=2.0`,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
    TUNED_TENSOR_BASE_URL: app.url,
    TUNED_TENSOR_OIDC_POLICY: policyId,
    ...extra,
  });

  beforeAll(async () => {
    issuer = await startOidcIssuer();
    app = await startAppInstance(await freePort(), { OIDC_ALLOW_LOOPBACK_ISSUERS: "1" });
    // GitHub's runner: the job's token for the audience asked, to a request with its request token.
    runner = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://runner");
      const authorized = req.headers.authorization === `bearer ${REQUEST_TOKEN}`;
      asked.push({ audience: url.searchParams.get("audience"), authorized });
      if (!authorized || url.pathname !== "/_apis/token") return void res.writeHead(401).end();
      void issuer.sign(gitHubClaims(issuer.url, url.searchParams.get("audience") ?? "")).then((value) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ count: 1, value }));
      });
    });
    await new Promise<void>((resolve) => runner.listen(0, "127.0.0.1", resolve));
    runnerUrl = `http://127.0.0.1:${(runner.address() as AddressInfo).port}`;

    owner = await newUser("cli-oidc");
    org = uniqueSlug("cli-oidc");
    const created = await api("/api/v1/organizations", { method: "POST", base: app.url, cookie: sessionCookie(owner.session), origin: app.url, json: { name: "Keyless CLI", slug: org } });
    expect(created.status, created.text).toBe(201);
    const account = await api("/api/v1/organization/service-accounts", { method: "POST", ...as(), json: { name: "GitHub CI", role: "developer" } });
    expect(account.status, account.text).toBe(201);
    const accountId = account.body.data.id as string;
    const policy = await api(`/api/v1/organization/service-accounts/${accountId}/trust-policies`, {
      method: "POST",
      ...as(),
      json: { name: "octo-repo main", provider: "github", issuer: issuer.url, conditions: { repository_id: "74", repository_owner_id: "65" }, scopes: ["specs:read"] },
    });
    expect(policy.status, policy.text).toBe(201);
    policyId = policy.body.data.id as string;
    const gitLab = await api(`/api/v1/organization/service-accounts/${accountId}/trust-policies`, {
      method: "POST",
      ...as(),
      json: { name: "my-project", provider: "gitlab", issuer: issuer.url, conditions: { project_id: "20", namespace_id: "72", ref_protected: "true" }, scopes: ["specs:read"] },
    });
    expect(gitLab.status, gitLab.text).toBe(201);
    gitLabPolicyId = gitLab.body.data.id as string;
    const spec = await api("/api/v1/behavior-specs", {
      method: "POST",
      ...as(),
      json: { name: "Keyless spec", description: "listed by CI", system_prompt: "Be brief.", guidelines: [], constraints: [], examples: [{ input: "hi", output: "hello" }], base_model: "meta-llama/Llama-3.2-3B-Instruct" },
    });
    expect(spec.status, spec.text).toBe(201);
  }, 90_000);
  afterAll(async () => {
    await new Promise((resolve) => runner?.close(resolve));
    await app?.stop();
    await issuer?.stop();
  });

  it("tt specs list works with no key stored or given: the job's token, asked with the server's origin as audience, exchanged in memory", async () => {
    const sb = (sandbox = new Sandbox());
    asked.length = 0;
    const res = await sb.run(["specs", "list", "--json"], { env: job() });
    expect(res.code, res.output).toBe(0);
    expect(json<{ data: { name: string }[] }>(res).data.map((s) => s.name)).toEqual(["Keyless spec"]);
    expect(asked).toEqual([{ audience: app.url, authorized: true }]);
    // Nothing written to disk: no credentials file, not even the config directory.
    expect(existsSync(sb.configDir)).toBe(false);
    // With --debug every request is logged: the minted key only masked, the runner's request token never.
    const debug = await sb.run(["specs", "list", "--debug"], { env: job() });
    expect(debug.code, debug.output).toBe(0);
    expect(debug.stderr).toMatch(/authorization: Bearer tt_\w{8}… \(minted from the CI job's OIDC token\)/);
    expect(debug.output).not.toMatch(FULL_KEY);
    expect(debug.output).not.toContain(REQUEST_TOKEN);
  });

  it("tt auth status says the key came from the job's OIDC token, by which policy, as which service account, and when it expires", async () => {
    const sb = (sandbox = new Sandbox());
    const res = await sb.run(["auth", "status"], { env: job() });
    expect(res.code, res.output).toBe(0);
    expect(res.stdout).toContain(`Logged in to ${app.url} as service account GitHub CI in ${org}.`);
    expect(res.stdout).toMatch(/key: {5}tt_\w{8}… \(minted from this GitHub Actions job's OIDC token, as TUNED_TENSOR_OIDC_POLICY asks\)/);
    expect(res.stdout).toContain(`policy:  ${policyId}`);
    expect(res.stdout).toMatch(/expires: \S+ \(in 1[45] min\)/);
    expect(res.output).not.toMatch(FULL_KEY);

    const report = json<{ key_source: string; oidc: { policy: string; provider: string; audience: string; expires_at: string; scopes: string[] }; key_expires_at: string }>(
      await sb.run(["auth", "status", "--json"], { env: job() }),
    );
    expect(report).toMatchObject({ key_source: "oidc", oidc: { policy: policyId, provider: "github", audience: app.url, scopes: ["specs:read"] } });
    expect(Math.abs(Date.parse(report.key_expires_at) - Date.parse(report.oidc.expires_at))).toBeLessThan(5_000);
  });

  it("tt auth login --oidc checks the exchange and stores nothing; --store keeps the minted key", async () => {
    const sb = (sandbox = new Sandbox());
    const env = job({ TUNED_TENSOR_OIDC_POLICY: "" });
    const res = await sb.run(["auth", "login", "--oidc", "--policy", policyId], { env });
    expect(res.code, res.output).toBe(0);
    expect(res.stdout).toContain("minted from this GitHub Actions job's OIDC token");
    expect(res.stdout).toContain(`Not stored. To have every tt command of this job mint its own key, set TUNED_TENSOR_OIDC_POLICY=${policyId}`);
    expect(existsSync(sb.configFile)).toBe(false);
    expect(res.output).not.toMatch(FULL_KEY);

    const stored = await sb.run(["auth", "login", "--oidc", "--policy", policyId, "--store"], { env });
    expect(stored.code, stored.output).toBe(0);
    expect(existsSync(sb.configFile)).toBe(true);
    const later = await sb.run(["specs", "list", "--json"], { env: { TUNED_TENSOR_BASE_URL: app.url } });
    expect(later.code, later.output).toBe(0);
  });

  it("a GitLab job: the token from its id_tokens: variable", async () => {
    const sb = (sandbox = new Sandbox());
    const token = await issuer.sign(gitLabClaims(issuer.url, app.url));
    const res = await sb.run(["specs", "list", "--json"], {
      env: { GITLAB_CI: "true", TUNED_TENSOR_ID_TOKEN: token, TUNED_TENSOR_BASE_URL: app.url, TUNED_TENSOR_OIDC_POLICY: gitLabPolicyId },
    });
    expect(res.code, res.output).toBe(0);
    expect(json<{ data: { name: string }[] }>(res).data.map((s) => s.name)).toEqual(["Keyless spec"]);
  });

  it("a token no policy matches: the server's invalid_grant, and where to look", async () => {
    const sb = (sandbox = new Sandbox());
    // The runner's token is for the audience asked; this one asks for another.
    const res = await sb.run(["specs", "list"], { env: job({ TUNED_TENSOR_OIDC_AUDIENCE: "https://elsewhere.example" }) });
    expect(res.code, res.output).toBe(1);
    expect(res.stderr).toContain(`${app.url} refused this job's OIDC token (400 invalid_grant:`);
    expect(res.stderr).toContain(`Check that trust policy ${policyId} is enabled`);
    expect(res.stderr).toContain("live check");
  });

  it("a runner that refuses the request token: GitHub's refusal, with the permission to check", async () => {
    const sb = (sandbox = new Sandbox());
    const res = await sb.run(["specs", "list"], { env: job({ ACTIONS_ID_TOKEN_REQUEST_TOKEN: "wrong" }) });
    expect(res.code, res.output).toBe(1);
    expect(res.stderr).toContain("GitHub refused the job's OIDC token request (HTTP 401");
    expect(res.stderr).toContain("id-token: write");
    expect(res.output).not.toContain("wrong");
  });
});
