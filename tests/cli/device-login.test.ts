// tt auth login through the browser (RFC 8628 device flow): the installed tt polls while a
// real chromium, signed in as the user, approves or denies at /cli/authorize. The clock is
// moved by rewriting the request's timestamps in the database (expiry), never waited out.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chromium, type Browser, type Page } from "@playwright/test";
import postgres from "postgres";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { startAppInstance, freePort, type AppInstance } from "../support/app-instance";
import { api } from "../support/http";
import { fitInMinute } from "../support/limiter-minute";
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
    expect(status.scopes).toEqual(["specs:read", "specs:write", "keys:read", "keys:write", "activity:read", "members:read", "members:write", "org:write"]);
    expect(Math.abs(Date.parse(status.key_expires_at) - Date.now() - 90 * DAY)).toBeLessThan(DAY);

    // The key is the user's, named for the machine, and its creation is on the record as the device flow's.
    const events = await api("/api/v1/audit-events", { cookie: sessionCookie(user.session), origin: APP_URL });
    const created = (events.body.data as { type: string; details: Record<string, unknown> }[]).find((e) => e.type === "key.created");
    expect(created?.details).toMatchObject({ via: "device_flow", scopes: ["specs:read", "specs:write", "keys:read", "keys:write", "activity:read", "members:read", "members:write", "org:write"] });
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
    // Not even the shape of a device code: a validation error; the shape but never issued: invalid_grant (RFC 8628).
    const malformed = await poll("not-a-device-code");
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("validation_error");
    expectError(await poll("A".repeat(43)), "invalid_grant");
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

  it("records the approval and the denial as their own events, by the approving browser's session, in the decision's transaction; the key as created by tt auth login", async () => {
    type Event = { id: string; type: string; actor: { type: string }; ip: string | null; user_agent: string | null; key: { id: string } | null; details: Record<string, unknown> };
    const browserUa = await page.evaluate(() => navigator.userAgent);
    const events = async () => (await api("/api/v1/audit-events?per_page=100", { cookie: sessionCookie(user.session), origin: APP_URL })).body.data as Event[];
    const xminOf = async (deviceCode: string) =>
      (await sql`select xmin::text as x from internal.cli_device_codes where device_code_hash = ${createHash("sha256").update(deviceCode).digest()}`)[0]!.x as string;
    const eventXmin = async (id: string) => (await sql`select xmin::text as x from public.audit_events where id = ${id}`)[0]!.x as string;

    // Approved: an event of its own, by the session in the browser, from the browser's address and user agent.
    const approved = await startFlow({ client: { ...CLIENT, hostname: "approve-box" }, scopes: ["specs:read"] });
    await page.goto(approved.verification_uri_complete);
    await page.getByRole("button", { name: "Authorize" }).click();
    await page.getByRole("heading", { name: "CLI authorized" }).waitFor();
    const approval = (await events()).find((e) => e.type === "cli_login.approved" && e.details.hostname === "approve-box");
    expect(approval).toMatchObject({ actor: { type: "session" }, user_agent: browserUa, key: null, details: { hostname: "approve-box", os: CLIENT.os, version: CLIENT.version, scopes: ["specs:read"] } });
    expect(approval!.ip).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    expect(approval!.details.session_id).toEqual(expect.any(String));
    // The same transaction as the decision: the row and the event were written by one transaction id.
    expect(await eventXmin(approval!.id)).toBe(await xminOf(approved.device_code));

    // The key: created by tt auth login (its poll's user agent), not by "you (signed in)".
    const handed = await api("/api/v1/cli/token", { method: "POST", json: { device_code: approved.device_code }, headers: { "user-agent": "tt-poll-test/1.0" } });
    expect(handed.status, handed.text).toBe(201);
    secret(handed.body.data as { key: string });
    const created = (await events()).find((e) => e.type === "key.created" && e.key?.id === handed.body.data.id);
    expect(created).toMatchObject({ actor: { type: "cli_login" }, user_agent: "tt-poll-test/1.0", details: { via: "device_flow" } });

    // Denied: its own event too.
    const denied = await startFlow({ client: { ...CLIENT, hostname: "deny-box" } });
    await page.goto(denied.verification_uri_complete);
    await page.getByRole("button", { name: "Deny" }).click();
    await page.getByRole("heading", { name: "CLI login denied" }).waitFor();
    const denial = (await events()).find((e) => e.type === "cli_login.denied" && e.details.hostname === "deny-box");
    expect(denial).toMatchObject({ actor: { type: "session" }, user_agent: browserUa, key: null });
    expect(await eventXmin(denial!.id)).toBe(await xminOf(denied.device_code));
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
    // The device-code limit is counted in the shared database, where this suite's other logins from 127.0.0.1 count too: out of reach here.
    second = await startAppInstance(await freePort(), { AUTH_FAILURE_LIMIT: String(LIMIT), TRUSTED_PROXY_HOPS: "1", DEVICE_CODE_LIMIT: "999999999" });
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
    // The limit counts per clock minute: the wrong codes and the real one must fall in one.
    await fitInMinute(30);
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

describe("a decided request cannot be decided again — the approval form itself, replayed", () => {
  type Intent = "approve" | "deny";
  type Who = "same" | "other";
  let other: Awaited<ReturnType<typeof newUser>>;
  // The Authorize/Deny form's fields as the page renders them (Next's hidden $ACTION_ID_… input among them).
  let formFields: [string, string][];

  beforeAll(async () => {
    other = await newUser("device-login-other");
    const flow = await startFlow({ client: { ...CLIENT, hostname: "form-capture" } });
    await page.goto(flow.verification_uri_complete);
    await page.getByRole("button", { name: "Authorize" }).waitFor();
    formFields = await page.$eval("form:has(button[value=approve])", (form) => [...new FormData(form as HTMLFormElement).entries()].map(([k, v]) => [k, String(v)] as [string, string]));
    expect(formFields.some(([name]) => name.startsWith("$ACTION_ID_"))).toBe(true);
  }, 60_000);

  /** Submits the form as a browser without JavaScript would: the Server Action's POST, with `who`'s session cookie. */
  async function submit(session: typeof user.session, userCode: string, intent: Intent): Promise<string> {
    const body = new FormData();
    for (const [name, value] of formFields) body.append(name, name === "code" ? userCode : value);
    body.append("intent", intent);
    const res = await fetch(`${APP_URL}/cli/authorize?code=${userCode}`, { method: "POST", body, redirect: "manual", headers: { cookie: sessionCookie(session), origin: APP_URL } });
    expect([303, 307, 308], `${res.status} ${await res.clone().text().then((t) => t.slice(0, 200))}`).toContain(res.status);
    return res.headers.get("location") ?? "";
  }

  const intents: Intent[] = ["approve", "deny"];
  const whos: Who[] = ["same", "other"];
  // Every sequence of two decisions: the first by the page's user, the second approve or deny, by the same account or another.
  const cases = intents.flatMap((first) => intents.flatMap((second) => whos.map((who) => ({ first, second, who }))));

  it.each(cases)("first $first, then $second by the $who account: the first decision stands, the second is refused and records nothing", async ({ first, second, who }) => {
    const hostname = `seq-${first}-${second}-${who}-${Math.random().toString(36).slice(2, 8)}`;
    const flow = await startFlow({ client: { ...CLIENT, hostname } });
    const code = flow.user_code;
    expect(await submit(user.session, code, first)).toContain(`done=${first === "approve" ? "approved" : "denied"}`);
    const decided = await sql`select status, user_id, decided_at from internal.cli_device_codes where client_hostname = ${hostname}`;
    expect(decided[0]).toMatchObject({ status: first === "approve" ? "approved" : "denied", user_id: user.user.id });

    // The second submission of the same form: refused as an unknown code, nothing changed.
    expect(await submit(who === "same" ? user.session : other.session, code, second)).toContain("error=unknown");
    const after = await sql`select status, user_id, decided_at from internal.cli_device_codes where client_hostname = ${hostname}`;
    expect(after).toEqual(decided);
    const events = await sql`select type, user_id from public.audit_events where type like 'cli_login.%' and details->>'hostname' = ${hostname}`;
    expect(events.map((e) => [e.type, e.user_id])).toEqual([[`cli_login.${first === "approve" ? "approved" : "denied"}`, user.user.id]]);

    // And the CLI gets what the first decision said: the first user's key, or a denial.
    const res = await poll(flow.device_code);
    if (first === "deny") return expectError(res, "access_denied");
    expect(res.status, res.text).toBe(201);
    const key = secret(res.body.data as { key: string });
    expect((await api("/api/v1/me", { key: key.key })).body.data.user.email).toBe(user.email);
  });
});
