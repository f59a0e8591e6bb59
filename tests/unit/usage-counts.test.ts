// Usage per key per hour, counted in memory and written by one statement per flush
// (lib/api-keys/usage-counts.ts), against a stand-in for the database that records each
// statement's parameters.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { countKeyResponse, flushUsageCounts, HOUR_MS, outcomeOf } from "@/lib/api-keys/usage-counts";
import type { Db } from "@/lib/db";

type Statement = { keys: string[]; hours: string[]; success: number[]; clientError: number[]; serverError: number[]; refused: number[]; limited: number[]; ips: string[]; agents: string[] };
let statements: Statement[];
let failNext = false;
const db = ((_strings: TemplateStringsArray, ...v: unknown[]) => {
  if (failNext) {
    failNext = false;
    return Promise.reject(new Error("database down"));
  }
  statements.push({ keys: v[0], hours: v[1], success: v[2], clientError: v[3], serverError: v[4], refused: v[5], limited: v[6], ips: v[8], agents: v[9] } as Statement);
  return Promise.resolve({ count: 1 });
}) as unknown as Db;

const NOW = Date.parse("2026-11-30T03:59:59Z");
const FLUSH_MS = 60_000;
const origin = () => ({ ip: "203.0.113.9", userAgent: "ua/1" });
const answer = (keyId: string | null, status: number, now = Date.now()) => {
  // A session, or a key that was not found, is nobody's usage: serve() does not count it.
  if (keyId) countKeyResponse(db, FLUSH_MS, keyId, status, origin, now);
};

// The interval is the process's (made on first use, by the test that counts first); the
// later tests flush by hand.
beforeEach(async () => {
  statements = [];
  vi.useFakeTimers({ now: NOW });
  await flushUsageCounts(db);
  statements = [];
});
afterEach(() => vi.useRealTimers());

describe("usage counts", () => {
  it("sorts answers into success, client_error, server_error and the key's refusals", () => {
    expect([200, 201, 400, 404, 413, 429, 401, 403, 500, 503].map(outcomeOf)).toEqual([
      "success", "success", "client_error", "client_error", "client_error", "client_error", "refused", "refused", "server_error", "server_error",
    ]);
  });

  it("writes nothing per request, then one statement per flush with every key-hour summed", async () => {
    for (let i = 0; i < 50; i++) answer("key-a", 200);
    answer("key-a", 404);
    answer("key-a", 403);
    answer("key-b", 500);
    answer(null, 200); // a session, or a key that was not found: nobody's usage
    answer("key-a", 200, NOW + 1_000); // the next hour
    expect(statements).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(FLUSH_MS);
    expect(statements).toHaveLength(1);
    const s = statements[0]!;
    const rows = s.keys.map((key, i) => ({ key, hour: s.hours[i], ok: s.success[i], c: s.clientError[i], e: s.serverError[i], r: s.refused[i] }));
    const hour = new Date(NOW - (NOW % HOUR_MS)).toISOString();
    const next = new Date(NOW - (NOW % HOUR_MS) + HOUR_MS).toISOString();
    expect(rows).toEqual([
      { key: "key-a", hour, ok: 50, c: 1, e: 0, r: 1 },
      { key: "key-b", hour, ok: 0, c: 0, e: 1, r: 0 },
      { key: "key-a", hour: next, ok: 1, c: 0, e: 0, r: 0 },
    ]);
    expect(s.ips).toEqual(["203.0.113.9", "203.0.113.9", "203.0.113.9"]);
    expect(s.agents[0]).toBe("ua/1");
    // Nothing new: the next flush writes nothing.
    await vi.advanceTimersByTimeAsync(FLUSH_MS);
    expect(statements).toHaveLength(1);
  });

  it("keeps the counts of a failed flush for the next one, added to what came meanwhile", async () => {
    for (let i = 0; i < 3; i++) answer("key-c", 200);
    failNext = true;
    vi.spyOn(console, "error").mockImplementation(() => {});
    await flushUsageCounts(db);
    expect(statements).toHaveLength(0);
    answer("key-c", 200);
    await flushUsageCounts(db);
    expect(statements).toHaveLength(1);
    expect(statements[0]!.keys).toEqual(["key-c"]);
    expect(statements[0]!.success).toEqual([4]);
  });
});
