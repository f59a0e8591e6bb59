// The verification cache's window as the app under test has it (KEY_CACHE_TTL_MS, which
// scripts/test.ts and scripts/test-scale.ts set for the app and the tests alike), and the
// race every power-reducing change is proved with: clients hammer a key on one or more
// targets while the change is made, and every request that started after the change's
// answer arrived must be refused.
import { setTimeout as sleep } from "node:timers/promises";

/** T: how long an instance may reuse a key's row after its lookup was sent. */
export const KEY_CACHE_TTL_MS = Number(process.env.KEY_CACHE_TTL_MS || 1000);

/**
 * After a change made outside the app (SQL in a test, a ban through Supabase Auth's admin
 * API): T, the one window in which an instance may still answer from the key's old row.
 */
export const outlastKeyCache = () => sleep(KEY_CACHE_TTL_MS + 50);

/** One request of a race: when it was sent and when its answer had arrived (performance.now()). */
export type Sample = { target: string; start: number; end: number; status: number };

export type RaceResult = {
  samples: Sample[];
  /** performance.now() when the change's answer had arrived. */
  changedAt: number;
  /** How long the change took to answer (it waits T after its commit). */
  changeMs: number;
  before: Sample[];
  after: Sample[];
};

/**
 * `clientsPerTarget` clients per target base URL send `path` with `headers` in a loop; once
 * each has answers flowing, `change()` runs; the race goes on until every client has
 * started several requests after the change returned.
 */
export async function raceChange(options: {
  targets: string[];
  clientsPerTarget: number;
  path: string;
  headers: Record<string, string>;
  /** A request that is not a GET (e.g. a PATCH that needs specs:write): its method and JSON body. */
  method?: string;
  body?: unknown;
  change: () => Promise<void>;
}): Promise<RaceResult> {
  const { targets, clientsPerTarget, path, method = "GET" } = options;
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers = body === undefined ? options.headers : { ...options.headers, "content-type": "application/json" };
  const samples: Sample[] = [];
  let changedAt = Infinity;
  let stop = false;
  const client = async (target: string) => {
    while (!stop) {
      const start = performance.now();
      // Node's fetch keeps one pooled keep-alive socket per concurrent request.
      const res = await fetch(`${target}${path}`, { method, headers, body });
      await res.arrayBuffer();
      samples.push({ target, start, end: performance.now(), status: res.status });
    }
  };
  const clients = targets.flatMap((target) => Array.from({ length: clientsPerTarget }, () => client(target)));
  const total = targets.length * clientsPerTarget;
  const count = (pred: (s: Sample) => boolean) => samples.reduce((n, s) => n + (pred(s) ? 1 : 0), 0);
  try {
    // All clients in full flow: two rounds' worth of answers, not a guessed time.
    await until(() => samples.length >= 2 * total);
    const started = performance.now();
    await options.change();
    changedAt = performance.now();
    const changeMs = changedAt - started;
    // Every target several rounds past the change.
    await until(() => targets.every((t) => count((s) => s.target === t && s.start > changedAt) >= 3 * clientsPerTarget));
    stop = true;
    await Promise.all(clients);
    return {
      samples,
      changedAt,
      changeMs,
      before: samples.filter((s) => s.start < changedAt),
      after: samples.filter((s) => s.start > changedAt),
    };
  } finally {
    stop = true;
    await Promise.allSettled(clients);
  }
}

async function until(ok: () => boolean, timeoutMs = 60_000) {
  const deadline = performance.now() + timeoutMs;
  while (!ok()) {
    if (performance.now() > deadline) throw new Error(`the race did not get going in ${timeoutMs} ms`);
    await sleep(10);
  }
}

/** "200 × 412, 403 × 1,050": a sample list's statuses, for the test's log line. */
export function statusCounts(samples: Sample[]): string {
  const by = new Map<number, number>();
  for (const s of samples) by.set(s.status, (by.get(s.status) ?? 0) + 1);
  return [...by].sort(([a], [b]) => a - b).map(([status, n]) => `${status} × ${n.toLocaleString("en-US")}`).join(", ") || "none";
}
