// @tuned-tensor/sdk/node: the key precedence of docs/CLI.md — an explicit key, then
// TUNED_TENSOR_API_KEY, then the file `tt auth login` writes at
// $XDG_CONFIG_HOME/tuned-tensor/config.json (~/.config/… by default) — against files in a
// temporary directory; the environment is passed in, never the test runner's.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import {
  clientFromEnvironment,
  configPath,
  CredentialsFileError,
  DEFAULT_BASE_URL,
  NoApiKeyError,
  readStoredCredentials,
  resolveApiKey,
  resolveBaseUrl,
  resolveOrganization,
} from "../../sdk/src/node.ts";

let dir: string;
let env: Record<string, string | undefined>;
const store = (value: unknown) => {
  mkdirSync(join(dir, "tuned-tensor"), { recursive: true });
  writeFileSync(join(dir, "tuned-tensor", "config.json"), typeof value === "string" ? value : JSON.stringify(value));
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tt-sdk-node-"));
  env = { XDG_CONFIG_HOME: dir };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("where the credentials file is", () => {
  it("is under XDG_CONFIG_HOME, or ~/.config when it is unset, empty or relative", () => {
    expect(configPath({ XDG_CONFIG_HOME: "/x/y" })).toBe("/x/y/tuned-tensor/config.json");
    for (const xdg of [undefined, "", "relative/dir"]) {
      expect(configPath({ XDG_CONFIG_HOME: xdg })).toBe(join(homedir(), ".config", "tuned-tensor", "config.json"));
    }
  });
});

describe("resolveApiKey", () => {
  it("takes the explicit key over the environment over the file", () => {
    store({ api_key: "tt_file", base_url: "http://file.example" });
    expect(resolveApiKey({ env })).toEqual({ key: "tt_file", source: "file" });
    env.TUNED_TENSOR_API_KEY = " tt_env ";
    expect(resolveApiKey({ env })).toEqual({ key: "tt_env", source: "environment" });
    expect(resolveApiKey({ env, apiKey: "tt_flag" })).toEqual({ key: "tt_flag", source: "flag" });
  });

  it("treats blank values as unset, and says null when there is no key anywhere", () => {
    expect(resolveApiKey({ env })).toBeNull();
    store({ api_key: "  " });
    expect(resolveApiKey({ env: { ...env, TUNED_TENSOR_API_KEY: "" }, apiKey: " " })).toBeNull();
  });

  it("reads the file only when it needs to: a broken file does not stop a key from the environment", () => {
    store("{not json");
    expect(resolveApiKey({ env: { ...env, TUNED_TENSOR_API_KEY: "tt_env" } })).toEqual({ key: "tt_env", source: "environment" });
    expect(() => resolveApiKey({ env })).toThrow(CredentialsFileError);
    store("[1,2]");
    expect(() => readStoredCredentials(configPath(env))).toThrow(/not a JSON object/);
  });

  it("takes an explicit file path", () => {
    const other = join(dir, "elsewhere.json");
    writeFileSync(other, JSON.stringify({ api_key: "tt_other" }));
    expect(resolveApiKey({ env, path: other })).toEqual({ key: "tt_other", source: "file" });
  });
});

describe("resolveBaseUrl", () => {
  it("takes the explicit URL over the environment over the file over the default", () => {
    expect(resolveBaseUrl({ env })).toEqual({ url: DEFAULT_BASE_URL, source: "default" });
    store({ base_url: "http://file.example" });
    expect(resolveBaseUrl({ env })).toEqual({ url: "http://file.example", source: "file" });
    env.TUNED_TENSOR_BASE_URL = "http://env.example";
    expect(resolveBaseUrl({ env })).toEqual({ url: "http://env.example", source: "environment" });
    expect(resolveBaseUrl({ env, baseUrl: "http://flag.example" })).toEqual({ url: "http://flag.example", source: "flag" });
  });
});

describe("resolveOrganization", () => {
  it("takes the explicit organization over TUNED_TENSOR_ORG over the file (with its slug), else none", () => {
    expect(resolveOrganization({ env })).toBeNull();
    store({ api_key: "tt_file", organization: "3c9a2f1e-5b7d-4e8a-9c6b-2d1f0e9a8b7c", organization_slug: "acme" });
    expect(resolveOrganization({ env })).toEqual({ ref: "3c9a2f1e-5b7d-4e8a-9c6b-2d1f0e9a8b7c", source: "file", slug: "acme" });
    env.TUNED_TENSOR_ORG = " beta ";
    expect(resolveOrganization({ env })).toEqual({ ref: "beta", source: "environment" });
    expect(resolveOrganization({ env, organization: "gamma" })).toEqual({ ref: "gamma", source: "flag" });
    expect(resolveOrganization({ env: { ...env, TUNED_TENSOR_ORG: "" }, organization: " " })).toMatchObject({ source: "file" });
  });

  it("keeps only strings from the file", () => {
    store({ organization: 42, organization_slug: ["x"] });
    expect(readStoredCredentials(configPath(env))).toEqual({});
    expect(resolveOrganization({ env })).toBeNull();
  });
});

describe("clientFromEnvironment", () => {
  it("builds a client with the key and server the precedence picks, or throws NoApiKeyError", async () => {
    expect(() => clientFromEnvironment({ env })).toThrow(NoApiKeyError);
    store({ api_key: "tt_file", base_url: "http://file.example" });
    const seen: { url: string; authorization: string }[] = [];
    const client = clientFromEnvironment({
      env,
      fetch: async (url, init) => {
        seen.push({ url: String(url), authorization: (init?.headers as Record<string, string>).authorization! });
        return new Response(JSON.stringify({ data: { status: "ok" } }));
      },
    });
    await client.getHealth();
    expect(seen).toEqual([{ url: "http://file.example/api/v1/health", authorization: "Bearer tt_file" }]);
  });

  it("names the organization the precedence picks in every request, and none when none is set", async () => {
    const seen: (string | undefined)[] = [];
    const fetch = async (_url: unknown, init?: RequestInit) => {
      seen.push((init?.headers as Record<string, string>)["tt-organization"]);
      return new Response(JSON.stringify({ data: { status: "ok" } }));
    };
    store({ api_key: "tt_file", base_url: "http://file.example" });
    await clientFromEnvironment({ env, fetch }).getHealth();
    store({ api_key: "tt_file", base_url: "http://file.example", organization: "stored-org" });
    await clientFromEnvironment({ env, fetch }).getHealth();
    await clientFromEnvironment({ env: { ...env, TUNED_TENSOR_ORG: "env-org" }, fetch }).getHealth();
    await clientFromEnvironment({ env: { ...env, TUNED_TENSOR_ORG: "env-org" }, organization: "flag-org", fetch }).getHealth();
    expect(seen).toEqual([undefined, "stored-org", "env-org", "flag-org"]);
  });
});
