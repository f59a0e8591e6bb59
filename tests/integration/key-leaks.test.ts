// When a key leaks: GitHub's secret scanning partner endpoint, with a test key pair standing
// in for GitHub's (a local endpoint serves its public key, as api.github.com does), and the
// public revocation endpoint. A valid report revokes within the request and the owner hears
// of it by mail; a bad or missing signature changes nothing; unknown and foreign tokens are
// labelled and harmless; public revocation of a real key, of garbage and of 101 credentials;
// its rate limit. An app instance of its own, pointed at the local key endpoint.
import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { generateApiKey } from "../../lib/api-keys/key-format.ts";
import { startAppInstance, freePort, type AppInstance } from "../support/app-instance";
import { api, type Json } from "../support/http";
import { fitInMinute } from "../support/limiter-minute";
import { waitForMail } from "../support/mailpit";
import { createApiKey, sessionCookie } from "../support/session";
import { DATABASE_URL, newUser } from "../support/stack";

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });

type TestKey = { id: string; privateKey: KeyObject; pem: string };
const newKey = (id: string): TestKey => {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return { id, privateKey, pem: publicKey.export({ type: "spki", format: "pem" }).toString() };
};
// What the stand-in for api.github.com publishes; a test may rotate it.
let published: TestKey[] = [newKey("a".repeat(64))];
let keyFetches = 0;
// When each fetch arrived (ms, monotonic) and the Authorization it carried.
const fetchLog: { at: number; authorization: string | undefined }[] = [];
// The instance's back-off between two fetches for unknown identifiers (a minute by default).
const REFETCH_MS = 2_000;
const GITHUB_TOKEN = "ghp_stubTokenForTheLocalKeyServer";
let keyServer: Server;
let app: AppInstance;

beforeAll(async () => {
  keyServer = createServer((req, res) => {
    if (req.url !== "/meta/public_keys/secret_scanning") return res.writeHead(404).end();
    keyFetches++;
    fetchLog.push({ at: performance.now(), authorization: req.headers.authorization });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ public_keys: published.map((k) => ({ key_identifier: k.id, key: k.pem, is_current: true })) }));
  });
  await new Promise<void>((resolve) => keyServer.listen(0, "127.0.0.1", resolve));
  const { port } = keyServer.address() as AddressInfo;
  app = await startAppInstance(await freePort(), {
    GITHUB_SECRET_SCANNING_KEYS_URL: `http://127.0.0.1:${port}/meta/public_keys/secret_scanning`,
    GITHUB_KEYS_REFETCH_MS: String(REFETCH_MS),
    GITHUB_TOKEN,
    AUTH_FAILURE_LIMIT: "30",
    // The test is the proxy: each test is its own client (X-Forwarded-For), so the report
    // rate limit of one never reaches another.
    TRUSTED_PROXY_HOPS: "1",
  });
}, 60_000);
afterAll(async () => {
  await app?.stop();
  keyServer?.close();
  await sql.end({ timeout: 5 });
});

const clientAddress = () => `198.19.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** POSTs a report as GitHub does: the exact body, signed with `signer`'s key (ECDSA P-256, SHA-256, DER, base64). */
function report(matches: unknown, { signer = published[0]!, keyId = signer.id, signature }: { signer?: TestKey; keyId?: string | null; signature?: string | null } = {}) {
  const body = JSON.stringify(matches);
  const sig = signature === undefined ? sign("sha256", Buffer.from(body), signer.privateKey).toString("base64") : signature;
  const headers: Record<string, string> = { "content-type": "application/json", "x-forwarded-for": clientAddress() };
  if (keyId !== null) headers["github-public-key-identifier"] = keyId;
  if (sig !== null) headers["github-public-key-signature"] = sig;
  return api("/api/v1/secret-scanning/github", { method: "POST", base: app.url, body, headers });
}
const revokeReport = (credentials: unknown, client = clientAddress()) =>
  api("/api/v1/credentials/revoke", { method: "POST", base: app.url, json: { credentials }, headers: { "x-forwarded-for": client } });

/** The key's audit events as its owner reads them through the API (newest first). */
const eventsOf = async (session: Parameters<typeof sessionCookie>[0], keyId: string) =>
  (await api(`/api/v1/audit-events?key_id=${keyId}`, { base: app.url, cookie: sessionCookie(session) })).body.data as Json[];

const rowOf = async (id: string) => (await sql`select revoked_at, revoked_reason, exposed_url from api_keys where id = ${id}`)[0]!;
const URL_FOUND = "https://github.com/octocat/Hello-World/blob/12345600b9cbe38a219f39a9941c9319b600c002/config/.env";

describe("POST /api/v1/secret-scanning/github", () => {
  it("a valid report revokes the key within the request, labels it, marks the row and mails the owner; its requests get a 403 that says why", async () => {
    const owner = await newUser("leak-gh");
    const leaked = await createApiKey(owner.session, "pasted");
    const other = await createApiKey(owner.session, "kept");
    const res = await report([{ token: leaked.key, type: "tuned_tensor_api_key", url: URL_FOUND, source: "content" }]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ token_hash: sha256(leaked.key), token_type: "tuned_tensor_api_key", label: "true_positive" }]);
    expect(res.text).not.toContain(leaked.key);
    // Revoked by the time the answer came.
    expect(await rowOf(leaked.id)).toMatchObject({ revoked_at: expect.any(Date), revoked_reason: "leaked", exposed_url: URL_FOUND });
    const refused = await api("/api/v1/me", { key: leaked.key });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("forbidden");
    expect(refused.body.error.message).toMatch(/revoked: it was found exposed/);
    // Only that key.
    expect((await api("/api/v1/me", { key: other.key })).status).toBe(200);
    // The list says so.
    const listed = ((await api("/api/v1/api-keys", { cookie: sessionCookie(owner.session) })).body.data as Json[]).find((k) => k.id === leaked.id);
    expect(listed).toMatchObject({ revoked_reason: "leaked", exposed_url: URL_FOUND });
    // The owner hears at once.
    const mail = await waitForMail(owner.email, { subject: /“pasted” was found exposed/ });
    expect(mail.Text).toContain(URL_FOUND);
    expect(mail.Text).toContain(leaked.key_prefix);
    expect(mail.Text).not.toContain(leaked.key);

    // Reported again: still ours, still labelled, nothing new happens (no second mail).
    const again = await report([{ token: leaked.key, type: "tuned_tensor_api_key", url: "https://example.com/elsewhere" }]);
    expect(again.body[0].label).toBe("true_positive");
    expect((await rowOf(leaked.id)).exposed_url).toBe(URL_FOUND);
    // The security log: one revocation, by the platform for a leak report, with where it was found.
    const revoked = (await eventsOf(owner.session, leaked.id)).filter((e) => e.type === "key.revoked");
    expect(revoked.map((e) => [e.actor, e.details])).toEqual([[{ type: "system", key: null }, { by: "leak_report", exposed_url: URL_FOUND }]]);
  });

  it("a bad or missing signature is 401 and changes nothing", async () => {
    const owner = await newUser("leak-unsigned");
    const key = await createApiKey(owner.session, "safe");
    const matches = [{ token: key.key, type: "tuned_tensor_api_key", url: URL_FOUND }];
    const stranger = newKey(published[0]!.id); // the right id, someone else's private key
    const attempts = [
      await report(matches, { signature: null }),
      await report(matches, { keyId: null }),
      await report(matches, { signer: stranger }),
      await report(matches, { signature: "not base64 at all!" }),
      await report(matches, { signature: sign("sha256", Buffer.from("[]"), published[0]!.privateKey).toString("base64") }),
      await report(matches, { keyId: "f".repeat(64) }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    }
    expect(await rowOf(key.id)).toMatchObject({ revoked_at: null, revoked_reason: null });
    expect((await api("/api/v1/me", { key: key.key })).status).toBe(200);
  });

  it("unknown and foreign tokens are labelled false_positive and harm nothing", async () => {
    const unknown = generateApiKey(); // well-formed, never issued
    const badChecksum = `${unknown.slice(0, -1)}${unknown.endsWith("0") ? "1" : "0"}`;
    const res = await report([
      { token: unknown, type: "tuned_tensor_api_key" },
      { token: badChecksum, type: "tuned_tensor_api_key" },
      { token: "ghp_notoursatall", type: "github_personal_access_token" },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.map((r: Json) => r.label)).toEqual(["false_positive", "false_positive", "false_positive"]);
    expect(res.body.map((r: Json) => r.token_hash)).toEqual([sha256(unknown), sha256(badChecksum), sha256("ghp_notoursatall")]);
  });

  it("a signed report that is not a report is a 400", async () => {
    expect((await report({ token: "x" })).status).toBe(400);
    expect((await report([{ type: "no token" }])).status).toBe(400);
  });

  it("fetches GitHub's keys again when a report names a key id it does not know (GitHub rotated them)", async () => {
    const rotated = newKey("b".repeat(64));
    published = [...published, rotated];
    const before = keyFetches;
    // Unknown identifiers fetch at most once per back-off window; let one pass since the last fetch.
    await new Promise((resolve) => setTimeout(resolve, REFETCH_MS + 100));
    const res = await report([{ token: generateApiKey(), type: "tuned_tensor_api_key" }], { signer: rotated });
    expect(res.status).toBe(200);
    expect(keyFetches).toBe(before + 1);
    // Known now: no further fetch.
    await report([], { signer: rotated });
    expect(keyFetches).toBe(before + 1);
  });

  it("never fetches for a malformed identifier, and for unknown well-formed ones at most once per back-off window, with the configured token", async () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const matches = [{ token: generateApiKey(), type: "tuned_tensor_api_key" }];
    // Longer than a window, so any fetch they could cause would happen.
    const before = keyFetches;
    const malformed = ["g".repeat(64), "a".repeat(63), "a".repeat(65), "not-a-key-id", `${"a".repeat(60)}%2e%2e`];
    const malformedUntil = performance.now() + REFETCH_MS * 1.25;
    for (let i = 0; performance.now() < malformedUntil; i++) {
      expect((await report(matches, { keyId: malformed[i % malformed.length]! })).status).toBe(401);
      await sleep(50);
    }
    expect(keyFetches).toBe(before);

    // A stream of made-up well-formed identifiers for over two windows.
    const floodStart = fetchLog.length;
    const floodUntil = performance.now() + REFETCH_MS * 2.25;
    for (let i = 0; performance.now() < floodUntil; i++) {
      expect((await report(matches, { keyId: createHash("sha256").update(`made-up ${i}`).digest("hex") })).status).toBe(401);
      await sleep(20);
    }
    const fetches = fetchLog.slice(floodStart);
    expect(fetches.length).toBeGreaterThanOrEqual(1);
    // Each fetch at least a window after the one before (less a little for the request's own travel).
    for (let i = 1; i < fetches.length; i++) expect(fetches[i]!.at - fetches[i - 1]!.at).toBeGreaterThanOrEqual(REFETCH_MS - 150);
    for (const f of fetchLog) expect(f.authorization).toBe(`Bearer ${GITHUB_TOKEN}`);
  }, 30_000);
});

describe("POST /api/v1/credentials/revoke", () => {
  it("revokes a real key (202), which then gets the exposed 403, mails its owner and logs it once", async () => {
    const owner = await newUser("leak-public");
    const key = await createApiKey(owner.session, "handed in");
    const reporter = clientAddress();
    const res = await revokeReport([key.key], reporter);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ data: { received: 1 } });
    expect(await rowOf(key.id)).toMatchObject({ revoked_at: expect.any(Date), revoked_reason: "leaked", exposed_url: null });
    const refused = await api("/api/v1/me", { key: key.key });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/found exposed/);
    await waitForMail(owner.email, { subject: /“handed in” was found exposed/ });
    expect((await revokeReport([key.key])).status).toBe(202);
    const revoked = (await eventsOf(owner.session, key.id)).filter((e) => e.type === "key.revoked");
    expect(revoked.map((e) => [e.actor, e.details, e.ip])).toEqual([[{ type: "system", key: null }, { by: "public_revocation" }, reporter]]);
  });

  it("answers garbage, unknown keys and keys already revoked exactly as it answers a real key: 202", async () => {
    const owner = await newUser("leak-garbage");
    const key = await createApiKey(owner.session, "innocent");
    const unknown = generateApiKey();
    const answers = [await revokeReport(["tt_garbage", "hunter2", ""]), await revokeReport([unknown]), await revokeReport([unknown, unknown])];
    for (const res of answers) {
      expect(res.status).toBe(202);
      expect(Object.keys(res.body.data)).toEqual(["received"]);
    }
    expect((await api("/api/v1/me", { key: key.key })).status).toBe(200);
  });

  it("takes at most 100 credentials: 101 is a 400 and revokes none of them", async () => {
    const owner = await newUser("leak-101");
    const key = await createApiKey(owner.session, "in a crowd");
    const credentials = [key.key, ...Array.from({ length: 100 }, () => generateApiKey())];
    const res = await revokeReport(credentials);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_error");
    expect(res.text).not.toContain(key.key);
    expect((await api("/api/v1/me", { key: key.key })).status).toBe(200);
    expect((await revokeReport(credentials.slice(1))).status).toBe(202);
  });

  it("is rate-limited per client: the 31st request in a minute is 429 with Retry-After, another client is not", async () => {
    // The window is the clock minute: start where 31 requests fit in what is left of it.
    await fitInMinute(15);
    const client = clientAddress();
    for (let i = 0; i < 30; i++) expect((await revokeReport(["tt_garbage"], client)).status).toBe(202);
    const limited = await revokeReport(["tt_garbage"], client);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await revokeReport(["tt_garbage"])).status).toBe(202);
  });
});
