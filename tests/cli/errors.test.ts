// Exit codes, usage errors, network failures, odd servers, and keys kept out of every
// message and debug log.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { generateApiKey } from "../../lib/api-keys/key-format";
import { createApiKey } from "../support/session";
import { APP_URL, newUser } from "../support/stack";
import { closedPort, mask, Sandbox, secret } from "./cli";

let sb: Sandbox;
let key: string;
let readOnlyKey: string;
afterAll(() => sb?.cleanup());
beforeAll(async () => {
  const user = await newUser("cli-errors");
  key = secret(await createApiKey(user.session, "cli errors")).key;
  readOnlyKey = secret(await createApiKey(user.session, "cli read-only", undefined, ["specs:read", "keys:read"])).key;
  sb = new Sandbox();
});

describe("usage errors exit 2, with commander's message on stderr", () => {
  it.each([
    ["an unknown command", ["nope"], "unknown command 'nope'"],
    ["an unknown subcommand", ["specs", "nope"], "unknown command 'nope'"],
    ["an unknown option", ["specs", "list", "--colour"], "unknown option '--colour'"],
    ["a missing argument", ["specs", "get"], "missing required argument 'id'"],
    ["an extra argument", ["auth", "status", "extra"], "too many arguments"],
    ["a malformed id", ["specs", "delete", "42"], "must be a UUID"],
    ["a page that is not a number", ["specs", "list", "--page", "two"], "--page must be a whole number"],
    ["a page size over 100", ["keys", "list", "--per-page", "101"], "--per-page must be between 1 and 100"],
    ["a base URL that is not http(s)", ["specs", "list", "-k", "tt_x", "--base-url", "ftp://example.com"], "must start with http:// or https://"],
    ["a missing subcommand", ["auth"], "Usage: tt auth"],
  ])("%s", async (_label, args, message) => {
    const res = await sb.run(args);
    expect(res.code, res.output).toBe(2);
    expect(res.stderr).toContain(message);
    expect(res.stdout).toBe("");
  });

  it("help and --version exit 0 on stdout", async () => {
    const help = await sb.run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Which key: -k/--api-key, then TUNED_TENSOR_API_KEY");
    const version = await sb.run(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe("authentication errors exit 1", () => {
  it("an API command with no key says how to log in", async () => {
    const res = await sb.run(["specs", "list"]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("error: not logged in: no API key");
    expect(res.stderr).toContain("tt auth login");
  });

  it("a malformed key is refused before any request, naming where it came from", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const res = await sb.run(["specs", "list", "--base-url", url], { env: { TUNED_TENSOR_API_KEY: `${key}x` } });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("the API key from TUNED_TENSOR_API_KEY is not a valid Tuned Tensor API key (it has 53 characters");
    expect(res.stderr).not.toContain("could not reach");
  });

  it("the server's refusal is printed as code and message", async () => {
    const res = await sb.run(["specs", "list", "--base-url", APP_URL, "-k", secret({ key: generateApiKey() }).key]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("error: 401 unauthorized: Invalid API key");
  });

  it("a key without the scope a command needs: which scope, and that a key with it is made in the dashboard", async () => {
    const res = await sb.run(["keys", "revoke", "00000000-0000-4000-8000-000000000000", "--base-url", APP_URL, "-k", readOnlyKey]);
    expect(res.code, res.output).toBe(1);
    expect(res.stderr).toContain("error: 403 forbidden:");
    expect(res.stderr).toContain("does not have the scope keys:write");
    expect(res.stderr).toMatch(/dashboard \(Settings → API Keys\): create one with keys:write/);
    // What it may do still works.
    expect((await sb.run(["specs", "list", "--base-url", APP_URL, "-k", readOnlyKey])).code).toBe(0);
  });
});

describe("network failures and odd servers", () => {
  it("a server that cannot be reached: the URL, the reason and where the URL came from", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const res = await sb.run(["specs", "list", "-k", key], { env: { TUNED_TENSOR_BASE_URL: url } });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`error: could not reach ${url}/api/v1/behavior-specs: connection refused (ECONNREFUSED)`);
    expect(res.stderr).toContain(`The server URL ${url} came from TUNED_TENSOR_BASE_URL`);
  });

  describe("a server that is not the API", () => {
    let server: Server;
    let url: string;
    const seen: (string | undefined)[] = [];
    beforeAll(async () => {
      server = createServer((req, res) => {
        seen.push(req.headers.authorization);
        if (req.url?.startsWith("/redirect")) {
          res.writeHead(302, { location: "https://elsewhere.example/api/v1/me" }).end();
        } else {
          res.writeHead(404, { "content-type": "text/html" }).end("<h1>Not found</h1>");
        }
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("a page that is not JSON is reported as such", async () => {
      const res = await sb.run(["auth", "status", "-k", key, "--base-url", url]);
      expect(res.code).toBe(1);
      expect(res.stdout).toContain(`unexpected response from ${url}/api/v1/me: HTTP 404, not JSON`);
    });

    it("a redirect is not followed with the key", async () => {
      const res = await sb.run(["specs", "list", "-k", key, "--base-url", `${url}/redirect`]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain("answered with a redirect (302) to https://elsewhere.example/api/v1/me; not following it");
      expect(seen.length).toBeGreaterThan(0);
    });
  });
});

describe("a server that asks to wait (429, 503)", () => {
  let server: Server;
  let url: string;
  // What the server answers next, per path; every request seen, as "METHOD path".
  const script: Record<string, { status: number; body: unknown; headers?: Record<string, string> }[]> = {};
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      seen.push(`${req.method} ${path}`);
      const next = script[path]?.shift() ?? { status: 500, body: { error: { code: "internal_error", message: "nothing scripted" } } };
      res.writeHead(next.status, { "content-type": "application/json", "x-request-id": `r${seen.length}`, ...next.headers }).end(JSON.stringify(next.body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const busy = (status: number, retryAfter: string) => ({ status, body: { error: { code: status === 429 ? "rate_limited" : "internal_error", message: "busy" } }, headers: { "retry-after": retryAfter } });
  const page = { status: 200, body: { data: [], meta: { page: 1, per_page: 20, total: 0 } } };

  it("a read is tried again after Retry-After, and succeeds", async () => {
    seen.length = 0;
    script["/api/v1/behavior-specs"] = [busy(503, "0"), busy(429, "0"), page];
    const res = await sb.run(["specs", "list", "-k", key, "--base-url", url, "--debug"]);
    expect(res.code, res.output).toBe(0);
    expect(seen).toEqual(["GET /api/v1/behavior-specs", "GET /api/v1/behavior-specs", "GET /api/v1/behavior-specs"]);
    expect(res.stderr).toContain("(attempt 3)");
  });

  it("a wait longer than tt waits is reported at once; a create is never repeated", async () => {
    seen.length = 0;
    script["/api/v1/behavior-specs"] = [busy(429, "3600"), page];
    const read = await sb.run(["specs", "list", "-k", key, "--base-url", url]);
    expect(read.code).toBe(1);
    expect(read.stderr).toContain("error: 429 rate_limited: busy");

    script["/api/v1/behavior-specs"] = [busy(503, "0"), { status: 201, body: { data: {} } }];
    const create = await sb.run(["specs", "create", "-k", key, "--base-url", url, "--file", "-"], { input: JSON.stringify({ name: "x", examples: [{ input: "a", output: "b" }] }) });
    expect(create.code).toBe(1);
    expect(create.stderr).toContain("error: 503 internal_error: busy");
    expect(seen).toEqual(["GET /api/v1/behavior-specs", "POST /api/v1/behavior-specs"]);
  });

  const limited = (code: string, retryAfter: string) => ({
    status: 429,
    body: { error: { code, message: code === "quota_exceeded" ? "The key's quota is used up" : "Too many requests" } },
    headers: { "retry-after": retryAfter, "ratelimit-policy": '"minute";q=60;w=60, "day";q=10000;w=86400', ratelimit: '"minute";r=0;t=1, "day";r=9000;t=3600' },
  });

  it("says on stderr what it waits for before trying a read again (the limit, the seconds), without --debug", async () => {
    seen.length = 0;
    script["/api/v1/behavior-specs"] = [limited("rate_limited", "1"), page];
    const res = await sb.run(["specs", "list", "-k", key, "--base-url", url]);
    expect(res.code, res.output).toBe(0);
    expect(res.stderr).toBe("Rate limited (60 requests a minute); retrying in 1 s…\n");
    expect(res.stdout).toContain("No behaviour specs");
    expect(seen).toHaveLength(2);
  });

  it("a change refused by a limit is not repeated: the error says when to try again", async () => {
    seen.length = 0;
    script["/api/v1/behavior-specs"] = [limited("quota_exceeded", "3600"), { status: 201, body: { data: {} } }];
    const create = await sb.run(["specs", "create", "-k", key, "--base-url", url, "--file", "-"], {
      input: JSON.stringify({ name: "x", examples: [{ input: "a", output: "b" }] }),
      env: { TUNED_TENSOR_NOW: "2026-12-01T10:00:00Z" },
    });
    expect(create.code).toBe(1);
    expect(create.stderr).toContain("error: 429 quota_exceeded: The key's quota is used up");
    expect(create.stderr).toContain("try again in 60 min (at 2026-12-01 11:00:00 UTC). tt does not repeat a request that changes something.");
    expect(create.stderr).not.toContain("retrying");
    expect(seen).toEqual(["POST /api/v1/behavior-specs"]);
  });
});

describe("keys never appear in output, only masked", () => {
  it("--debug and TT_DEBUG=1 log each request with the Authorization header masked", async () => {
    for (const [args, env] of [
      [["--debug", "auth", "status", "-k", key, "--base-url", APP_URL], {}],
      [["auth", "status", "-k", key, "--base-url", APP_URL], { TT_DEBUG: "1" }],
    ] as const) {
      const res = await sb.run([...args], { env });
      expect(res.code, res.output).toBe(0);
      expect(res.stderr).toContain(`[debug] → GET ${APP_URL}/api/v1/me`);
      expect(res.stderr).toContain(`[debug]   authorization: Bearer ${mask(key)}`);
      expect(res.stderr).toMatch(/\[debug\] ← 200 OK in \d+ ms \(x-request-id [\w-]+\)/);
    }
  });

  it("a key typed where a command or an id belongs is echoed back masked", async () => {
    const asCommand = await sb.run([key]);
    expect(asCommand.code).toBe(2);
    expect(asCommand.stderr).toContain(`unknown command '${mask(key)}'`);
    const asId = await sb.run(["keys", "revoke", key]);
    expect(asId.code).toBe(2);
    expect(asId.stderr).toContain(mask(key));
  });

  it("a key that is not a tt_ key is not shown at all", async () => {
    const res = await sb.run(["auth", "status", "--base-url", APP_URL], { env: { TUNED_TENSOR_API_KEY: "sk-live-0123456789abcdef" } });
    expect(res.code).toBe(1);
    expect(res.output).not.toContain("sk-live");
    expect(res.stdout).toContain("…(not a tt_ key; hidden)");
  });
});
