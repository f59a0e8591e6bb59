// tt keys show | limits and tt service-accounts limits against the running app: a key's
// limits (its own, the organization's default, none), their use and refill; lowering them
// with a key; raising them refused with the way to do it; a quota used up reported with when
// to try again, and a change never repeated.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createApiKeyWithCookie } from "../../scripts/lib/users.ts";
import { api } from "../support/http";
import { sessionCookie } from "../support/session";
import { APP_URL, newUser } from "../support/stack";
import { json, Sandbox, secret } from "./cli";

type Created = { id: string; key: string; key_prefix: string };
type Limits = { rate: { requests: number; per: string; burst: number | null } | null; quota: { requests: number; per: string } | null };

let sb: Sandbox;
let cookie: string;
let main: Created;
let limited: Created;
let plain: Created;
const mint = (fields: Record<string, unknown>) => createApiKeyWithCookie<Created>(APP_URL, cookie, fields).then(secret);

afterAll(() => sb?.cleanup());
beforeAll(async () => {
  const user = await newUser("cli-limits");
  cookie = sessionCookie(user.session);
  main = await mint({ name: "cli limits main" });
  limited = await mint({ name: "limited", limits: { rate: { requests: 100, per: "minute", burst: 10 }, quota: { requests: 10000, per: "day" } } });
  plain = await mint({ name: "plain" });
  sb = new Sandbox();
  expect((await sb.run(["auth", "login", main.key, "--base-url", APP_URL])).code).toBe(0);
});

describe("tt keys show", () => {
  it("shows the key's own limits, each window's use and when it refills", async () => {
    // Some use to count: the key's own requests.
    for (let i = 0; i < 3; i++) expect((await api("/api/v1/me", { key: limited.key })).status).toBe(200);
    const res = await sb.run(["keys", "show", limited.id]);
    expect(res.code, res.output).toBe(0);
    expect(res.stdout).toContain(`Key ${limited.key_prefix}… "limited" (${limited.id})`);
    expect(res.stdout).toContain("Limits: its own\n  rate:  100 requests a minute (at most 10 in any second)\n  quota: 10,000 requests a day (refilled at 00:00 UTC)");
    expect(res.stdout).toMatch(/^LIMIT\s+USED\s+REFILLS$/m);
    expect(res.stdout).toMatch(/^quota: 10,000 a day\s+[\d,]+ \(\d+ %\)\s+\d{4}-\d\d-\d\d 00:00:00 UTC \(in [^)]+\)$/m);
    expect(res.stdout).toMatch(/^rate: 100 a minute\s+\d+ \(\d+ %\)/m);

    const data = json<{ key: { id: string; limits: Limits }; limits: { kind: string; used: number }[] }>(await sb.run(["keys", "show", limited.id, "--json"]));
    expect(data.key.limits).toEqual({ rate: { requests: 100, per: "minute", burst: 10 }, quota: { requests: 10000, per: "day" } });
    expect(data.limits.find((l) => l.kind === "quota")!.used).toBeGreaterThanOrEqual(3);
  });

  it("a key without limits says so; an unknown key is a 404", async () => {
    const res = await sb.run(["keys", "show", plain.id]);
    expect(res.code, res.output).toBe(0);
    expect(res.stdout).toContain("Limits: none");
    expect(res.stdout).toContain("Current use: no limits to count against.");
    const missing = await sb.run(["keys", "show", "00000000-0000-4000-8000-000000000000"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("404 not_found");
  });
});

describe("tt keys limits", () => {
  it("lowers a limit with a key: the option replaces its part, the rest stays", async () => {
    const res = await sb.run(["keys", "limits", limited.id, "--quota", "5000/day"]);
    expect(res.code, res.output).toBe(0);
    expect(res.stdout).toContain(`Changed the limits of key ${limited.key_prefix}… "limited"`);
    expect(res.stdout).toContain("rate:  100 requests a minute (at most 10 in any second)\n  quota: 5,000 requests a day");
    const after = json<{ limits: Limits; effective_limits: { source: string } }>(await sb.run(["keys", "limits", limited.id, "--rate", "50/minute", "--burst", "5", "--json"]));
    expect(after.limits).toEqual({ rate: { requests: 50, per: "minute", burst: 5 }, quota: { requests: 5000, per: "day" } });
    expect(after.effective_limits.source).toBe("key");
  });

  it("raising or removing one with a key is refused, saying to use the dashboard; nothing changes", async () => {
    for (const args of [["--quota", "20000/day"], ["--no-rate"], ["--org-default"]]) {
      const res = await sb.run(["keys", "limits", limited.id, ...args]);
      expect(res.code, res.output).toBe(1);
      expect(res.stderr).toContain("403 forbidden");
      expect(res.stderr).toContain("Raising or removing a limit takes a signed-in session: change it in the dashboard");
    }
    const now = json<{ key: { limits: Limits } }>(await sb.run(["keys", "show", limited.id, "--json"]));
    expect(now.key.limits).toEqual({ rate: { requests: 50, per: "minute", burst: 5 }, quota: { requests: 5000, per: "day" } });
  });

  it("what does not fit together is a usage error, before any request", async () => {
    for (const [args, message] of [
      [[], "say what to change"],
      [["--rate", "5/hour"], "--rate must be REQUESTS/second or REQUESTS/minute"],
      [["--quota", "0/day"], "between 1 and"],
      [["--org-default", "--rate", "1/second"], "--org-default drops the key's own limits"],
      [["--rate", "5/second", "--burst", "2"], "--burst is only for a rate per minute"],
      [["--rate", "10/minute", "--burst", "11"], "must be at most the rate's 10"],
    ] as const) {
      const res = await sb.run(["keys", "limits", limited.id, ...args]);
      expect(res.code, `${args.join(" ")}\n${res.output}`).toBe(2);
      expect(res.stderr).toContain(message);
    }
  });
});

describe("a quota used up", () => {
  it("a read is refused with when to try again (its wait is longer than tt waits); a change is not repeated", async () => {
    const tiny = await mint({ name: "tiny", limits: { rate: null, quota: { requests: 2, per: "day" } } });
    const sandbox = new Sandbox();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await api("/api/v1/me", { key: tiny.key })).status);
      expect(statuses).toEqual([200, 200, 429]);
      const read = await sandbox.run(["specs", "list", "-k", tiny.key, "--base-url", APP_URL]);
      expect(read.code, read.output).toBe(1);
      expect(read.stderr).toContain("error: 429 quota_exceeded");
      expect(read.stderr).toMatch(/The key's quota \(2 requests a day\) is used up: try again in [^(]+\(at \d{4}-\d\d-\d\d 00:00:00 UTC\)/);
      expect(read.stderr).not.toContain("retrying");
      const create = await sandbox.run(["specs", "create", "-k", tiny.key, "--base-url", APP_URL, "--file", "-"], { input: JSON.stringify({ name: "x", examples: [{ input: "a", output: "b" }] }) });
      expect(create.code).toBe(1);
      expect(create.stderr).toContain("tt does not repeat a request that changes something.");
    } finally {
      sandbox.cleanup();
    }
  });
});
