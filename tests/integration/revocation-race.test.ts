// "Revoked keys stop working immediately": 50 clients hammer /api/v1/me with one key
// while it is revoked. Every request that started after the DELETE response arrived must
// get 403 — no cache anywhere may serve the revoked key, not even for a moment.
import { describe, expect, it } from "vitest";

import { api, eventually } from "../support/http";
import { createApiKey } from "../support/session";
import { newUser } from "../support/stack";

const CLIENTS = 50;

describe("revocation race", () => {
  it("refuses the key in every request that starts after the revocation returned", async () => {
    const user = await newUser("race");
    const { key, id } = await createApiKey(user.session, "raced");
    const samples: { start: number; status: number }[] = [];
    let revokedAt = Infinity;
    let stop = false;

    const client = async () => {
      while (!stop) {
        const start = performance.now();
        // Node's fetch keeps one pooled keep-alive socket per concurrent request.
        const res = await api("/api/v1/me", { key });
        samples.push({ start, status: res.status });
      }
    };
    const clients = Array.from({ length: CLIENTS }, client);

    // All 50 in full flow: two rounds' worth of answers, not a guessed time.
    await eventually(async () => samples.length, (n) => n >= 2 * CLIENTS, { everyMs: 10 });
    const revoke = await api(`/api/v1/api-keys/${id}`, { method: "DELETE", key });
    revokedAt = performance.now();
    expect(revoke.status).toBe(200);
    // Keep racing until every client has started several requests after the revocation.
    await eventually(async () => samples.filter((s) => s.start > revokedAt).length, (n) => n >= 5 * CLIENTS, { everyMs: 10 });
    stop = true;
    await Promise.all(clients);

    const before = samples.filter((s) => s.start < revokedAt);
    const after = samples.filter((s) => s.start > revokedAt);
    const servedAfter = after.filter((s) => s.status !== 403);
    console.log(
      `[race] ${samples.length} requests from ${CLIENTS} clients: ${before.length} started before the revocation returned ` +
        `(${before.filter((s) => s.status === 200).length} × 200, ${before.filter((s) => s.status === 403).length} × 403), ` +
        `${after.length} after it (all must be 403; ${servedAfter.length} were not)`,
    );
    expect(before.some((s) => s.status === 200)).toBe(true);
    expect(after.length).toBeGreaterThanOrEqual(CLIENTS);
    expect(servedAfter).toEqual([]);
    // Before the DELETE only 200s or (for requests overlapping it) 403s: nothing else.
    expect(before.every((s) => s.status === 200 || s.status === 403)).toBe(true);
  });
});
