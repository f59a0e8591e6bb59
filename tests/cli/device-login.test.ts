// tt auth login through the browser (RFC 8628 device flow): the installed tt polls while a
// real chromium, signed in as the user, approves or denies at /cli/authorize. The clock is
// moved by rewriting the request's timestamps in the database (expiry), never waited out.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chromium, type Browser, type Page } from "@playwright/test";
import postgres from "postgres";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { startAppInstance, freePortNear, type AppInstance } from "../support/app-instance";
import { api } from "../support/http";
import { sessionCookie } from "../support/session";
import { APP_URL, DATABASE_URL, newUser } from "../support/stack";
import { CLI, json, mask, Sandbox, secret } from "./cli";

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
let browser: Browser;
let user: Awaited<ReturnType<typeof newUser>>;
let page: Page;
let sandbox: Sandbox | undefined;

const CLIENT = { hostname: "build-box", os: "linux x64", version: "0.1.0" };
const DAY = 86_400_000;

beforeAll(async () => {
  user = await newUser("device-login");
  browser = await chromium.launch({ executablePath: process.env.TT_CHROMIUM_PATH ?? "/usr/bin/chromium" });
  page = await (await browser.newContext()).newPage();
  // Logged in through the form, as a person would be (the page sends signed-out visitors there first).
  await page.goto(`${APP_URL}/cli/authorize`);
  await page.waitForURL((url) => url.pathname === "/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((url) => url.pathname === "/cli/authorize");
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await sql.end();
});
afterEach(() => sandbox?.cleanup());

/** tt running in the background: its output so far, and its end. */
function startTt(sb: Sandbox, args: string[]) {
  const [command, ...prefix] = CLI.argv as [string, ...string[]];
  const child = spawn(command, [...prefix, ...args], { env: sb.env(), cwd: sb.root, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.on("close", (code) => resolve({ code, output })));
  const printed = async (pattern: RegExp): Promise<RegExpExecArray> => {
    for (let i = 0; i < 300; i++) {
      const match = pattern.exec(output);
      if (match) return match;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`tt never printed ${pattern}:\n${output}`);
  };
  return { done, printed, output: () => output };
}

const startFlow = async (body: object = { client: CLIENT }) => {
  const res = await api("/api/v1/cli/device-codes", { method: "POST", json: body });
  expect(res.status, res.text).toBe(201);
  return res.body.data as { device_code: string; user_code: string; verification_uri: string; verification_uri_complete: string; expires_in: number; interval: number };
};
const poll = (deviceCode: string) => api("/api/v1/cli/token", { method: "POST", json: { device_code: deviceCode } });
const expectError = (res: Awaited<ReturnType<typeof poll>>, code: string) => {
  expect(res.status, res.text).toBe(400);
  expect(res.body.error.code).toBe(code);
};

describe("tt auth login --web", () => {
  it("signs in through the browser: the code to compare, Authorize, then the key stored and tt auth status", async () => {
    const sb = (sandbox = new Sandbox());
    const tt = startTt(sb, ["auth", "login", "--no-browser", "--base-url", APP_URL]);
    const [, userCode] = await tt.printed(/one-time code: ([A-Z]{4}-[A-Z]{4})/);
    const [url] = await tt.printed(/http:\/\/\S+\/cli\/authorize\?code=\S+/);
    expect(url).toBe(`${APP_URL}/cli/authorize?code=${userCode}`);

    await page.goto(url!);
    await expect.poll(() => page.getByRole("heading", { name: "Authorize the CLI" }).isVisible()).toBe(true);
    expect(await page.getByText(userCode!, { exact: true }).isVisible()).toBe(true);
    for (const scope of ["specs:read", "specs:write", "keys:read", "keys:write", "activity:read"]) expect(await page.getByText(scope, { exact: true }).count()).toBe(1);
    await page.getByRole("button", { name: "Authorize" }).click();
    await page.getByRole("heading", { name: "CLI authorized" }).waitFor();

    const { code, output } = await tt.done;
    expect(code, output).toBe(0);
    expect(output).toContain(`as ${user.email}`);
    const stored = JSON.parse(readFileSync(sb.configFile, "utf8")) as { api_key: string; base_url: string };
    secret({ key: stored.api_key });
    expect(stored.base_url).toBe(APP_URL);
    expect(output).toContain(mask(stored.api_key));

    const status = json<{ authenticated: boolean; user: { email: string }; scopes: string[]; key_expires_at: string }>(await sb.run(["auth", "status", "--json"]));
    expect(status.authenticated).toBe(true);
    expect(status.user.email).toBe(user.email);
    expect(status.scopes).toEqual(["specs:read", "specs:write", "keys:read", "keys:write", "activity:read"]);
    expect(Math.abs(Date.parse(status.key_expires_at) - Date.now() - 90 * DAY)).toBeLessThan(DAY);

    // The key is the user's, named for the machine, and its creation is on the record as the device flow's.
    const events = await api("/api/v1/audit-events", { cookie: sessionCookie(user.session), origin: APP_URL });
    const created = (events.body.data as { type: string; details: Record<string, unknown> }[]).find((e) => e.type === "key.created");
    expect(created?.details).toMatchObject({ via: "device_flow", scopes: ["specs:read", "specs:write", "keys:read", "keys:write", "activity:read"] });
    expect(String(created?.details.name)).toMatch(/^tt CLI on /);
  }, 60_000);

  it("--scopes asks for fewer; Deny leaves the CLI without a key", async () => {
    const sb = (sandbox = new Sandbox());
    const tt = startTt(sb, ["auth", "login", "--no-browser", "--scopes", "specs:read", "--base-url", APP_URL]);
    const [url] = await tt.printed(/http:\/\/\S+\/cli\/authorize\?code=\S+/);
    await page.goto(url!);
    await page.getByRole("button", { name: "Deny" }).waitFor();
    expect(await page.getByText("specs:read", { exact: true }).count()).toBe(1);
    expect(await page.getByText("specs:write", { exact: true }).count()).toBe(0);
    await page.getByRole("button", { name: "Deny" }).click();
    await page.getByRole("heading", { name: "CLI login denied" }).waitFor();
    const { code, output } = await tt.done;
    expect(code, output).toBe(1);
    expect(output).toContain("denied");
    expect(existsSync(sb.configFile)).toBe(false);
  }, 60_000);
});

describe("the device flow's rules", () => {
  it("stores only the device code's SHA-256; polling early is authorization_pending, too fast slow_down", async () => {
    const flow = await startFlow();
    expect(flow.expires_in).toBe(600);
    expect(flow.interval).toBe(5);
    expect(flow.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    const hash = createHash("sha256").update(flow.device_code).digest();
    const rows = await sql`select * from internal.cli_device_codes where device_code_hash = ${hash}`;
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).not.toContain(flow.device_code);

    expectError(await poll(flow.device_code), "authorization_pending");
    expectError(await poll(flow.device_code), "slow_down");
    // The interval grew by 5 s (RFC 8628 §3.5): 6 s later is still too fast (and it grows to 15 s), 16 s later is not.
    await sql`update internal.cli_device_codes set last_polled_at = now() - interval '6 seconds' where device_code_hash = ${hash}`;
    expectError(await poll(flow.device_code), "slow_down");
    await sql`update internal.cli_device_codes set last_polled_at = now() - interval '16 seconds' where device_code_hash = ${hash}`;
    expectError(await poll(flow.device_code), "authorization_pending");
  });

  it("hands the key over once: the replayed device code is invalid_grant; the key has the scopes asked for and 90 days", async () => {
    const flow = await startFlow({ client: CLIENT, scopes: ["keys:read", "specs:read"] });
    await page.goto(flow.verification_uri_complete);
    await page.getByRole("button", { name: "Authorize" }).click();
    await page.getByRole("heading", { name: "CLI authorized" }).waitFor();

    const handed = await poll(flow.device_code);
    expect(handed.status, handed.text).toBe(201);
    const key = secret(handed.body.data as { key: string; name: string; scopes: string[]; expires_at: string });
    expect(key.name).toBe("tt CLI on build-box");
    expect(key.scopes).toEqual(["specs:read", "keys:read"]);
    expect(Math.abs(Date.parse(key.expires_at) - Date.now() - 90 * DAY)).toBeLessThan(DAY);
    const me = await api("/api/v1/me", { key: key.key });
    expect(me.body.data.user.email).toBe(user.email);

    expectError(await poll(flow.device_code), "invalid_grant");
    // Approved once: the user code is spent too.
    await page.goto(flow.verification_uri_complete);
    await page.getByText("No login request is waiting with that code").waitFor();
  });

  it("an expired request is expired_token for the CLI and gone from the page", async () => {
    const flow = await startFlow();
    const hash = createHash("sha256").update(flow.device_code).digest();
    await sql`update internal.cli_device_codes set expires_at = now() - interval '1 second' where device_code_hash = ${hash}`;
    expectError(await poll(flow.device_code), "expired_token");
    await page.goto(flow.verification_uri_complete);
    await page.getByText("No login request is waiting with that code").waitFor();
    expect(await page.getByRole("button", { name: "Authorize" }).count()).toBe(0);
  });

  it("a user code typed wrong finds nothing; an unknown device code is invalid_grant", async () => {
    await page.goto(`${APP_URL}/cli/authorize`);
    await page.getByLabel("Code shown in your terminal").fill("bbbb-bbbb");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByText("No login request is waiting with that code").waitFor();
    expect(await page.getByRole("button", { name: "Authorize" }).count()).toBe(0);
    expectError(await poll("not-a-device-code"), "invalid_grant");
  });

  it("a denied request is access_denied, and cannot be approved afterwards", async () => {
    const flow = await startFlow();
    await page.goto(flow.verification_uri_complete);
    await page.getByRole("button", { name: "Deny" }).click();
    await page.getByRole("heading", { name: "CLI login denied" }).waitFor();
    expectError(await poll(flow.device_code), "access_denied");
    await page.goto(flow.verification_uri_complete);
    await page.getByText("No login request is waiting with that code").waitFor();
  });

  it("refuses bad input with a validation error", async () => {
    const res = await api("/api/v1/cli/device-codes", { method: "POST", json: { scopes: ["admin"], client: CLIENT } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_error");
  });
});

describe("against a second instance (--base-url), with a low limit on wrong codes", () => {
  const LIMIT = 3;
  let second: AppInstance;
  beforeAll(async () => {
    // Behind one trusted proxy: the test names its own client address, so its failures are counted apart from every other test's.
    second = await startAppInstance(freePortNear(3600), { AUTH_FAILURE_LIMIT: String(LIMIT), TRUSTED_PROXY_HOPS: "1" });
  }, 60_000);
  afterAll(async () => second?.stop());

  it("signs in there, then refuses user codes once too many were wrong", async () => {
    const sb = (sandbox = new Sandbox());
    const tt = startTt(sb, ["auth", "login", "--web", "--no-browser", "--base-url", second.url]);
    const [url] = await tt.printed(/http:\/\/\S+\/cli\/authorize\?code=\S+/);
    expect(url!.startsWith(`${second.url}/cli/authorize?code=`)).toBe(true);
    // The browser's session cookie is the same user's on this instance (cookies are per host, not per port).
    await page.goto(url!);
    await page.getByRole("button", { name: "Authorize" }).click();
    await page.getByRole("heading", { name: "CLI authorized" }).waitFor();
    const { code, output } = await tt.done;
    expect(code, output).toBe(0);
    const stored = JSON.parse(readFileSync(sb.configFile, "utf8")) as { api_key: string; base_url: string };
    secret({ key: stored.api_key });
    expect(stored.base_url).toBe(second.url);

    // Wrong codes count against this client and this session: past the limit, even a real code is refused.
    const guesser = await page.context().newPage();
    // An address of its own (shared address space, RFC 6598), which no other test counts or looks up.
    const octet = () => Math.floor(Math.random() * 250) + 1;
    await guesser.setExtraHTTPHeaders({ "x-forwarded-for": `100.64.${octet()}.${octet()}` });
    for (let i = 0; i < LIMIT + 1; i++) {
      await guesser.goto(`${second.url}/cli/authorize?code=BBBB-BBB${"BCDF"[i]}`);
      await guesser.getByText(/No login request is waiting|Too many attempts/).waitFor();
    }
    const real = await startFlow();
    await guesser.goto(real.verification_uri_complete.replace(APP_URL, second.url));
    await guesser.getByText("Too many attempts").waitFor();
    expect(await guesser.getByRole("button", { name: "Authorize" }).count()).toBe(0);
  }, 60_000);
});
