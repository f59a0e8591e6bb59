// Retries in the SDK: idempotent requests only (GET, HEAD, PUT, DELETE), on 429, 503 and
// network failures, after Retry-After when the server sends one, a bounded number of times;
// the sleep and the clock are injected, so nothing here waits.
import { describe, expect, it } from "vitest";

import { createClient, NetworkError, parseRetryAfter, RateLimitedError, retryDecision, type ClientOptions } from "../../sdk/src/index.ts";

const NOW = Date.parse("2026-12-01T00:00:00Z");
const ID = "6f1d3c2e-8a4b-4c1d-9e7f-0a1b2c3d4e5f";

function fake(responses: (Response | Error)[], options: ClientOptions = {}) {
  let calls = 0;
  const slept: number[] = [];
  const client = createClient({
    baseUrl: "https://api.example.test",
    apiKey: "tt_x",
    sleep: async (ms) => {
      slept.push(ms);
    },
    now: () => NOW,
    ...options,
    fetch: async () => {
      calls++;
      const next = responses.shift();
      if (!next) throw new Error("no more responses");
      if (next instanceof Error) throw next;
      return next;
    },
  });
  return { client, slept, calls: () => calls };
}

const ok = () => new Response(JSON.stringify({ data: { status: "ok" } }), { status: 200 });
const refused = (status: number, retryAfter?: string) =>
  new Response(JSON.stringify({ error: { code: status === 429 ? "rate_limited" : "internal_error", message: "wait" } }), {
    status,
    headers: retryAfter ? { "retry-after": retryAfter } : {},
  });
const unreachable = () => new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates against the injected clock", () => {
    expect(parseRetryAfter("7", NOW)).toBe(7);
    expect(parseRetryAfter(" 0 ", NOW)).toBe(0);
    expect(parseRetryAfter("Tue, 01 Dec 2026 00:00:30 GMT", NOW)).toBe(30);
    expect(parseRetryAfter("Mon, 30 Nov 2026 00:00:00 GMT", NOW)).toBe(0);
    expect(parseRetryAfter(null, NOW)).toBeNull();
    expect(parseRetryAfter("soon", NOW)).toBeNull();
    expect(parseRetryAfter("-5", NOW)).toBeNull();
  });
});

describe("retryDecision", () => {
  it("never retries a request that is not idempotent, nor past the last attempt, nor other statuses", () => {
    expect(retryDecision(1, { idempotent: false, status: 503, retryAfter: 1 }, {}, 0)).toEqual({ retry: false });
    expect(retryDecision(3, { idempotent: true, status: 503, retryAfter: 1 }, { attempts: 3 }, 0)).toEqual({ retry: false });
    expect(retryDecision(1, { idempotent: true, status: 500, retryAfter: null }, {}, 0)).toEqual({ retry: false });
    expect(retryDecision(1, { idempotent: true, status: 404, retryAfter: null }, {}, 0)).toEqual({ retry: false });
  });

  it("waits Retry-After when given, else an exponential backoff with jitter; not at all beyond maxDelayMs", () => {
    expect(retryDecision(1, { idempotent: true, status: 429, retryAfter: 2 }, {}, 0.9)).toEqual({ retry: true, delayMs: 2000 });
    expect(retryDecision(1, { idempotent: true, status: null, retryAfter: null }, { baseDelayMs: 100 }, 1 - 1e-9)).toEqual({ retry: true, delayMs: 100 });
    expect(retryDecision(2, { idempotent: true, status: 503, retryAfter: null }, { baseDelayMs: 100 }, 0)).toEqual({ retry: true, delayMs: 100 });
    expect(retryDecision(1, { idempotent: true, status: 429, retryAfter: 120 }, { maxDelayMs: 60_000 }, 0)).toEqual({ retry: false });
  });
});

describe("the client", () => {
  it("retries a GET after 503 and 429, honouring Retry-After, then answers", async () => {
    const { client, slept, calls } = fake([refused(503, "1"), refused(429, "Tue, 01 Dec 2026 00:00:03 GMT"), ok()]);
    expect(await client.getHealth()).toEqual({ status: "ok" });
    expect(calls()).toBe(3);
    expect(slept).toEqual([1000, 3000]);
  });

  it("retries a DELETE (idempotent), never a POST or a PATCH", async () => {
    const del = fake([refused(503, "1"), new Response(JSON.stringify({ data: { id: ID } }), { status: 200 })]);
    await del.client.deleteBehaviorSpec({ params: { id: ID } });
    expect(del.calls()).toBe(2);

    const post = fake([refused(503, "1"), ok()]);
    await expect(post.client.createBehaviorSpec({ body: { name: "x", examples: [{ input: "a", output: "b" }] } })).rejects.toMatchObject({ status: 503 });
    expect([post.calls(), post.slept]).toEqual([1, []]);

    const patch = fake([unreachable(), ok()]);
    await expect(patch.client.updateBehaviorSpec({ params: { id: ID }, body: { name: "y" } })).rejects.toBeInstanceOf(NetworkError);
    expect(patch.calls()).toBe(1);
  });

  it("stops after the attempts it is allowed, throwing the last answer with its Retry-After", async () => {
    const { client, calls, slept } = fake([refused(429, "1"), refused(429, "1"), refused(429, "2"), ok()], { retry: { attempts: 3 } });
    const error = await client.getHealth().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfter).toBe(2);
    expect([calls(), slept]).toEqual([3, [1000, 1000]]);
  });

  it("does not wait longer than maxDelayMs: a long Retry-After is thrown at once", async () => {
    const { client, calls } = fake([refused(429, "3600"), ok()], { retry: { maxDelayMs: 10_000 } });
    await expect(client.getHealth()).rejects.toMatchObject({ code: "rate_limited", retryAfter: 3600 });
    expect(calls()).toBe(1);
  });

  it("retries a GET whose connection failed, and reports the reason when it keeps failing", async () => {
    const recovered = fake([unreachable(), ok()]);
    expect(await recovered.client.getHealth()).toEqual({ status: "ok" });
    expect(recovered.calls()).toBe(2);

    const down = fake([unreachable(), unreachable(), unreachable()]);
    const error = await down.client.getHealth().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).reason).toBe("connection refused (ECONNREFUSED)");
    expect(down.calls()).toBe(3);
  });

  it("retries nothing with retry: false", async () => {
    const { client, calls } = fake([refused(503, "1"), ok()], { retry: false });
    await expect(client.getHealth()).rejects.toMatchObject({ status: 503 });
    expect(calls()).toBe(1);
  });

  it("does not retry a call its caller aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const { client, calls } = fake([new DOMException("aborted", "AbortError"), ok()]);
    await expect(client.getHealth({ signal: controller.signal })).rejects.toMatchObject({ name: "AbortError" });
    expect(calls()).toBe(1);
  });
});
