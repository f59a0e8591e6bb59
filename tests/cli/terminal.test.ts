// What people expect of a CLI: the production server by default (and a clear word when it
// cannot be reached), refused keys that say how to log in again, colour only for a person
// at a terminal, tables that fit the terminal, --json for scripts. Terminals are real
// pseudo-terminals (util-linux's `script`), `stty cols N` wide.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { generateApiKey } from "../../lib/api-keys/key-format";
import { api } from "../support/http";
import { outlastKeyCache } from "../support/key-cache";
import { createApiKey } from "../support/session";
import { APP_URL, DATABASE_URL, newUser } from "../support/stack";
import { closedPort, json, mask, Sandbox, secret } from "./cli";

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
const ESC = "\u001b";
const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");
const lines = (text: string) => plain(text).replace(/\n+$/, "").split("\n");
const width = (line: string) => [...line].length;

let user: Awaited<ReturnType<typeof newUser>>;
let key: string;
let sb: Sandbox;
beforeAll(async () => {
  user = await newUser("cli-terminal");
  key = secret(await createApiKey(user.session, "cli terminal with a long descriptive name")).key;
  secret(await createApiKey(user.session, "narrow", new Date(Date.now() + 86_400_000).toISOString(), ["specs:read", "keys:read"]));
  const created = await api("/api/v1/behavior-specs", {
    method: "POST",
    key,
    json: { name: "A behaviour spec whose name is long enough to need cutting", base_model: "meta-llama/Llama-3.2-3B-Instruct", examples: [{ input: "a", output: "b" }] },
  });
  expect(created.status, created.text).toBe(201);
  sb = new Sandbox();
  expect((await sb.run(["auth", "login", key, "--base-url", APP_URL])).code).toBe(0);
});
afterAll(async () => {
  sb?.cleanup();
  await sql.end({ timeout: 5 });
});

describe("the server", () => {
  it("is https://tunedtensor.com by default; when it cannot be reached, the error names it and says how to choose another", async () => {
    const fresh = new Sandbox();
    try {
      // No request leaves the machine: Node sends https through the proxy named by
      // HTTPS_PROXY (NODE_USE_ENV_PROXY=1), a closed local port, as a network without
      // access to tunedtensor.com would fail.
      const env = { NODE_USE_ENV_PROXY: "1", HTTPS_PROXY: `http://127.0.0.1:${await closedPort()}` };
      const res = await fresh.run(["specs", "list", "-k", secret({ key: generateApiKey() }).key], { env });
      expect(res.code, res.output).toBe(1);
      expect(res.stderr).toContain("error: could not reach https://tunedtensor.com/api/v1/behavior-specs: connection refused");
      expect(res.stderr).toContain("https://tunedtensor.com is tt's default server.");
      expect(res.stderr).toContain("choose another server with --base-url <url> or TUNED_TENSOR_BASE_URL");

      const status = await fresh.run(["auth", "status", "-k", secret({ key: generateApiKey() }).key], { env });
      expect(status.code).toBe(1);
      expect(status.stdout).toContain("server:  https://tunedtensor.com (the default;");
    } finally {
      fresh.cleanup();
    }
  });

  it("login says which server it stored, and --json says it for scripts", async () => {
    const fresh = new Sandbox();
    try {
      const res = await fresh.run(["auth", "login", "--json", "--base-url", APP_URL], { input: key });
      expect(res.code, res.output).toBe(0);
      expect(json(res)).toEqual({
        user: { id: user.user.id, email: user.email },
        organization: expect.objectContaining({ personal: true, role: "owner" }),
        service_account: null,
        key: mask(key),
        base_url: APP_URL,
        base_url_source: "flag",
        config_file: fresh.configFile,
      });
      expect(json(await fresh.run(["auth", "logout", "--json"]))).toEqual({ removed: true, config_file: fresh.configFile });
      expect(json(await fresh.run(["auth", "logout", "--json"]))).toEqual({ removed: false, config_file: fresh.configFile });
    } finally {
      fresh.cleanup();
    }
  });
});

describe("a key the server refuses says so, and how to use a new one", () => {
  it("expired (401): the stored key has expired; create one, then tt auth login", async () => {
    const expiring = secret(await createApiKey(user.session, "expiring", new Date(Date.now() + 3_600_000).toISOString()));
    const own = new Sandbox();
    try {
      expect((await own.run(["auth", "login", expiring.key, "--base-url", APP_URL])).code).toBe(0);
      // The API refuses a past expiry, so the clock is moved in the row (created_at too: a
      // CHECK keeps the expiry after the creation).
      await sql`update api_keys set created_at = now() - interval '2 seconds', expires_at = now() - interval '1 second' where id = ${expiring.id}`;
      await outlastKeyCache(); // a change outside the app: seen within T
      const res = await own.run(["specs", "list"]);
      expect(res.code, res.output).toBe(1);
      expect(res.stderr).toContain("error: 401 unauthorized: API key expired");
      expect(res.stderr).toContain("This API key has expired. Create a new key in the dashboard (Settings → API Keys), then run: tt auth login.");
      const status = await own.run(["auth", "status"]);
      expect(status.code).toBe(1);
      expect(status.stdout).toContain("This API key has expired.");
    } finally {
      own.cleanup();
    }
  });

  it("revoked: says so; a key from the environment is replaced there", async () => {
    const revoked = secret(await createApiKey(user.session, "to revoke"));
    expect((await api(`/api/v1/api-keys/${revoked.id}`, { method: "DELETE", key: revoked.key })).status).toBe(200);
    const res = await sb.run(["keys", "list", "--base-url", APP_URL], { env: { TUNED_TENSOR_API_KEY: revoked.key } });
    expect(res.code, res.output).toBe(1);
    expect(res.stderr).toContain("error: 403 forbidden: API key revoked");
    expect(res.stderr).toContain("This API key has been revoked. Create a new key in the dashboard (Settings → API Keys), then set TUNED_TENSOR_API_KEY to it.");
  });

  it("unknown to the server (401): names the server; a key from --api-key is replaced there", async () => {
    const res = await sb.run(["specs", "list", "--base-url", APP_URL, "-k", secret({ key: generateApiKey() }).key]);
    expect(res.code, res.output).toBe(1);
    expect(res.stderr).toContain(`${APP_URL} does not know this API key`);
    expect(res.stderr).toContain("then pass it with --api-key.");
  });
});

describe("colour", () => {
  it("on a terminal: bold table headers and a red error label", async () => {
    const table = await sb.runInTerminal(["keys", "list"], { columns: 200 });
    expect(table.code, table.output).toBe(0);
    expect(table.stdout).toContain(`${ESC}[1mID`);
    const error = await sb.runInTerminal(["specs", "get", "42"]);
    expect(error.code).toBe(2);
    expect(error.stdout).toContain(`${ESC}[1;31merror:${ESC}[0m`);
  });

  it.each([
    ["NO_COLOR is set", { NO_COLOR: "1" }],
    ["TERM is dumb", { TERM: "dumb" }],
  ])("none on a terminal when %s", async (_label, env) => {
    for (const args of [["keys", "list"], ["specs", "get", "42"], ["--help"]]) {
      const res = await sb.runInTerminal(args, { env, columns: 200 });
      expect(res.stdout, args.join(" ")).not.toContain(ESC);
      expect(res.stdout.length).toBeGreaterThan(0);
    }
  });

  it("none in a pipe (every other test checks this of every run too)", async () => {
    const res = await sb.run(["specs", "get", "42"]);
    expect(res.stderr).toMatch(/^error: /);
    expect((await sb.run(["keys", "list"])).stdout).toMatch(/^ID {2,}NAME/);
  });
});

describe("tables fit the terminal", () => {
  const HEADERS = ["ID", "NAME", "PREFIX", "SCOPES", "CREATED", "LAST USED", "EXPIRES", "STATUS"];

  it.each([120, 100, 80])("tt keys list in %i columns: no line longer, ID and STATUS kept, what was left out said", async (columns) => {
    const res = await sb.runInTerminal(["keys", "list"], { columns });
    expect(res.code, res.output).toBe(0);
    const out = lines(res.stdout);
    for (const line of out) expect(width(line), line).toBeLessThanOrEqual(columns);
    expect(out[0]).toMatch(/^ID {2,}NAME/);
    expect(out[0]).toMatch(/STATUS$/);
    expect(out.some((line) => line.endsWith("active (this key)"))).toBe(true);
    // The note may be wrapped to fit too.
    expect(out.join(" ")).toMatch(new RegExp(`left out to fit ${columns} columns; --json has every field\\)`));
  });

  it("tt specs list in 80 columns: the long name cut with …", async () => {
    const res = await sb.runInTerminal(["specs", "list"], { columns: 80 });
    expect(res.code, res.output).toBe(0);
    for (const line of lines(res.stdout)) expect(width(line), line).toBeLessThanOrEqual(80);
    expect(res.stdout).toContain("A behaviour…");
  });

  it("a wide terminal shows every column, and so does a pipe; $COLUMNS sets the width of a pipe", async () => {
    const wide = await sb.runInTerminal(["keys", "list"], { columns: 250 });
    const piped = await sb.run(["keys", "list"]);
    for (const res of [wide, piped]) {
      const header = lines(res.stdout)[0] ?? "";
      expect(header.split(/ {2,}/)).toEqual(HEADERS);
      expect(res.stdout).not.toContain("left out");
    }
    const narrow = await sb.run(["keys", "list"], { env: { COLUMNS: "90" } });
    for (const line of lines(narrow.stdout)) expect(width(line), line).toBeLessThanOrEqual(90);
    expect(lines(narrow.stdout).join(" ")).toContain("left out to fit 90 columns");
  });
});
