// Behaviour specs against the running app and the real stack, over HTTP: the whole
// lifecycle with an API key and with a session cookie, pagination, two users who cannot
// see or touch each other's specs, every limit at its edge, and every way a request can
// be malformed — none of which may ever produce a 500.
import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { api, eventually, serverErrors, type Json, type Res } from "../support/http";
import { createApiKey, sessionCookie } from "../support/session";
import { APP_URL, DATABASE_URL, adminClient, anonClient, newUser, uniqueEmail } from "../support/stack";

/**
 * POSTs a chunked body (no Content-Length) on a connection of its own. Not with fetch:
 * after a 413 mid-stream the server stops reading that connection yet keeps it alive,
 * so the next request fetch sent on it would hang and be reset (see the report).
 */
function postChunked(path: string, key: string, chunks: string[]): Promise<{ status: number; body: Json }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${APP_URL}${path}`, {
      method: "POST",
      agent: false,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "transfer-encoding": "chunked" },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => {
        req.destroy();
        if ((res.statusCode ?? 0) >= 500) serverErrors.push(`POST ${path} (chunked) → ${res.statusCode} ${text.slice(0, 300)}`);
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Json });
      });
    });
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const SPECS = "/api/v1/behavior-specs";
const NOT_FOUND = "Behaviour spec not found";
const DEFAULT_MODEL = "meta-llama/Llama-3.2-3B-Instruct";
const MODELS = [
  "Qwen/Qwen3.5-2B",
  "Qwen/Qwen3.5-4B",
  "google/gemma-4-E2B-it",
  "google/gemma-4-E4B-it",
  "meta-llama/Llama-3.2-3B-Instruct",
  "microsoft/Phi-4-mini-instruct",
  "ibm-granite/granite-3.3-2b-instruct",
  "bigcode/starcoder2-3b",
];
const OUTPUT_FIELDS = ["base_model", "constraints", "created_at", "description", "examples", "guidelines", "id", "name", "system_prompt", "updated_at"];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const minimal = (name = "minimal spec") => ({ name, examples: [{ input: "hi", output: "hello" }] });
const repeat = <T,>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));

function expectError(res: Res, status: number, code: string, message?: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.body).toEqual({ error: expect.objectContaining({ code, message: message ?? expect.any(String) }) });
}
/** A 400 validation_error whose details name exactly these paths. */
function expectInvalid(res: Res, ...paths: string[]) {
  expectError(res, 400, "validation_error");
  const named = (res.body.error.details as { path: string; message: string }[]).map((d) => d.path);
  expect(named.sort(), res.text).toEqual([...paths].sort());
}

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });

let alice: Awaited<ReturnType<typeof newUser>>;
let aliceKey: string;
let bob: Awaited<ReturnType<typeof newUser>>;
let bobKey: string;

beforeAll(async () => {
  [alice, bob] = await Promise.all([newUser("specs-alice"), newUser("specs-bob")]);
  [aliceKey, bobKey] = await Promise.all([createApiKey(alice.session, "specs").then((k) => k.key), createApiKey(bob.session, "specs").then((k) => k.key)]);
});

afterAll(async () => {
  await sql.end({ timeout: 5 });
  // Bad input is a 4xx, always: no request in this file may have produced a 5xx.
  expect(serverErrors).toEqual([]);
});

const create = async (key: string, spec: unknown = minimal()) => {
  const res = await api(SPECS, { method: "POST", key, json: spec });
  expect(res.status, res.text).toBe(201);
  return res.body.data as Json;
};

describe("create and read", () => {
  it("creates a spec with every field, and reads it back unchanged", async () => {
    const input = {
      name: "Support bot",
      description: "Answers billing questions.\nPolitely.",
      system_prompt: "You are a helpful assistant.\n\tBe brief.",
      // Characters that Postgres array literals must escape, and a surrogate pair.
      guidelines: ["Be concise", 'Say "please"', "a,b", "{braces}", "back\\slash", "NULL", "emoji 😀", "two\nlines"],
      constraints: ["Never share secrets"],
      examples: [
        { input: "How much is Pro?", output: "Pro is $20 a month." },
        { input: "multi\nline\r\ninput", output: "tab\tseparated" },
      ],
      base_model: "Qwen/Qwen3.5-2B",
    };
    const res = await api(SPECS, { method: "POST", key: aliceKey, json: input });
    expect(res.status, res.text).toBe(201);
    const spec = res.body.data as Json;
    expect(Object.keys(res.body)).toEqual(["data"]);
    expect(Object.keys(spec).sort()).toEqual(OUTPUT_FIELDS);
    expect(spec).toEqual({ ...input, id: expect.stringMatching(/^[0-9a-f-]{36}$/), created_at: expect.stringMatching(ISO), updated_at: expect.stringMatching(ISO) });
    expect(spec.updated_at).toBe(spec.created_at);
    expect(spec).not.toHaveProperty("user_id");

    const got = await api(`${SPECS}/${spec.id}`, { key: aliceKey });
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ data: spec });

    const [row] = await sql`select user_id from public.behavior_specs where id = ${spec.id as string}`;
    expect(row?.user_id).toBe(alice.user.id);
  });

  it("fills in defaults when only the required fields are sent", async () => {
    const spec = await create(aliceKey, minimal("just the basics"));
    expect(spec).toEqual({
      id: expect.any(String),
      name: "just the basics",
      description: null,
      system_prompt: null,
      guidelines: [],
      constraints: [],
      examples: [{ input: "hi", output: "hello" }],
      base_model: DEFAULT_MODEL,
      created_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
    });
  });

  it("accepts explicit nulls for the optional texts, and trims the name", async () => {
    const spec = await create(aliceKey, { ...minimal("  padded name \t"), description: null, system_prompt: null });
    expect(spec).toMatchObject({ name: "padded name", description: null, system_prompt: null });
  });

  it("accepts every supported base model", async () => {
    for (const base_model of MODELS) {
      const spec = await create(aliceKey, { ...minimal(`on ${base_model}`), base_model });
      expect(spec.base_model).toBe(base_model);
    }
  });
});

describe("list", () => {
  it("pages through the caller's specs newest first, with page, per_page and total", async () => {
    const { session } = await newUser("specs-list");
    const { key } = await createApiKey(session, "list");

    const empty = await api(SPECS, { key });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ data: [], meta: { page: 1, per_page: 20, total: 0 } });

    const made: Json[] = [];
    for (const name of ["first", "second", "third"]) made.push(await create(key, minimal(name)));

    const page1 = await api(`${SPECS}?per_page=2`, { key });
    expect(page1.status).toBe(200);
    expect(page1.body.meta).toEqual({ page: 1, per_page: 2, total: 3 });
    expect(page1.body.data).toEqual([made[2], made[1]]);

    const page2 = await api(`${SPECS}?page=2&per_page=2`, { key });
    expect(page2.body.meta).toEqual({ page: 2, per_page: 2, total: 3 });
    expect(page2.body.data).toEqual([made[0]]);

    // Past the last page: no items, but the total is still right.
    const page3 = await api(`${SPECS}?page=3&per_page=2`, { key });
    expect(page3.body).toEqual({ data: [], meta: { page: 3, per_page: 2, total: 3 } });

    const all = await api(SPECS, { key });
    expect(all.body.meta).toEqual({ page: 1, per_page: 20, total: 3 });
    expect((all.body.data as Json[]).map((s) => s.name)).toEqual(["third", "second", "first"]);
    for (const spec of all.body.data as Json[]) expect(Object.keys(spec).sort()).toEqual(OUTPUT_FIELDS);
  });

  it("refuses bad pagination with a 400 naming the parameter", async () => {
    expectInvalid(await api(`${SPECS}?page=0`, { key: aliceKey }), "page");
    expectInvalid(await api(`${SPECS}?per_page=101`, { key: aliceKey }), "per_page");
    expectInvalid(await api(`${SPECS}?page=abc&per_page=-1`, { key: aliceKey }), "page", "per_page");
  });
});

describe("update", () => {
  it("changes only the fields sent, and advances updated_at", async () => {
    const before = await create(aliceKey, {
      name: "to patch",
      description: "old description",
      system_prompt: "old prompt",
      guidelines: ["old guideline"],
      constraints: ["keep me"],
      examples: [{ input: "a", output: "b" }],
      base_model: "bigcode/starcoder2-3b",
    });
    // updated_at must be able to advance: await the database's clock passing it (ms resolution).
    await eventually(async () => (await sql<{ t: Date }[]>`select clock_timestamp() as t`)[0]!.t.getTime(), (t) => t > Date.parse(before.updated_at), { everyMs: 2 });
    const res = await api(`${SPECS}/${before.id}`, {
      method: "PATCH",
      key: aliceKey,
      json: { name: "patched", description: null, guidelines: ["new one", "new two"], base_model: "google/gemma-4-E4B-it" },
    });
    expect(res.status, res.text).toBe(200);
    const after = res.body.data as Json;
    expect(after).toEqual({
      ...before,
      name: "patched",
      description: null,
      guidelines: ["new one", "new two"],
      base_model: "google/gemma-4-E4B-it",
      updated_at: expect.stringMatching(ISO),
    });
    expect(Date.parse(after.updated_at)).toBeGreaterThan(Date.parse(before.updated_at));
    expect((await api(`${SPECS}/${before.id}`, { key: aliceKey })).body.data).toEqual(after);

    const cleared = await api(`${SPECS}/${before.id}`, { method: "PATCH", key: aliceKey, json: { system_prompt: null, constraints: [], examples: [{ input: "c", output: "d" }] } });
    expect(cleared.body.data).toMatchObject({ name: "patched", system_prompt: null, constraints: [], guidelines: ["new one", "new two"], examples: [{ input: "c", output: "d" }] });
  });

  it("refuses an empty patch, unknown fields, nulls for required fields and broken limits", async () => {
    const spec = await create(aliceKey);
    const patch = (json: unknown) => api(`${SPECS}/${spec.id}`, { method: "PATCH", key: aliceKey, json });
    expectInvalid(await patch({}), "body");
    expectInvalid(await patch({ nme: "typo" }), "nme");
    expectInvalid(await patch({ user_id: bob.user.id }), "user_id");
    expectInvalid(await patch({ id: randomUUID(), created_at: "2020-01-01T00:00:00Z" }), "id", "created_at");
    expectInvalid(await patch({ name: null }), "name");
    expectInvalid(await patch({ examples: null }), "examples");
    expectInvalid(await patch({ examples: [] }), "examples");
    expectInvalid(await patch({ guidelines: null }), "guidelines");
    expectInvalid(await patch({ base_model: "gpt-5" }), "base_model");
    expectInvalid(await patch({ name: "x".repeat(256) }), "name");
    expectInvalid(await patch({ description: "bad\u0000byte" }), "description");
    expect((await api(`${SPECS}/${spec.id}`, { key: aliceKey })).body.data).toEqual(spec);
  });

  it("applies concurrent patches of different fields without losing either", async () => {
    const spec = await create(aliceKey);
    const patches = repeat(10, (i) => (i % 2 ? { name: `name ${i}` } : { description: `description ${i}` }));
    const results = await Promise.all(patches.map((json) => api(`${SPECS}/${spec.id}`, { method: "PATCH", key: aliceKey, json })));
    expect(results.map((r) => r.status)).toEqual(repeat(10, () => 200));
    const final = (await api(`${SPECS}/${spec.id}`, { key: aliceKey })).body.data as Json;
    expect(final.name).toMatch(/^name \d$/);
    expect(final.description).toMatch(/^description \d$/);
  });
});

describe("delete", () => {
  it("deletes for good, answering with the deleted spec; then everything is a 404", async () => {
    const spec = await create(aliceKey, { ...minimal("doomed"), guidelines: ["g"] });
    const res = await api(`${SPECS}/${spec.id}`, { method: "DELETE", key: aliceKey });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ data: spec });

    expectError(await api(`${SPECS}/${spec.id}`, { key: aliceKey }), 404, "not_found", NOT_FOUND);
    expectError(await api(`${SPECS}/${spec.id}`, { method: "DELETE", key: aliceKey }), 404, "not_found", NOT_FOUND);
    expectError(await api(`${SPECS}/${spec.id}`, { method: "PATCH", key: aliceKey, json: { name: "back?" } }), 404, "not_found", NOT_FOUND);
    const [row] = await sql`select count(*)::int as count from public.behavior_specs where id = ${spec.id as string}`;
    expect(row?.count).toBe(0);
  });
});

describe("two users", () => {
  it("gives another user 404 for everything of the owner's, and leaves the spec untouched", async () => {
    const spec = await create(aliceKey, { ...minimal("alice's secret"), description: "private" });
    const url = `${SPECS}/${spec.id}`;

    expectError(await api(url, { key: bobKey }), 404, "not_found", NOT_FOUND);
    expectError(await api(url, { method: "PATCH", key: bobKey, json: { name: "stolen" } }), 404, "not_found", NOT_FOUND);
    expectError(await api(url, { method: "DELETE", key: bobKey }), 404, "not_found", NOT_FOUND);
    // The same answer as for an id that exists nowhere.
    const unknown = await api(`${SPECS}/${randomUUID()}`, { key: bobKey });
    expect(unknown.body).toEqual((await api(url, { key: bobKey })).body);

    const bobCookie = sessionCookie(bob.session);
    expectError(await api(url, { cookie: bobCookie }), 404, "not_found", NOT_FOUND);
    expectError(await api(url, { method: "PATCH", cookie: bobCookie, origin: APP_URL, json: { name: "stolen" } }), 404, "not_found", NOT_FOUND);
    expectError(await api(url, { method: "DELETE", cookie: bobCookie, origin: APP_URL }), 404, "not_found", NOT_FOUND);

    const bobList = await api(`${SPECS}?per_page=100`, { key: bobKey });
    expect((bobList.body.data as Json[]).map((s) => s.id)).not.toContain(spec.id);

    expect((await api(url, { key: aliceKey })).body).toEqual({ data: spec });
  });
});

describe("limits, each at its edge", () => {
  const post = (spec: unknown) => api(SPECS, { method: "POST", key: aliceKey, json: spec });
  const base = minimal("limits");

  it("name: 1–255 characters on one line", async () => {
    expect((await post({ ...base, name: "n".repeat(255) })).status).toBe(201);
    expect((await post({ ...base, name: "😀" })).status).toBe(201);
    expectInvalid(await post({ ...base, name: "n".repeat(256) }), "name");
    expectInvalid(await post({ ...base, name: "" }), "name");
    expectInvalid(await post({ ...base, name: "   " }), "name");
    expectInvalid(await post({ ...base, name: "two\nlines" }), "name");
    expectInvalid(await post({ ...base, name: 42 }), "name");
    expectInvalid(await post({ examples: base.examples }), "name");
  });

  it("description up to 10,000 and system_prompt up to 50,000 characters", async () => {
    expect((await post({ ...base, description: "d".repeat(10_000), system_prompt: "s".repeat(50_000) })).status).toBe(201);
    expectInvalid(await post({ ...base, description: "d".repeat(10_001) }), "description");
    expectInvalid(await post({ ...base, system_prompt: "s".repeat(50_001) }), "system_prompt");
    expectInvalid(await post({ ...base, description: "" }), "description");
  });

  it("guidelines and constraints: at most 50 items of 1–2,000 characters", async () => {
    const fifty = repeat(50, (i) => `item ${i}`);
    const ok = await post({ ...base, guidelines: fifty, constraints: fifty });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body.data.guidelines).toEqual(fifty);
    expectInvalid(await post({ ...base, guidelines: repeat(51, () => "g") }), "guidelines");
    expectInvalid(await post({ ...base, constraints: repeat(51, () => "c") }), "constraints");
    expect((await post({ ...base, guidelines: ["g".repeat(2000)] })).status).toBe(201);
    expectInvalid(await post({ ...base, guidelines: ["ok", "g".repeat(2001)] }), "guidelines.1");
    expectInvalid(await post({ ...base, constraints: [""] }), "constraints.0");
    expectInvalid(await post({ ...base, guidelines: [null] }), "guidelines.0");
    expectInvalid(await post({ ...base, guidelines: "not a list" }), "guidelines");
  });

  it("examples: 1–500 pairs of 1–20,000-character strings, nothing else", async () => {
    const pair = { input: "i", output: "o" };
    const many = await post({ ...base, examples: repeat(500, () => pair) });
    expect(many.status, many.text).toBe(201);
    expect(many.body.data.examples).toHaveLength(500);
    expectInvalid(await post({ ...base, examples: [] }), "examples");
    expectInvalid(await post({ ...base, examples: repeat(501, () => pair) }), "examples");
    expectInvalid(await post({ name: "no examples" }), "examples");
    expectInvalid(await post({ ...base, examples: [{ input: "only input" }] }), "examples.0.output");
    expectInvalid(await post({ ...base, examples: [pair, { output: "o" }] }), "examples.1.input");
    expectInvalid(await post({ ...base, examples: [{ ...pair, extra: 1 }] }), "examples.0.extra");
    expectInvalid(await post({ ...base, examples: [{ input: 1, output: "o" }] }), "examples.0.input");
    expectInvalid(await post({ ...base, examples: ["text"] }), "examples.0");
    expectInvalid(await post({ ...base, examples: { input: "i", output: "o" } }), "examples");
    expectInvalid(await post({ ...base, examples: [{ input: "", output: "o" }] }), "examples.0.input");
    expect((await post({ ...base, examples: [{ input: "x".repeat(20_000), output: "y".repeat(20_000) }] })).status).toBe(201);
    expectInvalid(await post({ ...base, examples: [{ input: "x".repeat(20_001), output: "o" }] }), "examples.0.input");
  });

  it("base_model: only the supported models", async () => {
    expectInvalid(await post({ ...base, base_model: "gpt-5" }), "base_model");
    expectInvalid(await post({ ...base, base_model: "qwen/qwen3.5-2b" }), "base_model");
    expectInvalid(await post({ ...base, base_model: null }), "base_model");
  });

  it("unknown fields are refused by name, including ones the server sets", async () => {
    expectInvalid(await post({ ...base, colour: "blue" }), "colour");
    expectInvalid(await post({ ...base, user_id: bob.user.id, id: randomUUID() }), "user_id", "id");
  });

  it("text Postgres cannot store is a 400, not a 500", async () => {
    expectInvalid(await post({ ...base, examples: [{ input: "nul\u0000byte", output: "o" }] }), "examples.0.input");
    expectInvalid(await post({ ...base, examples: [{ input: "i", output: "\u0000" }] }), "examples.0.output");
    expectInvalid(await post({ ...base, name: "nul\u0000" }), "name");
    expectInvalid(await post({ ...base, system_prompt: "a\u0000b" }), "system_prompt");
    expectInvalid(await post({ ...base, guidelines: ["a\u0000b"] }), "guidelines.0");
    // Other control characters too; tab and line breaks are fine in multi-line text.
    expectInvalid(await post({ ...base, examples: [{ input: "bell\u0007", output: "o" }] }), "examples.0.input");
    // C1 controls and bidirectional overrides in every text field; invisible-only names.
    expectInvalid(await post({ ...base, examples: [{ input: "i", output: "csi\u009b" }] }), "examples.0.output");
    expectInvalid(await post({ ...base, description: "looks \u202Edesrever" }), "description");
    expectInvalid(await post({ ...base, constraints: ["ok", "\u2066isolate\u2069"] }), "constraints.1");
    expectInvalid(await post({ ...base, name: "\u200B\u200B" }), "name");
    expectInvalid(await post({ ...base, name: "spec\u200F" }), "name");
    // Direction marks are fine in multi-line text (right-to-left prose uses them).
    const rtl = await post({ ...base, description: "\u05E9\u05DC\u05D5\u05DD\u200F 2026" });
    expect(rtl.status, rtl.text).toBe(201);
    // JSON can carry an unpaired UTF-16 surrogate ("\ud800"), which jsonb refuses.
    const lone = (text: string) => `{"name":"lone","examples":[{"input":"${text}","output":"o"}]}`;
    const raw = (body: string) => api(SPECS, { method: "POST", key: aliceKey, body, headers: { "content-type": "application/json" } });
    expectInvalid(await raw(lone("\\ud800")), "examples.0.input");
    expectInvalid(await raw(lone("x\\udc00y")), "examples.0.input");
    expectInvalid(await raw('{"name":"\\ud83d","examples":[{"input":"i","output":"o"}]}'), "name");
    const pair = await raw(lone("\\ud83d\\ude00"));
    expect(pair.status, pair.text).toBe(201);
    expect(pair.body.data.examples[0].input).toBe("😀");
  });
});

describe("malformed requests", () => {
  it("a path id that is not a UUID is a 400 naming id; an unknown UUID is a 404", async () => {
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const res = await api(`${SPECS}/not-a-uuid`, { method, key: aliceKey, ...(method === "PATCH" ? { json: { name: "x" } } : {}) });
      expectInvalid(res, "id");
    }
    expectInvalid(await api(`${SPECS}/${"1".repeat(36)}`, { key: aliceKey }), "id");
    expectError(await api(`${SPECS}/${randomUUID()}`, { key: aliceKey }), 404, "not_found", NOT_FOUND);
    expectError(await api(`${SPECS}/${randomUUID()}`, { method: "PATCH", key: aliceKey, json: { name: "x" } }), 404, "not_found", NOT_FOUND);
    expectError(await api(`${SPECS}/${randomUUID()}`, { method: "DELETE", key: aliceKey }), 404, "not_found", NOT_FOUND);
  });

  it("bodies that are not a JSON object, or not JSON, or too big", async () => {
    const send = (body: BodyInit | undefined, contentType?: string, method = "POST") =>
      api(SPECS, { method, key: aliceKey, body, headers: contentType ? { "content-type": contentType } : {} });
    expectInvalid(await send("{not json", "application/json"), "body");
    expectInvalid(await send("", "application/json"), "body");
    expectInvalid(await send("[]", "application/json"), "body");
    expectInvalid(await send('"a string"', "application/json"), "body");
    expectInvalid(await send("null", "application/json"), "body");
    expectInvalid(await send(`${"[".repeat(100_000)}${"]".repeat(100_000)}`, "application/json"), "body");
    expectInvalid(await send(`{"name":"deep","examples":${"[".repeat(100_000)}${"]".repeat(100_000)}}`, "application/json"), "examples.0");
    expectInvalid(await send(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), "application/json"), "body");

    expectError(await send(JSON.stringify(minimal()), "text/plain"), 415, "unsupported_media_type");
    expectError(await send(JSON.stringify(minimal())), 415, "unsupported_media_type");
    expect((await send(JSON.stringify(minimal()), "application/json; charset=utf-8")).status).toBe(201);

    const huge = JSON.stringify({ ...minimal(), description: "x".repeat(1024 * 1024) });
    expectError(await send(huge, "application/json"), 413, "payload_too_large");
    // Streamed with no Content-Length: refused while reading, at the limit.
    const streamed = await postChunked(SPECS, aliceKey, ['{"name":"x","description":"', ...repeat(20, () => "x".repeat(64 * 1024)), '"}']);
    expect(streamed.status).toBe(413);
    expect(streamed.body).toEqual({ error: { code: "payload_too_large", message: expect.any(String) } });

    const spec = await create(aliceKey);
    const patch = (body: string, contentType = "application/json") =>
      api(`${SPECS}/${spec.id}`, { method: "PATCH", key: aliceKey, body, headers: { "content-type": contentType } });
    expectInvalid(await patch("{"), "body");
    expectInvalid(await patch("[1]"), "body");
    expectError(await patch('{"name":"x"}', "text/plain"), 415, "unsupported_media_type");
    expectError(await patch(JSON.stringify({ description: "x".repeat(1024 * 1024) })), 413, "payload_too_large");
    expect((await api(`${SPECS}/${spec.id}`, { key: aliceKey })).body.data).toEqual(spec);
  });

  it("methods a route does not have are a 405 naming the ones it has", async () => {
    const onList = await api(SPECS, { method: "PUT", key: aliceKey, json: minimal() });
    expectError(onList, 405, "method_not_allowed");
    expect(onList.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
    const onOne = await api(`${SPECS}/${randomUUID()}`, { method: "POST", key: aliceKey, json: minimal() });
    expectError(onOne, 405, "method_not_allowed");
    expect(onOne.headers.get("allow")).toBe("GET, PATCH, DELETE, HEAD, OPTIONS");
  });

  it("no or bad credentials are a 401", async () => {
    expectError(await api(SPECS), 401, "unauthorized");
    expectError(await api(SPECS, { method: "POST", json: minimal() }), 401, "unauthorized");
    expectError(await api(`${SPECS}/${randomUUID()}`, { key: "tt_not-a-real-key" }), 401, "unauthorized");
    expectError(await api(SPECS, { key: `tt_${"a".repeat(43)}000000` }), 401, "unauthorized");
  });
});

describe("with a session cookie instead of a key", () => {
  it("does the whole lifecycle, and refuses changes from a foreign Origin", async () => {
    const { session } = await newUser("specs-cookie");
    const cookie = sessionCookie(session);
    const self = { cookie, origin: APP_URL };

    const created = await api(SPECS, { method: "POST", ...self, json: { ...minimal("by cookie"), guidelines: ["g"] } });
    expect(created.status, created.text).toBe(201);
    const spec = created.body.data as Json;

    const list = await api(SPECS, { cookie });
    expect(list.body).toEqual({ data: [spec], meta: { page: 1, per_page: 20, total: 1 } });
    expect((await api(`${SPECS}/${spec.id}`, { cookie })).body).toEqual({ data: spec });

    const patched = await api(`${SPECS}/${spec.id}`, { method: "PATCH", ...self, json: { name: "renamed" } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.data).toMatchObject({ name: "renamed", guidelines: ["g"] });

    // Cross-site requests riding on the cookie are refused before anything changes.
    const evil = { cookie, origin: "https://evil.example" };
    expectError(await api(SPECS, { method: "POST", ...evil, json: minimal("csrf") }), 403, "forbidden");
    expectError(await api(`${SPECS}/${spec.id}`, { method: "PATCH", ...evil, json: { name: "csrf" } }), 403, "forbidden");
    expectError(await api(`${SPECS}/${spec.id}`, { method: "DELETE", ...evil }), 403, "forbidden");
    expectError(await api(SPECS, { method: "POST", cookie, headers: { "sec-fetch-site": "cross-site" }, json: minimal("csrf") }), 403, "forbidden");
    const unchanged = await api(SPECS, { cookie });
    expect(unchanged.body.meta.total).toBe(1);
    expect(unchanged.body.data[0].name).toBe("renamed");

    const deleted = await api(`${SPECS}/${spec.id}`, { method: "DELETE", ...self });
    expect(deleted.status).toBe(200);
    expect(deleted.body.data.id).toBe(spec.id);
    expectError(await api(`${SPECS}/${spec.id}`, { cookie }), 404, "not_found", NOT_FOUND);
  });

  it("works with a session big enough to be split into chunked cookies", async () => {
    // User metadata travels in the session (and its JWT): enough of it forces .0/.1 chunks.
    const email = uniqueEmail("specs-chunked");
    const password = `pw-${randomUUID()}`;
    const made = await adminClient().auth.admin.createUser({ email, password, email_confirm: true, user_metadata: { bio: "b".repeat(2000) } });
    expect(made.error).toBeNull();
    const { data, error } = await anonClient().auth.signInWithPassword({ email, password });
    expect(error).toBeNull();
    const cookie = sessionCookie(data.session!);
    expect(cookie).toMatch(/^sb-127-auth-token\.0=base64-[\w-]+; sb-127-auth-token\.1=[\w-]+/);
    const created = await api(SPECS, { method: "POST", cookie, origin: APP_URL, json: minimal("chunked") });
    expect(created.status, created.text).toBe(201);
    expect((await api(SPECS, { cookie })).body.data).toEqual([created.body.data]);
    const { key } = await createApiKey(data.session!, "from a chunked session");
    expect((await api(`${SPECS}/${created.body.data.id}`, { key })).status).toBe(200);
  });

  it("sees the same specs as the user's API key", async () => {
    const spec = await create(aliceKey, minimal("seen both ways"));
    expect((await api(`${SPECS}/${spec.id}`, { cookie: sessionCookie(alice.session) })).body).toEqual({ data: spec });
  });
});
