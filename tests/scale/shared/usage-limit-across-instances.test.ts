// Usage limits across the production shape (three instances behind nginx, PgBouncer, T = 1 s):
// 50 clients spread over the three instances and nginx hammer a key limited to N requests a
// second for several seconds; every admitted answer names the window it was admitted in
// (Tt-RateLimit-Window), and in no window are more than N admitted — the table is printed
// with the under-admission. Then the lowering race: a key limited far above the load, hammered
// the same way, is lowered to a handful a minute through instance 1; no request that started
// after the PATCH's answer arrived is admitted beyond the new limit, in that minute or after.
import { describe, expect, it } from "vitest";

import { api, type Json } from "../../support/http";
import { inOrg } from "../../support/organizations";
import { newUser } from "../../support/stack";
import { scale } from "../support.ts";

type Sample = { start: number; end: number; status: number; window: string | null; code: string | null };

/** `clients` clients spread over `targets` send GET /api/v1/me with `key` until `until()` says stop. */
async function hammer(key: string, clients: number, until: () => boolean, onSample?: (s: Sample) => void): Promise<Sample[]> {
  const { lbUrl, instances } = scale();
  const targets = [...instances.map((i) => i.url), lbUrl];
  const samples: Sample[] = [];
  const client = async (target: string) => {
    while (!until()) {
      const start = performance.now();
      const res = await fetch(`${target}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
      const text = await res.text();
      let code: string | null = null;
      if (res.status !== 200) code = ((JSON.parse(text) as Json).error?.code as string | undefined) ?? null;
      const sample = { start, end: performance.now(), status: res.status, window: res.headers.get("tt-ratelimit-window"), code };
      samples.push(sample);
      onSample?.(sample);
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => client(targets[i % targets.length]!)));
  return samples;
}

async function limitedKey(label: string, limits: Json): Promise<{ key: string; id: string; session: object }> {
  const user = await newUser(label);
  const res = await api("/api/v1/api-keys", { method: "POST", ...inOrg(user.session), json: { name: label, limits } });
  expect(res.status, res.text).toBe(201);
  return { key: res.body.data.key as string, id: res.body.data.id as string, session: user.session };
}

function tally(samples: readonly Sample[]): Map<string, number> {
  const admitted = new Map<string, number>();
  for (const s of samples) if (s.status === 200) admitted.set(s.window!, (admitted.get(s.window!) ?? 0) + 1);
  return admitted;
}

describe("usage limits across instances", () => {
  it("a key limited to N a second: admitted <= N in every window, 50 clients on three instances and nginx", async () => {
    const N = 25;
    const { key } = await limitedKey("scale-rate", { rate: { requests: N, per: "second", burst: null }, quota: null });
    const stopAt = performance.now() + 8_000;
    const samples = await hammer(key, 50, () => performance.now() > stopAt);
    const admitted = tally(samples);
    const refused = samples.filter((s) => s.status === 429);
    expect(samples.filter((s) => s.status !== 200 && s.status !== 429)).toEqual([]);
    expect(refused.every((s) => s.code === "rate_limited")).toBe(true);
    const windows = [...admitted.entries()].sort(([a], [b]) => a.localeCompare(b));
    const rows = windows.map(([window, n]) => `  ${window}  admitted ${String(n).padStart(3)} / ${N}  under-admission ${N - n}`);
    console.log(`a key limited to ${N} a second, 50 clients, 3 instances + nginx, ${samples.length} requests (${refused.length} refused 429):\n${rows.join("\n")}`);
    for (const [window, n] of windows) expect(n, window).toBeLessThanOrEqual(N);
    // The full seconds in the middle (demand far above N): close to N.
    const middle = windows.slice(1, -1).map(([, n]) => n);
    expect(middle.length).toBeGreaterThanOrEqual(5);
    const mean = middle.reduce((a, b) => a + b, 0) / middle.length;
    console.log(`  mean admitted in the full windows: ${mean.toFixed(1)} of ${N} (under-admission ${(N - mean).toFixed(1)})`);
    expect(mean).toBeGreaterThan(N / 2);
  }, 60_000);

  it("lowering under load: no request that started after the PATCH returned is admitted beyond the new limit", async () => {
    // Mid-minute, so that the race stays inside one window and the next.
    const into = Date.now() % 60_000;
    if (into > 40_000 || into < 2_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - into + 2_000));
    const { instances } = scale();
    const LOWERED = 5;
    const { key, id, session } = await limitedKey("scale-lower", { rate: { requests: 1_000_000, per: "minute", burst: null }, quota: null });
    let changedAt = Infinity;
    let admittedBefore = 0;
    let stop = false;
    const race = hammer(key, 50, () => stop, (s) => {
      if (s.status === 200) admittedBefore++;
    });
    // Once answers flow, lower the limit through instance 1; run on for 3 s after its answer.
    while (admittedBefore < 200) await new Promise((resolve) => setTimeout(resolve, 20));
    const changed = await api(`/api/v1/api-keys/${id}`, { method: "PATCH", base: instances[0]!.url, ...inOrg(session), json: { limits: { rate: { requests: LOWERED, per: "minute", burst: null }, quota: null } } });
    expect(changed.status, changed.text).toBe(200);
    changedAt = performance.now();
    setTimeout(() => (stop = true), 3_000);
    const samples = await race;
    const after = samples.filter((s) => s.start > changedAt);
    const afterAdmitted = tally(after);
    const before = tally(samples.filter((s) => s.start <= changedAt));
    console.log(
      `lowered to ${LOWERED} a minute under load: ${samples.length} requests; started after the answer: ${after.length}, admitted ${[...afterAdmitted.values()].reduce((a, b) => a + b, 0)} ` +
        `(${[...afterAdmitted.entries()].map(([w, n]) => `${w}: ${n}, ${before.get(w) ?? 0} before`).join("; ") || "none"})`,
    );
    expect(after.length).toBeGreaterThan(100);
    for (const [window, n] of afterAdmitted) {
      // The requests of this window admitted before the change count against the new limit too.
      expect(n, window).toBeLessThanOrEqual(Math.max(0, LOWERED - (before.get(window) ?? 0)));
    }
    expect(after.filter((s) => s.status !== 200 && s.status !== 429)).toEqual([]);
  }, 120_000);
});
