// What a key was used for, written with last_used_at at most once a minute (lib/api-keys/usage.ts),
// against a stand-in for the database that records each statement's parameters.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { keySeen, scopeUsed } from "@/lib/api-keys/usage";
import type { Db } from "@/lib/db";

// The resolution from the requirement (written "at most once a minute per key", docs/SECURITY.md),
// not the module's constant: a test bounded by the constant it tests would pass whatever it says.
const MINUTE_MS = 60_000;

type Write = { id: unknown; scopes: unknown };
let writes: Write[];
let rowsUpdated: number;
// The UPDATE's parameters, in order: the scopes, then the key's id.
const db = ((_strings: TemplateStringsArray, ...values: unknown[]) => {
  writes.push({ scopes: values[0], id: values[1] });
  return Promise.resolve({ count: rowsUpdated });
}) as unknown as Db;

const NOW = Date.parse("2026-11-30T03:00:00Z");
let n = 0;
const freshId = () => `key-${++n}`;
const stale = (id: string) => ({ id, lastUsedAt: new Date(NOW - 2 * MINUTE_MS), scopeLastUsed: {} });
const fresh = (id: string, scopeLastUsed = {}) => ({ id, lastUsedAt: new Date(NOW - 10_000), scopeLastUsed });

beforeEach(() => {
  writes = [];
  rowsUpdated = 1;
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => vi.useRealTimers());

describe("recording what a key was used for", () => {
  it("the first request that finds last_used_at over a minute old writes once, with every scope used meanwhile", async () => {
    const key = stale(freshId());
    const write = keySeen(db, key, NOW);
    expect(write).toBeTypeOf("function");
    scopeUsed(db, key, "specs:read", NOW);
    // A burst before the write lands: no second write scheduled.
    for (let i = 0; i < 20; i++) {
      expect(keySeen(db, key, NOW)).toBeNull();
      scopeUsed(db, key, i % 2 ? "specs:write" : "specs:read", NOW);
    }
    await write!();
    expect(writes).toEqual([{ id: key.id, scopes: ["specs:read", "specs:write"] }]);
  });

  it("a row shared by many requests (the verification cache's copy) is written once, not once per request after the write", async () => {
    const shared = stale(freshId());
    const write = keySeen(db, shared, NOW);
    expect(write).toBeTypeOf("function");
    await write!();
    // The same cached row, the write done: it now says "used now", so no request schedules another.
    expect(shared.lastUsedAt).toEqual(new Date(NOW));
    for (let i = 0; i < 20; i++) expect(keySeen(db, shared, NOW + i * 10)).toBeNull();
    expect(writes).toHaveLength(1);
    // A minute on, the row (or the next lookup's) is stale again: one more write.
    expect(keySeen(db, shared, NOW + MINUTE_MS)).toBeTypeOf("function");
  });

  it("a fresh row: nothing written for scopes it already shows", async () => {
    const key = fresh(freshId(), { "specs:read": new Date(NOW - 60_000).toISOString() });
    expect(keySeen(db, key, NOW)).toBeNull();
    scopeUsed(db, key, "specs:read", NOW);
    await vi.advanceTimersByTimeAsync(5 * MINUTE_MS);
    expect(writes).toEqual([]);
  });

  it("a fresh row and a scope it does not show: written at the end of its minute, not before", async () => {
    const key = fresh(freshId());
    expect(keySeen(db, key, NOW)).toBeNull();
    scopeUsed(db, key, "keys:read", NOW);
    scopeUsed(db, key, "keys:write", NOW);
    await vi.advanceTimersByTimeAsync(MINUTE_MS - 15_000);
    expect(writes).toEqual([]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(writes).toEqual([{ id: key.id, scopes: ["keys:read", "keys:write"] }]);
  });

  it("scopes another instance's write kept out wait for the next minute, and are not lost", async () => {
    const key = stale(freshId());
    const write = keySeen(db, key, NOW)!;
    scopeUsed(db, key, "specs:write", NOW);
    rowsUpdated = 0; // the row was written in the last minute by someone else
    await write();
    expect(writes).toHaveLength(1);
    rowsUpdated = 1;
    await vi.advanceTimersByTimeAsync(MINUTE_MS + 1_000);
    expect(writes).toEqual([
      { id: key.id, scopes: ["specs:write"] },
      { id: key.id, scopes: ["specs:write"] },
    ]);
  });
});
