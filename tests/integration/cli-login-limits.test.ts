// `tt auth login`'s public endpoints are bounded: device codes per client per sliding
// minute, polls with device codes nobody issued likewise, pending requests in total; and the
// lifecycle cron deletes requests that can no longer be used. An instance of its own with
// the default per-client limit (5) and a small total cap, behind one trusted proxy so each
// test names its own client address. Time is moved by rewriting timestamps in the database.
import { randomBytes } from "node:crypto";

import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startAppInstance, freePort, type AppInstance } from "../support/app-instance";
import { api, type Res } from "../support/http";
import { APP_URL, CRON_SECRET, DATABASE_URL, newUser } from "../support/stack";

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
const LIMIT = 5;
const PENDING_MAX = 1000;
let app: AppInstance;

beforeAll(async () => {
  app = await startAppInstance(await freePort(), { DEVICE_CODE_LIMIT: String(LIMIT), DEVICE_CODES_PENDING_MAX: String(PENDING_MAX), TRUSTED_PROXY_HOPS: "1" });
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await sql.end({ timeout: 5 });
});

// Addresses of the benchmarking range (RFC 2544), which no other test uses.
const newClient = () => `198.18.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
const newHost = () => `limits-${randomBytes(4).toString("hex")}`;
const create = (client: string, hostname: string) =>
  api("/api/v1/cli/device-codes", { method: "POST", base: app.url, json: { client: { hostname, os: "linux x64", version: "0.1.0" } }, headers: { "x-forwarded-for": client } });
const poll = (client: string, deviceCode: string) =>
  api("/api/v1/cli/token", { method: "POST", base: app.url, json: { device_code: deviceCode }, headers: { "x-forwarded-for": client } });
const rowsFor = async (hostname: string) => Number((await sql`select count(*) from internal.cli_device_codes where client_hostname = ${hostname}`)[0]!.count);
/** Moves a client's attempts `seconds` into the past, as if that much time had gone by. */
const age = (client: string, seconds: number) => sql`update internal.cli_login_attempts set at = at - make_interval(secs => ${seconds}) where client = ${`ip:${client}`}`;
/** A device code of the shape the server issues (32 random bytes, base64url), never issued. */
const unknownCode = () => randomBytes(32).toString("base64url");

function expectLimited(res: Res, maxSeconds: number) {
  expect(res.status, res.text).toBe(429);
  expect(res.body.error.code).toBe("rate_limited");
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
}

describe("POST /api/v1/cli/device-codes, per client", () => {
  it(`the ${LIMIT + 1}th creation in a minute from one client is 429 with Retry-After and writes no row; another client is not limited; a minute later it works again`, async () => {
    const client = newClient();
    const hostname = newHost();
    for (let i = 0; i < LIMIT; i++) expect((await create(client, hostname)).status).toBe(201);
    expect(await rowsFor(hostname)).toBe(LIMIT);
    expectLimited(await create(client, hostname), 60);
    expect(await rowsFor(hostname)).toBe(LIMIT);

    const other = newHost();
    expect((await create(newClient(), other)).status).toBe(201);
    expect(await rowsFor(other)).toBe(1);

    // 59 s later the window still holds all five; 61 s later none of them.
    await age(client, 59);
    expectLimited(await create(client, hostname), 1);
    await age(client, 2);
    expect((await create(client, hostname)).status).toBe(201);
    expect(await rowsFor(hostname)).toBe(LIMIT + 1);
  });

  it(`polls with device codes nobody issued are counted per client: the ${LIMIT + 1}th is 429; issued codes still answer`, async () => {
    const client = newClient();
    const issued = (await create(newClient(), newHost())).body.data.device_code as string;
    for (let i = 0; i < LIMIT; i++) {
      const res = await poll(client, unknownCode());
      expect(res.status, res.text).toBe(400);
      expect(res.body.error.code).toBe("invalid_grant");
    }
    expect(Number((await sql`select count(*) from internal.cli_login_attempts where client = ${`ip:${client}`} and kind = 'unknown_poll'`)[0]!.count)).toBe(LIMIT);
    expectLimited(await poll(client, unknownCode()), 60);
    // A code that was issued is not an unknown one.
    expect((await poll(client, issued)).body.error.code).toBe("authorization_pending");
    // Creations are counted apart.
    expect((await create(client, newHost())).status).toBe(201);
    await age(client, 61);
    expect((await poll(client, unknownCode())).body.error.code).toBe("invalid_grant");
  });
});

describe("pending requests in total", () => {
  it(`past ${PENDING_MAX} pending, creation is 429 with Retry-After (until the first expires) and writes no row`, async () => {
    const marker = newHost();
    // Fillers: pending, unexpired, with user codes of their own (ZZZZ + four more letters).
    await sql`
      insert into internal.cli_device_codes (device_code_hash, user_code, scopes, client_hostname, client_os, client_version, created_at, expires_at, poll_interval)
      select sha256(convert_to(gen_random_uuid()::text || i, 'UTF8')),
             'ZZZZ' || string_agg(substr('BCDFGHJKLMNPQRSTVWXZ', 1 + floor(random() * 20)::int, 1), ''),
             array['specs:read'], ${marker}, 'linux', '0', now(), now() + interval '5 minutes', 5
      from generate_series(1, ${PENDING_MAX}) i, generate_series(1, 4) j
      group by i
      on conflict do nothing`;
    try {
      const hostname = newHost();
      expectLimited(await create(newClient(), hostname), 300);
      expect(await rowsFor(hostname)).toBe(0);
    } finally {
      await sql`delete from internal.cli_device_codes where client_hostname = ${marker}`;
    }
    expect((await create(newClient(), newHost())).status).toBe(201);
  });
});

describe("the lifecycle cron", () => {
  it("deletes denied, handed-over and expired requests (and attempts older than an hour), and keeps pending and approved ones", async () => {
    const user = await newUser("cli-prune");
    const rows: Record<string, string> = {};
    for (const kind of ["pending", "approved", "denied", "consumed", "expired_pending", "expired_approved"]) {
      const hostname = newHost();
      expect((await create(newClient(), hostname)).status).toBe(201);
      const [row] = await sql`select id from internal.cli_device_codes where client_hostname = ${hostname}`;
      rows[kind] = row!.id as string;
    }
    const decide = (id: string, status: string) => sql`update internal.cli_device_codes set status = ${status}, user_id = ${user.user.id}, decided_at = now() where id = ${id}`;
    await decide(rows.approved!, "approved");
    await decide(rows.denied!, "denied");
    await decide(rows.consumed!, "consumed");
    await decide(rows.expired_approved!, "approved");
    await sql`update internal.cli_device_codes set expires_at = now() - interval '1 second', created_at = now() - interval '601 seconds' where id in ${sql([rows.expired_pending!, rows.expired_approved!])}`;
    const oldClient = `ip:${newClient()}`;
    const recentClient = `ip:${newClient()}`;
    await sql`insert into internal.cli_login_attempts (client, kind, at) values (${oldClient}, 'create', now() - interval '61 minutes'), (${recentClient}, 'create', now() - interval '59 minutes')`;

    const res = await api("/api/cron/key-expiry", { base: APP_URL, headers: { authorization: `Bearer ${CRON_SECRET}` } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.data.pruned.deviceCodesDeleted).toBeGreaterThanOrEqual(4);

    const left = await sql`select id from internal.cli_device_codes where id in ${sql(Object.values(rows))}`;
    expect(new Set(left.map((r) => r.id))).toEqual(new Set([rows.pending, rows.approved]));
    const attempts = await sql`select client from internal.cli_login_attempts where client in ${sql([oldClient, recentClient])}`;
    expect(attempts.map((r) => r.client)).toEqual([recentClient]);
  });
});

describe("the device code's shape", () => {
  it("a malformed device code is 400 validation_error; a well-formed one nobody issued is RFC 8628's 400 invalid_grant; the OpenAPI document states the shape", async () => {
    const client = newClient();
    for (const bad of ["not-a-device-code", unknownCode().slice(1), `${unknownCode()}A`, `${unknownCode().slice(1)}=`, `${unknownCode().slice(1)}+`]) {
      const res = await poll(client, bad);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code, bad).toBe("validation_error");
    }
    const res = await poll(client, unknownCode());
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_grant");
    const doc = (await api("/api/v1/openapi.json", { base: app.url })).body;
    expect(doc.components.schemas.DeviceTokenInput.properties.device_code).toMatchObject({ pattern: "^[A-Za-z0-9_-]{43}$", minLength: 43, maxLength: 43 });
  });

  it("internal.cli_device_codes.user_id (a foreign key to auth.users) has an index", async () => {
    const indexes = await sql`select indexdef from pg_indexes where schemaname = 'internal' and tablename = 'cli_device_codes'`;
    expect(indexes.map((r) => r.indexdef as string).some((def) => /\(user_id\)$/.test(def))).toBe(true);
  });
});
