// Which key and which server a command uses. Each level must beat the next: proven with
// keys of different users (the e-mail `tt auth status` reports says whose key was used)
// and with wrong server URLs at the lower levels (they must be ignored).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";

import { createApiKey } from "../support/session";
import { APP_URL, newUser } from "../support/stack";
import { closedPort, json, Sandbox, secret } from "./cli";

type Status = { authenticated: boolean; key_source: string | null; base_url: string; base_url_source: string; config_file: string; user: { email: string } | null };

let users: { email: string; key: string }[];
let deadUrl: string;
let sandbox: Sandbox;
afterEach(() => sandbox?.cleanup());

beforeAll(async () => {
  users = await Promise.all(
    ["cli-file", "cli-env", "cli-flag"].map(async (label) => {
      const u = await newUser(label);
      return { email: u.email, key: secret(await createApiKey(u.session, label)).key };
    }),
  );
  deadUrl = `http://127.0.0.1:${await closedPort()}`;
});

const [FILE, ENV, FLAG] = [0, 1, 2] as const;
const status = async (sb: Sandbox, args: string[], env: Record<string, string | undefined> = {}) => {
  const res = await sb.run(["auth", "status", "--json", ...args], { env });
  return { res, report: json<Status>(res) };
};
/** Writes the credentials file as `tt auth login` would, so a test can put anything in it. */
const store = (path: string, config: object) => {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, JSON.stringify(config), { mode: 0o600 });
};

describe("which key: --api-key, then TUNED_TENSOR_API_KEY, then the stored file", () => {
  it("the stored key is used when nothing else is set", async () => {
    const sb = (sandbox = new Sandbox());
    expect((await sb.run(["auth", "login", users[FILE]!.key, "--base-url", APP_URL])).code).toBe(0);
    const { res, report } = await status(sb, []);
    expect(res.code, res.output).toBe(0);
    expect(report).toMatchObject({ key_source: "file", user: { email: users[FILE]!.email } });
  });

  it("the environment beats the stored key", async () => {
    const sb = (sandbox = new Sandbox());
    await sb.run(["auth", "login", users[FILE]!.key, "--base-url", APP_URL]);
    const { res, report } = await status(sb, [], { TUNED_TENSOR_API_KEY: users[ENV]!.key });
    expect(res.code, res.output).toBe(0);
    expect(report).toMatchObject({ key_source: "environment", user: { email: users[ENV]!.email } });
  });

  it("the flag beats the environment and the stored key (-k and --api-key)", async () => {
    const sb = (sandbox = new Sandbox());
    await sb.run(["auth", "login", users[FILE]!.key, "--base-url", APP_URL]);
    for (const flag of ["-k", "--api-key"]) {
      const { res, report } = await status(sb, [flag, users[FLAG]!.key], { TUNED_TENSOR_API_KEY: users[ENV]!.key });
      expect(res.code, res.output).toBe(0);
      expect(report).toMatchObject({ key_source: "flag", user: { email: users[FLAG]!.email } });
    }
    // The flag works before the command too: it is a global option.
    const before = await sb.run(["--api-key", users[FLAG]!.key, "auth", "status", "--json"]);
    expect(json<Status>(before)).toMatchObject({ key_source: "flag", user: { email: users[FLAG]!.email } });
  });

  it("an empty TUNED_TENSOR_API_KEY counts as unset", async () => {
    const sb = (sandbox = new Sandbox());
    await sb.run(["auth", "login", users[FILE]!.key, "--base-url", APP_URL]);
    const { report } = await status(sb, [], { TUNED_TENSOR_API_KEY: "" });
    expect(report).toMatchObject({ key_source: "file", user: { email: users[FILE]!.email } });
  });
});

describe("which server: --base-url, then TUNED_TENSOR_BASE_URL, then the stored file, then https://tunedtensor.com", () => {
  it("the stored server is used when nothing else is set, and a dead one there is reported by URL", async () => {
    const sb = (sandbox = new Sandbox());
    store(sb.configFile, { api_key: users[FILE]!.key, base_url: APP_URL });
    expect((await status(sb, [])).report).toMatchObject({ authenticated: true, base_url: APP_URL, base_url_source: "file" });

    store(sb.configFile, { api_key: users[FILE]!.key, base_url: deadUrl });
    const { res, report } = await status(sb, []);
    expect(res.code).toBe(1);
    expect(report).toMatchObject({ authenticated: false, base_url: deadUrl, base_url_source: "file" });
  });

  it("the environment beats a wrong stored server", async () => {
    const sb = (sandbox = new Sandbox());
    store(sb.configFile, { api_key: users[FILE]!.key, base_url: deadUrl });
    const { res, report } = await status(sb, [], { TUNED_TENSOR_BASE_URL: APP_URL });
    expect(res.code, res.output).toBe(0);
    expect(report).toMatchObject({ base_url: APP_URL, base_url_source: "environment", user: { email: users[FILE]!.email } });
  });

  it("the flag beats a wrong environment and a wrong stored server", async () => {
    const sb = (sandbox = new Sandbox());
    store(sb.configFile, { api_key: users[FILE]!.key, base_url: deadUrl });
    const { res, report } = await status(sb, ["--base-url", `${APP_URL}/`], { TUNED_TENSOR_BASE_URL: deadUrl });
    expect(res.code, res.output).toBe(0);
    expect(report).toMatchObject({ base_url: APP_URL, base_url_source: "flag", user: { email: users[FILE]!.email } });
  });

  it("with nothing set, the default is the production service, https://tunedtensor.com, and status says so", async () => {
    const sb = (sandbox = new Sandbox());
    const { report } = await status(sb, []);
    expect(report).toMatchObject({ base_url: "https://tunedtensor.com", base_url_source: "default" });
    const text = await sb.run(["auth", "status"]);
    expect(text.stdout).toContain("server:  https://tunedtensor.com (the default; change it with --base-url, TUNED_TENSOR_BASE_URL or tt auth login --base-url)");
  });

  it("login stores the server it verified the key with", async () => {
    const sb = (sandbox = new Sandbox());
    expect((await sb.run(["auth", "login", users[FILE]!.key], { env: { TUNED_TENSOR_BASE_URL: APP_URL } })).code).toBe(0);
    // Later commands use it without being told again.
    expect((await status(sb, [])).report).toMatchObject({ authenticated: true, base_url: APP_URL, base_url_source: "file" });
  });
});

describe("where the credentials live", () => {
  it("$XDG_CONFIG_HOME/tuned-tensor/config.json when XDG_CONFIG_HOME is set", async () => {
    const sb = (sandbox = new Sandbox());
    expect((await sb.run(["auth", "login", users[FILE]!.key, "--base-url", APP_URL])).code).toBe(0);
    const { report } = await status(sb, []);
    expect(report).toMatchObject({ config_file: sb.configFile, key_source: "file", user: { email: users[FILE]!.email } });
  });

  it.each([
    ["unset", undefined],
    ["empty", ""],
  ])("~/.config/tuned-tensor/config.json when XDG_CONFIG_HOME is %s", async (_label, xdg) => {
    const sb = (sandbox = new Sandbox());
    const env = { XDG_CONFIG_HOME: xdg };
    expect((await sb.run(["auth", "login", users[FILE]!.key, "--base-url", APP_URL], { env })).code).toBe(0);
    const { res, report } = await status(sb, [], env);
    expect(res.code, res.output).toBe(0);
    expect(report).toMatchObject({ config_file: sb.homeConfigFile, key_source: "file", user: { email: users[FILE]!.email } });
    // …and not under the XDG folder another run would use.
    expect((await status(sb, [])).report).toMatchObject({ key_source: null });
  });
});
