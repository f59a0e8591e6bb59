import { describe, expect, it } from "vitest";

import type { Db } from "@/lib/db";
import { sessionLiveness } from "@/lib/auth/session-liveness";

// The liveness lookup with a fake database: a tagged template that counts its queries and
// answers when the test says so. Real queries are covered by the integration tests
// (security-findings, account-sessions); this is about how many are sent.
function fakeDb(answer: { session_alive: boolean; suspended: boolean }) {
  const pending: (() => void)[] = [];
  let queries = 0;
  const db = (() => {
    queries++;
    return new Promise((resolve) => pending.push(() => resolve([answer])));
  }) as unknown as Db;
  return { db, queries: () => queries, answerAll: () => pending.splice(0).forEach((answer) => answer()) };
}

const session = (sessionId: string) => ({ id: crypto.randomUUID(), email: null, sessionId, aal: "aal1", accessToken: "t" });

describe("sessionLiveness", () => {
  it("sends one query for concurrent reads of the same session, and one per session", async () => {
    const { db, queries, answerAll } = fakeDb({ session_alive: true, suspended: false });
    const a = session(crypto.randomUUID());
    const b = session(crypto.randomUUID());
    const reads = [...Array.from({ length: 50 }, () => sessionLiveness(db, a)), sessionLiveness(db, b)];
    expect(queries()).toBe(2);
    answerAll();
    expect(await Promise.all(reads)).toEqual(Array(51).fill("live"));
    // Remembered now: no query.
    expect(await sessionLiveness(db, a)).toBe("live");
    expect(queries()).toBe(2);
  });

  it("never lets a fresh read (before minting) join a lookup already in flight or use a remembered answer", async () => {
    const { db, queries, answerAll } = fakeDb({ session_alive: false, suspended: false });
    const a = session(crypto.randomUUID());
    const read = sessionLiveness(db, a);
    const fresh = sessionLiveness(db, a, { fresh: true });
    expect(queries()).toBe(2);
    answerAll();
    expect([await read, await fresh]).toEqual(["ended", "ended"]);
    const again = sessionLiveness(db, a, { fresh: true });
    expect(queries()).toBe(3);
    answerAll();
    expect(await again).toBe("ended");
  });

  it("refuses a token without a session id without asking", async () => {
    const { db, queries } = fakeDb({ session_alive: true, suspended: false });
    expect(await sessionLiveness(db, { ...session("x"), sessionId: null })).toBe("ended");
    expect(queries()).toBe(0);
  });
});
