// The security log and a key's usage (sign-ins with their addresses and user agents) need
// their own scope, activity:read: a key made to list keys (keys:read) cannot read them. No
// existing key is given the new scope (a stored scope list is never widened): a key that
// held every scope before it existed loses the activity operations.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { api } from "../support/http";
import { createApiKey, sessionCookie } from "../support/session";
import { DATABASE_URL, newUser } from "../support/stack";

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

let user: Awaited<ReturnType<typeof newUser>>;
let keyId: string;
beforeAll(async () => {
  user = await newUser("activity-scope");
  keyId = (await createApiKey(user.session, "subject")).id;
});

const ACTIVITY = () => [`/api/v1/audit-events`, `/api/v1/api-keys/${keyId}/usage`];

describe("activity:read", () => {
  it("a key with keys:read only: 403 insufficient_scope naming activity:read on both operations", async () => {
    const { key } = await createApiKey(user.session, "lists keys", undefined, ["keys:read"]);
    for (const path of ACTIVITY()) {
      const res = await api(path, { key });
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
      expect(res.headers.get("www-authenticate")).toBe('Bearer error="insufficient_scope", scope="activity:read"');
    }
    expect((await api("/api/v1/api-keys", { key })).status).toBe(200);
  });

  it("a key with activity:read: 200 on both, and nothing else", async () => {
    const { key } = await createApiKey(user.session, "reads the log", undefined, ["activity:read"]);
    for (const path of ACTIVITY()) expect((await api(path, { key })).status, path).toBe(200);
    expect((await api("/api/v1/api-keys", { key })).status).toBe(403);
  });

  it("a session: 200 on both (a session has every scope)", async () => {
    for (const path of ACTIVITY()) expect((await api(path, { cookie: sessionCookie(user.session) })).status, path).toBe(200);
  });

  it("a key created with every scope (none named) has activity:read", async () => {
    const created = await createApiKey(user.session, "everything");
    expect(created.scopes).toContain("activity:read");
  });

  it("a key stored with the four scopes of before (what every full key held) is not widened: it loses activity", async () => {
    const { id, key } = await createApiKey(user.session, "old full key", undefined, ["specs:read", "specs:write", "keys:read", "keys:write"]);
    const [row] = await sql<{ scopes: string[] }[]>`select scopes from api_keys where id = ${id}`;
    expect(row!.scopes).not.toContain("activity:read");
    expect((await api("/api/v1/audit-events", { key })).status).toBe(403);
    // …and the database refuses widening it, whatever writes the row.
    await expect(sql`update api_keys set scopes = scopes || array['activity:read'] where id = ${id}`).rejects.toThrow(/narrowed/);
  });
});
