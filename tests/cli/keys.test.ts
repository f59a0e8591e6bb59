// tt keys list | revoke against the running app.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createApiKey, sessionCookie } from "../support/session";
import { APP_URL, newUser } from "../support/stack";
import { json, mask, Sandbox, secret } from "./cli";

type Key = { id: string; name: string; key_prefix: string; last_used_at: string | null; revoked_at: string | null };
type Page = { data: Key[]; meta: { page: number; per_page: number; total: number } };

let sb: Sandbox;
let main: { id: string; key: string; key_prefix: string };
let spare: { id: string; key: string; key_prefix: string };

afterAll(() => sb?.cleanup());
beforeAll(async () => {
  const user = await newUser("cli-keys");
  main = secret(await createApiKey(user.session, "cli main"));
  spare = secret(await createApiKey(user.session, "cli spare", undefined, ["specs:read", "keys:read"]));
  sb = new Sandbox();
  expect((await sb.run(["auth", "login", main.key, "--base-url", APP_URL])).code).toBe(0);
});

describe("tt keys list", () => {
  it("shows a table of the user's keys: prefixes only, readable dates, never for unused keys, the page line", async () => {
    const res = await sb.run(["keys", "list"]);
    expect(res.code, res.output).toBe(0);
    const lines = res.stdout.split("\n");
    expect(lines[0]).toMatch(/^ID\s+NAME\s+PREFIX\s+SCOPES\s+CREATED\s+LAST USED\s+EXPIRES\s+STATUS$/);
    const spareRow = lines.find((l) => l.startsWith(spare.id));
    expect(spareRow).toMatch(new RegExp(`cli spare\\s+${spare.key_prefix}\\s+specs:read,keys:read\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+never\\s+never\\s+active$`));
    expect(lines.find((l) => l.startsWith(main.id))).toMatch(/\sall\s.*active \(this key\)$/);
    // Columns line up: every row's PREFIX starts where the header's does.
    const at = lines[0]!.indexOf("PREFIX");
    for (const row of [spareRow!, lines.find((l) => l.startsWith(main.id))!]) expect(row.slice(at, at + 3)).toBe("tt_");
    expect(res.stdout).toContain("page 1 of 1 (total 2)");
  });

  it("--json prints the API's data and meta; --page and --per-page are passed on", async () => {
    const all = json<Page>(await sb.run(["keys", "list", "--json"]));
    expect(all.meta).toEqual({ page: 1, per_page: 20, total: 2 });
    expect(all.data.map((k) => k.id).sort()).toEqual([main.id, spare.id].sort());
    expect(all.data.every((k) => !("key" in k))).toBe(true);

    const second = json<Page>(await sb.run(["keys", "list", "--json", "--page", "2", "--per-page", "1"]));
    expect(second.meta).toEqual({ page: 2, per_page: 1, total: 2 });
    expect(second.data).toHaveLength(1);

    const table = await sb.run(["keys", "list", "--per-page", "1"]);
    expect(table.stdout).toContain("page 1 of 2 (total 2)");
  });

  it("has no create command: it says keys are created in the dashboard", async () => {
    const help = await sb.run(["keys", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/created in the dashboard \(Settings → API Keys\)/);
    const create = await sb.run(["keys", "create", "--name", "x"]);
    expect(create.code).toBe(2);
    expect(create.stderr).toContain("dashboard");
  });
});

describe("tt keys revoke", () => {
  it("revokes a key; from then on status says revoked", async () => {
    expect((await sb.run(["auth", "status", "-k", spare.key])).code).toBe(0);
    const res = await sb.run(["keys", "revoke", spare.id]);
    expect(res.code, res.output).toBe(0);
    expect(res.stdout).toContain(`Revoked key ${spare.key_prefix}… "cli spare" (${spare.id})`);

    const status = await sb.run(["auth", "status", "-k", spare.key]);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain("this key has been revoked (403 forbidden: API key revoked)");
    expect(status.stdout).toContain(mask(spare.key));

    const row = json<Page>(await sb.run(["keys", "list", "--json"])).data.find((k) => k.id === spare.id);
    expect(row?.revoked_at).toEqual(expect.any(String));
    expect((await sb.run(["keys", "list"])).stdout).toMatch(new RegExp(`${spare.id}.*revoked$`, "m"));
  });

  it("an unknown id is the server's 404 (exit 1); a malformed id is a usage error (exit 2)", async () => {
    const missing = await sb.run(["keys", "revoke", crypto.randomUUID()]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("error: 404 not_found: API key not found");
    const bad = await sb.run(["keys", "revoke", "../behavior-specs"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("must be a UUID");
  });

  it("revoking the key in use warns that it no longer works", async () => {
    const res = await sb.run(["keys", "revoke", main.id, "--json"]);
    expect(res.code, res.output).toBe(0);
    expect(json<Key>(res)).toMatchObject({ id: main.id, revoked_at: expect.any(String) });
    expect(res.stderr).toMatch(/warning: that was the key tt is logged in with; it no longer works/);
    expect((await sb.run(["auth", "status"])).code).toBe(1);
  });
});

describe("a rolled key", () => {
  it("is listed as rolled (it works until its grace window ends), its successor as active", async () => {
    const user = await newUser("cli-keys-rolled");
    const own = secret(await createApiKey(user.session, "cli own"));
    const old = secret(await createApiKey(user.session, "cli old"));
    const rolled = await fetch(`${APP_URL}/api/v1/api-keys/${old.id}/roll`, {
      method: "POST",
      headers: { cookie: sessionCookie(user.session), "content-type": "application/json" },
      body: JSON.stringify({ grace_seconds: 3600 }),
    });
    expect(rolled.status).toBe(201);
    const successor = secret(((await rolled.json()) as { data: { id: string; key: string } }).data);

    const res = await sb.run(["keys", "list", "-k", own.key]);
    expect(res.code, res.output).toBe(0);
    const rowOf = (id: string) => res.stdout.split("\n").find((line) => line.startsWith(id));
    expect(rowOf(old.id)).toMatch(/\srolled$/);
    expect(rowOf(successor.id)).toMatch(/\sactive$/);
    expect(rowOf(own.id)).toMatch(/\sactive \(this key\)$/);
  });
});
