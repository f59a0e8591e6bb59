// tt activity and tt keys usage against the running app (npm test serves it with a 1 s
// usage flush, so counts arrive without waiting a minute).
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { sparkline } from "../../cli/src/commands/activity";
import { eventually } from "../support/http";
import { createApiKey } from "../support/session";
import { APP_URL, DATABASE_URL, newUser } from "../support/stack";
import { json, Sandbox, secret } from "./cli";

type Usage = { totals: { success: number; client_error: number; server_error: number; refused: number }; buckets: unknown[]; last_user_agent: string | null };

let sb: Sandbox;
let main: { id: string; key: string; key_prefix: string };
let busy: { id: string; key: string; key_prefix: string };
let user: Awaited<ReturnType<typeof newUser>>;
const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });

afterAll(async () => {
  sb?.cleanup();
  await sql.end({ timeout: 5 });
});
beforeAll(async () => {
  user = await newUser("cli-activity");
  main = secret(await createApiKey(user.session, "cli main"));
  busy = secret(await createApiKey(user.session, "cli busy", undefined, ["specs:read"]));
  sb = new Sandbox();
  expect((await sb.run(["auth", "login", main.key, "--base-url", APP_URL])).code).toBe(0);
});

describe("tt activity", () => {
  it("prints the security log as a table, newest first, and --key --json as the API's page", async () => {
    const res = await sb.run(["activity"]);
    expect(res.code, res.output).toBe(0);
    const lines = res.stdout.split("\n");
    expect(lines[0]).toMatch(/^TIME\s+EVENT\s+KEY\s+BY\s+FROM\s+DETAILS$/);
    expect(lines[1]).toMatch(new RegExp(`key\\.created\\s+${busy.key_prefix}…\\s+you \\(session\\)\\s+\\S+\\s+"cli busy"$`));
    expect(lines[2]).toMatch(new RegExp(`key\\.created\\s+${main.key_prefix}…`));
    expect(res.stdout).toContain("page 1 of 1 (total 2)");
    const page = json<{ data: { type: string; key: { id: string } }[]; meta: { total: number } }>(await sb.run(["activity", "--key", busy.id, "--json"]));
    expect(page.data.map((e) => [e.type, e.key.id])).toEqual([["key.created", busy.id]]);
    expect(page.meta.total).toBe(1);
  });

  it("--json never prints a raw control character, even one the server stored before it stripped them", async () => {
    // An event as an older server recorded it: the 8-bit CSI, NEL and ESC raw in its user agent.
    const raw = "old\u009b31mUA\u0085\u001b[0m";
    await sql`insert into public.audit_events (organization_id, user_id, occurred_at, type, actor_type, ip, user_agent, details)
              values ((select id from public.organizations where personal_for = ${user.user.id}), ${user.user.id}, now() - interval '1 day', 'auth.signed_in', 'session', '203.0.113.9', ${raw}, '{}'::jsonb)`;
    const res = await sb.run(["activity", "--json"]);
    expect(res.code, res.output).toBe(0);
    expect(res.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(res.stdout).toContain("\\u009b");
    const page = json<{ data: { type: string; user_agent?: string; actor?: { user_agent?: string } }[] }>(res);
    const signedIn = page.data.find((e) => e.type === "auth.signed_in");
    expect(signedIn?.user_agent ?? signedIn?.actor?.user_agent).toBe(raw);
  });

  it("refuses a malformed time or key id as a usage error (exit 2)", async () => {
    for (const args of [["activity", "--since", "yesterday"], ["activity", "--key", "nope"], ["keys", "usage", busy.id, "--days", "91"]]) {
      const res = await sb.run(args);
      expect(res.code, args.join(" ")).toBe(2);
    }
  });
});

describe("tt keys usage", () => {
  it("shows a key's counts, a sparkline and today's row; --json is the API's data", async () => {
    for (let i = 0; i < 3; i++) expect((await fetch(`${APP_URL}/api/v1/behavior-specs`, { headers: { authorization: `Bearer ${busy.key}`, "user-agent": "cli-test-traffic" } })).status).toBe(200);
    expect((await fetch(`${APP_URL}/api/v1/api-keys`, { headers: { authorization: `Bearer ${busy.key}` } })).status).toBe(403);
    const data = await eventually(
      async () => json<Usage>(await sb.run(["keys", "usage", busy.id, "--json", "--days", "7"])),
      (u) => u.totals.success === 3 && u.totals.refused === 1,
      { timeoutMs: 20_000, everyMs: 500 },
    );
    expect(data.buckets).toHaveLength(7);
    const res = await sb.run(["keys", "usage", busy.id, "--days", "7"]);
    expect(res.code, res.output).toBe(0);
    expect(res.stdout).toContain(`Key ${busy.key_prefix}…, last 7 days: 3 succeeded, 1 failed (0 4xx, 0 5xx, 1 refused)`);
    expect(res.stdout).toMatch(/^ {2}\s*█ {2}requests per day$/m);
    expect(res.stdout).toMatch(/^DAY \(UTC\)\s+OK\s+4XX\s+5XX\s+REFUSED$/m);
    expect(res.stdout).toMatch(new RegExp(`^${new Date().toISOString().slice(0, 10)}\\s+3\\s+0\\s+0\\s+1$`, "m"));
    const hourly = await sb.run(["keys", "usage", busy.id, "--days", "1", "--hourly"]);
    expect(hourly.stdout).toMatch(/^HOUR \(UTC\)\s+OK/m);
  });

  it("another user's key is a 404 (exit 1)", async () => {
    const stranger = await newUser("cli-activity-stranger");
    const theirs = await createApiKey(stranger.session, "theirs");
    const res = await sb.run(["keys", "usage", theirs.id]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("API key not found");
  });
});

describe("sparkline", () => {
  it("scales to the busiest bucket and leaves empty ones blank", () => {
    expect(sparkline([0, 1, 2, 4, 8])).toBe(" ▁▂▄█");
    expect(sparkline([0, 0])).toBe("  ");
    expect(sparkline([])).toBe("");
  });
});
