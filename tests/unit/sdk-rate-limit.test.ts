// The SDK and usage limits: the `RateLimit-Policy` / `RateLimit` fields read into the last
// seen limits, a 429 thrown as the class of its code with the limit it ran out of, and
// `onRetry` saying what a wait is for (status, code, seconds, the limit). Fetch, sleep and
// the clock are injected: nothing here waits or reaches a server.
import { describe, expect, it } from "vitest";

import {
  createClient,
  describePolicy,
  exhaustedPolicy,
  parseRateLimit,
  parseStructuredList,
  QuotaExceededError,
  RateLimitedError,
  TooManyRequestsError,
  type ClientOptions,
  type RetryEvent,
} from "../../sdk/src/index.ts";

const NOW = Date.parse("2026-12-01T00:00:00Z");

function fake(responses: Response[], options: ClientOptions = {}) {
  const slept: number[] = [];
  const retries: RetryEvent[] = [];
  const client = createClient({
    baseUrl: "https://api.example.test",
    apiKey: "tt_x",
    sleep: async (ms) => {
      slept.push(ms);
    },
    now: () => NOW,
    onRetry: (e) => retries.push(e),
    ...options,
    fetch: async () => {
      const next = responses.shift();
      if (!next) throw new Error("no more responses");
      return next;
    },
  });
  return { client, slept, retries };
}

const LIMITED = { "ratelimit-policy": '"minute";q=60;w=60, "day";q=10000;w=86400', ratelimit: '"minute";r=0;t=12, "day";r=9000;t=3600' };
const ok = (headers: Record<string, string> = {}) => new Response(JSON.stringify({ data: { status: "ok" } }), { status: 200, headers });
const tooMany = (code: string, retryAfter: string, headers: Record<string, string> = LIMITED) =>
  new Response(JSON.stringify({ error: { code, message: "slow down" } }), { status: 429, headers: { "retry-after": retryAfter, ...headers } });

describe("parseStructuredList (RFC 9651 lists)", () => {
  it("reads strings, tokens, integers, booleans and byte sequences with parameters", () => {
    expect(parseStructuredList('"a";q=1;w=60, b;r=0;x, c;pk=:AAE=:, "d\\"e";f=?0')).toEqual([
      { value: "a", params: { q: 1, w: 60 } },
      { value: { token: "b" }, params: { r: 0, x: true } },
      { value: { token: "c" }, params: { pk: { bytes: "AAE=" } } },
      { value: 'd"e', params: { f: false } },
    ]);
    expect(parseStructuredList("")).toEqual([]);
  });

  it("refuses what is not a list: a trailing comma, an open string, junk between items", () => {
    for (const bad of ['"a";q=1,', '"a', '"a" "b"', ";q=1", '"a";Q=1', '"a";q=']) expect(parseStructuredList(bad), bad).toBeNull();
  });
});

describe("parseRateLimit", () => {
  it("matches each policy with its current state by name", () => {
    expect(parseRateLimit(LIMITED["ratelimit-policy"], LIMITED.ratelimit, NOW)).toEqual({
      receivedAt: NOW,
      policies: [
        { name: "minute", quota: 60, windowSeconds: 60, remaining: 0, resetSeconds: 12, partitionKey: null },
        { name: "day", quota: 10000, windowSeconds: 86400, remaining: 9000, resetSeconds: 3600, partitionKey: null },
      ],
    });
  });

  it("is null without the fields or when they do not parse; skips quotas of other units", () => {
    expect(parseRateLimit(null, null, NOW)).toBeNull();
    expect(parseRateLimit("not a list ,,", "nor this ;;", NOW)).toBeNull();
    expect(parseRateLimit('"bytes";q=1000;qu="content-bytes";w=1', null, NOW)).toBeNull();
    // A current state without its policy is still reported.
    expect(parseRateLimit(null, '"x";r=3;t=5', NOW)?.policies).toEqual([{ name: "x", quota: 3, windowSeconds: null, remaining: 3, resetSeconds: 5, partitionKey: null }]);
  });

  it("names the policy used up (the longest wait first), and says it in words", () => {
    const state = parseRateLimit('"second";q=5;w=1, "day";q=100;w=86400', '"second";r=0;t=1, "day";r=0;t=500', NOW);
    expect(exhaustedPolicy(state)?.name).toBe("day");
    expect(exhaustedPolicy(parseRateLimit(LIMITED["ratelimit-policy"], '"minute";r=4;t=12', NOW))).toBeNull();
    expect(describePolicy({ quota: 60, windowSeconds: 60 })).toBe("60 requests a minute");
    expect(describePolicy({ quota: 1, windowSeconds: 1 })).toBe("1 request a second");
    expect(describePolicy({ quota: 10000, windowSeconds: 86400 })).toBe("10000 requests a day");
    expect(describePolicy({ quota: 500, windowSeconds: 30 * 86400 })).toBe("500 requests a month");
    expect(describePolicy({ quota: 7, windowSeconds: 45 })).toBe("7 requests every 45 s");
  });
});

describe("the client and limits", () => {
  it("keeps the last limits an answer announced, on the client and on the answer", async () => {
    const { client } = fake([ok({ "ratelimit-policy": '"minute";q=60;w=60', ratelimit: '"minute";r=59;t=40' }), ok()]);
    expect(client.rateLimit).toBeNull();
    const first = await client.request("getHealth");
    expect(first.rateLimit?.policies[0]).toMatchObject({ name: "minute", quota: 60, remaining: 59, resetSeconds: 40 });
    expect(client.rateLimit).toEqual(first.rateLimit);
    // An answer without the fields (a session's, say) leaves the last seen limits as they were.
    const second = await client.request("getHealth");
    expect(second.rateLimit).toBeNull();
    expect(client.rateLimit?.policies[0]?.remaining).toBe(59);
  });

  it("onRetry says what it waits for: the status, the code, the seconds and the limit", async () => {
    const { client, slept, retries } = fake([tooMany("rate_limited", "12"), ok()]);
    expect(await client.getHealth()).toEqual({ status: "ok" });
    expect(slept).toEqual([12_000]);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ status: 429, code: "rate_limited", delayMs: 12_000, retryAfter: 12, policy: { name: "minute", quota: 60, windowSeconds: 60 } });
  });

  it("a 503 without an envelope is retried with code null", async () => {
    const { client, retries } = fake([new Response("busy", { status: 503, headers: { "retry-after": "1" } }), ok()]);
    await client.getHealth();
    expect(retries[0]).toMatchObject({ status: 503, code: null, policy: null });
  });

  it("a 429 is thrown as the class of its code, with the limits of the answer", async () => {
    const { client } = fake([tooMany("rate_limited", "3600")], { retry: { maxDelayMs: 10_000 } });
    const error = await client.getHealth().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toBeInstanceOf(TooManyRequestsError);
    const limited = error as RateLimitedError;
    expect(limited.retryAfter).toBe(3600);
    expect(limited.policy).toMatchObject({ name: "minute", quota: 60, remaining: 0 });
    expect(limited.rateLimit?.policies).toHaveLength(2);
  });

  it("quota_exceeded is a QuotaExceededError, not a RateLimitedError", async () => {
    const { client } = fake([tooMany("quota_exceeded", "50400")], { retry: { maxDelayMs: 10_000 } });
    const error = await client.getHealth().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(error).toBeInstanceOf(TooManyRequestsError);
    expect(error).not.toBeInstanceOf(RateLimitedError);
    expect((error as QuotaExceededError).retryAfter).toBe(50400);
  });

  it("never retries a POST on 429: the error says when to try again", async () => {
    const { client, retries, slept } = fake([tooMany("rate_limited", "5"), ok()]);
    const error = await client.createBehaviorSpec({ body: { name: "x", examples: [{ input: "a", output: "b" }] } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfter).toBe(5);
    expect([retries, slept]).toEqual([[], []]);
  });
});
