// One instance killed mid-load: nginx takes it out of the rotation, no acknowledged write
// is lost, and the only errors are requests that were in flight on the killed instance
// (each a 502 in the API's envelope from nginx).
import { afterAll, describe, expect, it } from "vitest";

import { createApiKey } from "../../support/session";
import { newUser } from "../../support/stack";
import { scale } from "../support.ts";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const { lbUrl, instances } = scale();
const WRITERS = 8;
const victim = instances[1]!;
afterAll(() => {
  try {
    process.kill(victim.pid, "SIGKILL");
  } catch {
    // gone already
  }
});

describe("an instance killed under load", () => {
  it("loses no acknowledged write; only requests in flight on it fail", async () => {
    const user = await newUser("scale-kill");
    const { key } = await createApiKey(user.session, "scale kill");
    const acknowledged: string[] = [];
    const failures: { start: number; status: number | string; body: string }[] = [];
    let killedAt = Infinity;
    let afterKill = 0;
    let n = 0;
    const writer = async () => {
      while (afterKill < 60) {
        const start = performance.now();
        let status: number | string = "network error";
        let body = "";
        try {
          const res = await fetch(`${lbUrl}/api/v1/behavior-specs`, {
            method: "POST",
            headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
            body: JSON.stringify({ name: `scale crash ${n++}`, examples: [{ input: "in", output: "out" }] }),
            signal: AbortSignal.timeout(10_000),
          });
          status = res.status;
          body = await res.text();
        } catch {
          // counted below
        }
        // A 201 whose body was cut off (the instance died mid-response) was never acknowledged.
        const id = status === 201 ? (((): string | undefined => { try { return (JSON.parse(body) as Json).data.id as string; } catch { return undefined; } })()) : undefined;
        if (id === undefined && status === 201) status = "201 cut off";
        if (id !== undefined) {
          acknowledged.push(id);
          if (start > killedAt) afterKill++;
        } else failures.push({ start, status, body });
        if (acknowledged.length >= 20 && killedAt === Infinity) {
          killedAt = performance.now();
          process.kill(victim.pid, "SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, writer));
    console.log(`[scale kill] ${acknowledged.length} acknowledged, ${failures.length} failed (${failures.map((f) => f.status).join(", ") || "none"})`);

    // At most one request in flight per writer when it died, and only those: requests that
    // were on it, or reached it in the moment it was being torn down (SIGKILL is delivered,
    // and its sockets reset, a little after process.kill returns): none started later.
    expect(failures.length).toBeLessThanOrEqual(WRITERS);
    for (const f of failures) {
      expect(f.start).toBeLessThan(killedAt + 100);
      if (f.status === "201 cut off") continue;
      expect(f.status).toBe(502);
      expect(JSON.parse(f.body)).toEqual({ error: { code: "internal_error", message: expect.stringMatching(/^Internal server error/) } });
    }
    // Every acknowledged write is there (read back through the survivors).
    for (const id of acknowledged) {
      const res = await fetch(`${lbUrl}/api/v1/behavior-specs/${id}`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status, id).toBe(200);
    }
    // And the load balancer keeps answering from the other two.
    for (let i = 0; i < 10; i++) expect((await fetch(`${lbUrl}/api/v1/health`)).status).toBe(200);
  });
});
