// The revocation race across instances: 48 clients hammer one key, 12 on each of the
// three instances directly and 12 through nginx, while the key is revoked through
// instance 1. Every request that started after the DELETE returned must get 403, on
// every instance: no instance may keep a verdict for itself.
import { describe, expect, it } from "vitest";

import { createApiKey } from "../../support/session";
import { newUser } from "../../support/stack";
import { scale } from "../support.ts";

const { lbUrl, instances } = scale();
const PER_TARGET = 12;

describe("revocation race across instances", () => {
  it("refuses the key on every instance in every request that starts after the revocation returned", async () => {
    const user = await newUser("scale-race");
    const { key, id } = await createApiKey(user.session, "raced across instances");
    const targets = [...instances.map((i) => i.url), lbUrl];
    const samples: { target: string; start: number; status: number }[] = [];
    let stop = false;
    const client = async (target: string) => {
      while (!stop) {
        const start = performance.now();
        const res = await fetch(`${target}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
        await res.arrayBuffer();
        samples.push({ target, start, status: res.status });
      }
    };
    const clients = targets.flatMap((t) => Array.from({ length: PER_TARGET }, () => client(t)));
    await new Promise((r) => setTimeout(r, 500));
    const revoke = await fetch(`${instances[0]!.url}/api/v1/api-keys/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${key}` } });
    const revokedAt = performance.now();
    expect(revoke.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1000));
    stop = true;
    await Promise.all(clients);

    const lines: string[] = [];
    for (const target of targets) {
      const mine = samples.filter((s) => s.target === target);
      const before = mine.filter((s) => s.start < revokedAt);
      const after = mine.filter((s) => s.start > revokedAt);
      const served = after.filter((s) => s.status !== 403);
      lines.push(`${target}: ${before.length} before (${before.filter((s) => s.status === 200).length} × 200), ${after.length} after (${served.length} not 403)`);
      expect(before.some((s) => s.status === 200), target).toBe(true);
      expect(after.length, target).toBeGreaterThanOrEqual(PER_TARGET);
      expect(served, target).toEqual([]);
      expect(before.every((s) => s.status === 200 || s.status === 403), target).toBe(true);
    }
    console.log(`[scale race] ${samples.length} requests from ${targets.length * PER_TARGET} clients; ${lines.join("; ")}`);
  });
});
