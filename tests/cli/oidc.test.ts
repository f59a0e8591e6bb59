// Keyless CI from the command line: tt inside a simulated GitHub Actions job (the runner's
// ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN pointing at a local server that hands out a token
// signed by the local OIDC issuer) lists specs with no key stored or given; a job without
// `permissions: id-token: write` is told so; --oidc's flags are checked before any request.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { APP_URL } from "../support/stack";
import { closedPort, json, Sandbox } from "./cli";

let sandbox: Sandbox;
afterEach(() => sandbox?.cleanup());

/** What GitHub's runner sets for a job, apart from the two id-token variables. */
const ACTIONS = { GITHUB_ACTIONS: "true", CI: "true", GITHUB_REPOSITORY: "acme/models" };

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
