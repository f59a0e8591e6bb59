// tt auth login | status | logout against the running app, with real users and keys.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";

import { generateApiKey } from "../../lib/api-keys/key-format";
import { api } from "../support/http";
import { createApiKey } from "../support/session";
import { APP_URL, newUser } from "../support/stack";
import { closedPort, json, mask, Sandbox, secret } from "./cli";

type Status = {
  authenticated: boolean;
  state: string;
  key: string | null;
  key_source: string | null;
  base_url: string;
  base_url_source: string;
  config_file: string;
  user: { id: string; email: string } | null;
  error: { status?: number; code: string; message: string } | null;
};

let user: Awaited<ReturnType<typeof newUser>>;
let key: string;
let sandbox: Sandbox;

beforeAll(async () => {
  user = await newUser("cli-auth");
  key = secret(await createApiKey(user.session, "cli auth")).key;
});
afterEach(() => sandbox?.cleanup());

const fresh = () => (sandbox = new Sandbox());
const mode = (path: string) => statSync(path).mode & 0o777;
const revokedKey = async () => {
  const created = secret(await createApiKey(user.session, "to revoke"));
  const res = await api(`/api/v1/api-keys/${created.id}`, { method: "DELETE", key: created.key });
  expect(res.status).toBe(200);
  return created.key;
};
// A key with the right shape and checksum that the server never issued.
const unknownKey = () => secret({ key: generateApiKey() }).key;

describe("tt auth login", () => {
  it("checks the key with the server and stores it with the server URL, 0600 in a 0700 directory", async () => {
    const sb = fresh();
    const res = await sb.run(["auth", "login", key, "--base-url", APP_URL]);
    expect(res.code, res.output).toBe(0);
    expect(res.stdout).toContain(`as ${user.email}`);
    expect(res.stdout).toContain(mask(key));
    expect(JSON.parse(readFileSync(sb.configFile, "utf8"))).toEqual({ api_key: key, base_url: APP_URL });
    expect(mode(sb.configFile)).toBe(0o600);
    expect(mode(sb.configDir)).toBe(0o700);
    // Written through a temporary file and renamed: nothing else is left behind.
    expect(readdirSync(sb.configDir)).toEqual(["config.json"]);
  });

  it("reads the key from standard input when none is given, or with -", async () => {
    for (const args of [["auth", "login"], ["auth", "login", "-"]]) {
      const sb = fresh();
      const res = await sb.run([...args, "--base-url", APP_URL], { input: `${key}\n` });
      expect(res.code, res.output).toBe(0);
      expect(res.stdout).toContain(`as ${user.email}`);
      expect(JSON.parse(readFileSync(sb.configFile, "utf8")).api_key).toBe(key);
      sb.cleanup();
    }
  });

  it("refuses a malformed key offline: no request (the server is a closed port), nothing stored", async () => {
    const sb = fresh();
    const url = `http://127.0.0.1:${await closedPort()}`;
    const typo = key.slice(0, 20) + (key[20] === "a" ? "b" : "a") + key.slice(21); // one character off: checksum fails
    const cases: [string, RegExp][] = [
      [typo, /checksum does not match/],
      ["sk_live_not_ours", /does not start with tt_/],
      [key.slice(0, -1), /has 51 characters/],
    ];
    for (const [candidate, why] of cases) {
      const res = await sb.run(["auth", "login", "--base-url", url], { input: candidate });
      expect(res.code, res.output).toBe(1);
      expect(res.stderr).toMatch(why);
      expect(res.stderr).toContain("Nothing was stored");
      expect(res.output).not.toContain("could not reach"); // never got as far as the network
    }
    expect(existsSync(sb.configFile)).toBe(false);
  });

  it("refuses an unknown key with the server's 401, and stores nothing", async () => {
    const sb = fresh();
    const res = await sb.run(["auth", "login", unknownKey(), "--base-url", APP_URL]);
    expect(res.code, res.output).toBe(1);
    expect(res.stderr).toContain("401 unauthorized: Invalid API key");
    expect(res.stderr).toContain("Nothing was stored");
    expect(existsSync(sb.configFile)).toBe(false);
  });

  it("refuses a revoked key with the server's 403, and keeps the credentials already stored", async () => {
    const sb = fresh();
    expect((await sb.run(["auth", "login", key, "--base-url", APP_URL])).code).toBe(0);
    const before = readFileSync(sb.configFile, "utf8");
    const res = await sb.run(["auth", "login", await revokedKey(), "--base-url", APP_URL]);
    expect(res.code, res.output).toBe(1);
    expect(res.stderr).toContain("403 forbidden: API key revoked");
    expect(readFileSync(sb.configFile, "utf8")).toBe(before);
  });

  it("narrows an existing config directory that others can read to 0700, and says so", async () => {
    const sb = fresh();
    mkdirSync(sb.configDir, { recursive: true });
    chmodSync(sb.configDir, 0o755);
    const res = await sb.run(["auth", "login", key, "--base-url", APP_URL]);
    expect(res.code, res.output).toBe(0);
    expect(res.stderr).toMatch(/warning: .*mode 0755.*0700/);
    expect(mode(sb.configDir)).toBe(0o700);
    expect(mode(sb.configFile)).toBe(0o600);
  });

  it("warns when TUNED_TENSOR_API_KEY will still win over the stored key", async () => {
    const sb = fresh();
    const other = secret(await createApiKey(user.session, "env")).key;
    const res = await sb.run(["auth", "login", key, "--base-url", APP_URL], { env: { TUNED_TENSOR_API_KEY: other } });
    expect(res.code, res.output).toBe(0);
    expect(res.stderr).toMatch(/warning: TUNED_TENSOR_API_KEY is set and takes precedence/);
  });
});

describe("tt auth status", () => {
  it("no key anywhere: says how to log in, exit 1", async () => {
    const sb = fresh();
    const res = await sb.run(["auth", "status"]);
    expect(res.code, res.output).toBe(1);
    expect(res.stdout).toContain("Not logged in: no API key");
    expect(res.stdout).toContain("tt auth login");
    const report = json<Status>(await sb.run(["auth", "status", "--json"]));
    expect(report).toMatchObject({ authenticated: false, state: "no_key", key: null, key_source: null, user: null });
  });

  it("a valid key: the user's e-mail, the masked key, its source and the server, exit 0", async () => {
    const sb = fresh();
    await sb.run(["auth", "login", key, "--base-url", APP_URL]);
    const res = await sb.run(["auth", "status"]);
    expect(res.code, res.output).toBe(0);
    expect(res.stdout).toContain(`Logged in to ${APP_URL} as ${user.email}`);
    expect(res.stdout).toContain(`${mask(key)} (from ${sb.configFile})`);
    expect(res.stdout).toContain(`${APP_URL} (from ${sb.configFile})`);
    expect(res.stdout).toMatch(/scopes: {2}all \(specs:read, specs:write, keys:read, keys:write, activity:read, members:read, members:write, org:write\); used in the last 30 days: /);

    const asJson = await sb.run(["auth", "status", "--json"]);
    expect(asJson.code).toBe(0);
    expect(json<Status>(asJson)).toMatchObject({
      authenticated: true,
      state: "authenticated",
      key: mask(key),
      key_source: "file",
      base_url: APP_URL,
      base_url_source: "file",
      config_file: sb.configFile,
      user: { id: user.user.id, email: user.email },
      scopes: ["specs:read", "specs:write", "keys:read", "keys:write", "activity:read", "members:read", "members:write", "org:write"],
      scopes_used: expect.any(Array),
      error: null,
    });
  });

  it("a key with some scopes: which ones, and which it used", async () => {
    const sb = fresh();
    const narrow = secret(await createApiKey(user.session, "cli narrow", undefined, ["specs:read"])).key;
    await sb.run(["auth", "login", narrow, "--base-url", APP_URL]);
    const res = await sb.run(["auth", "status"]);
    expect(res.code, res.output).toBe(0);
    expect(res.stdout).toMatch(/scopes: {2}specs:read; used in the last 30 days: (none yet|specs:read)/);
    expect(json<Status & { scopes: string[] }>(await sb.run(["auth", "status", "--json"])).scopes).toEqual(["specs:read"]);
  });

  it("an unknown key: the server's 401, exit 1", async () => {
    const sb = fresh();
    const res = await sb.run(["auth", "status", "--base-url", APP_URL], { env: { TUNED_TENSOR_API_KEY: unknownKey() } });
    expect(res.code, res.output).toBe(1);
    expect(res.stdout).toContain("the server does not accept this key (401 unauthorized: Invalid API key)");
    expect(res.stdout).not.toContain("revoked");
    const report = json<Status>(await sb.run(["auth", "status", "--json", "--base-url", APP_URL], { env: { TUNED_TENSOR_API_KEY: unknownKey() } }));
    expect(report).toMatchObject({ authenticated: false, state: "unauthorized", key_source: "environment", error: { status: 401, code: "unauthorized" } });
  });

  it("a revoked key reads differently: 403 API key revoked, exit 1", async () => {
    const sb = fresh();
    const revoked = await revokedKey();
    const res = await sb.run(["auth", "status", "-k", revoked, "--base-url", APP_URL]);
    expect(res.code, res.output).toBe(1);
    expect(res.stdout).toContain("this key has been revoked (403 forbidden: API key revoked)");
    expect(res.stdout).toContain("Create a new key in the dashboard");
    const asJson = await sb.run(["auth", "status", "--json", "-k", revoked, "--base-url", APP_URL]);
    expect(asJson.code).toBe(1);
    expect(json<Status>(asJson)).toMatchObject({ state: "revoked", key_source: "flag", error: { status: 403, code: "forbidden", message: "API key revoked" } });
  });

  it("a malformed key is reported without asking the server", async () => {
    const sb = fresh();
    const url = `http://127.0.0.1:${await closedPort()}`;
    const res = await sb.run(["auth", "status", "--json", "--base-url", url], { env: { TUNED_TENSOR_API_KEY: "tt_tooshort" } });
    expect(res.code).toBe(1);
    expect(json<Status>(res)).toMatchObject({ state: "malformed_key", key_source: "environment", error: { code: "malformed_key" } });
    expect(res.output).not.toContain("could not reach");
  });

  it("an unreachable server: exit 1, naming the URL", async () => {
    const sb = fresh();
    const url = `http://127.0.0.1:${await closedPort()}`;
    const res = await sb.run(["auth", "status", "-k", key, "--base-url", url]);
    expect(res.code, res.output).toBe(1);
    expect(res.stdout).toContain(`could not reach ${url}/api/v1/me`);
  });
});

describe("the credentials file", () => {
  it("a file others can read is used, with a warning to chmod it", async () => {
    const sb = fresh();
    await sb.run(["auth", "login", key, "--base-url", APP_URL]);
    chmodSync(sb.configFile, 0o644);
    const res = await sb.run(["auth", "status"]);
    expect(res.code, res.output).toBe(0);
    expect(res.stderr).toContain(`warning: ${sb.configFile} is readable by other users (mode 0644); fix it with: chmod 600 ${sb.configFile}`);
  });

  it("a broken file is an error when it is needed, and ignored when the flag and environment decide", async () => {
    const sb = fresh();
    mkdirSync(sb.configDir, { recursive: true, mode: 0o700 });
    writeFileSync(sb.configFile, "{ not json", { mode: 0o600 });
    const res = await sb.run(["auth", "status"]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`error: ${sb.configFile} is not valid JSON`);
    const bypassed = await sb.run(["auth", "status", "-k", key], { env: { TUNED_TENSOR_BASE_URL: APP_URL } });
    expect(bypassed.code, bypassed.output).toBe(0);
    // Logging in again replaces it; logging out removes it.
    expect((await sb.run(["auth", "login", key, "--base-url", APP_URL])).code).toBe(0);
    expect((await sb.run(["auth", "status"])).code).toBe(0);
  });
});

describe("tt auth logout", () => {
  it("deletes the stored credentials, and says so when there were none", async () => {
    const sb = fresh();
    await sb.run(["auth", "login", key, "--base-url", APP_URL]);
    const res = await sb.run(["auth", "logout"]);
    expect(res.code, res.output).toBe(0);
    expect(res.stdout).toContain(`Logged out: removed the stored credentials (${sb.configFile})`);
    expect(existsSync(sb.configFile)).toBe(false);
    expect((await sb.run(["auth", "status"])).code).toBe(1);

    const again = await sb.run(["auth", "logout"]);
    expect(again.code, again.output).toBe(0);
    expect(again.stdout).toContain("there were no stored credentials");
  });

  it("warns that TUNED_TENSOR_API_KEY is still set and will still be used", async () => {
    const sb = fresh();
    await sb.run(["auth", "login", key, "--base-url", APP_URL]);
    const res = await sb.run(["auth", "logout"], { env: { TUNED_TENSOR_API_KEY: key } });
    expect(res.code, res.output).toBe(0);
    expect(res.stderr).toMatch(/warning: TUNED_TENSOR_API_KEY is still set/);
    expect(existsSync(sb.configFile)).toBe(false);
  });
});
