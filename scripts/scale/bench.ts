// `npm run bench -- --scale`: the production shape (scripts/scale/cluster.ts) under load —
// one instance reached directly, one behind nginx, three behind nginx, on the same cores —
// with where the CPU time goes, how many Postgres connections are in use (against
// PgBouncer's pool), and how many queries each kind of request costs Postgres.
// Writes bench/scale-results.json and the table between bench-scale:start / bench-scale:end
// in docs/BENCHMARKS.md. The instances run with the failed-auth limit raised, as in the
// main bench.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";

import autocannon from "autocannon";
import postgres, { type Sql } from "postgres";

import { createApiKeyWithCookie, createSignedInUser, deleteUser } from "../lib/users.ts";
import { DATABASE_URL, ROOT, STACK_DIR } from "../stack/config.ts";
import { INSTANCE_POOL_MAX, POOLER_POOL_SIZE, poolerShow, startScale, type Scale } from "./cluster.ts";

type Say = (msg: string) => void;
type Headers = Record<string, string>;
type Cpu = Record<"client" | "nginx" | "instances" | "pgbouncer" | "postgres", number>;
type Row = {
  id: string;
  label: string;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  unexpected_status: number;
  cpu_ms_per_request: Cpu;
  queries_per_request: number;
  pg_connections_peak: number;
};
type Kind = { kind: string; requests: number; queries_per_request: number; transactions_per_request: number };

const CONNECTIONS = 50;
const SECONDS = Number(process.env.TT_BENCH_SECONDS || 10);
const WARMUP = Number(process.env.TT_BENCH_WARMUP || 3);
const TICK_MS = 1000 / 100; // USER_HZ

function run(url: string, headers: Headers, seconds: number, init: Partial<autocannon.Options> = {}): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: { ...headers, "user-agent": "tt-bench" }, ...init }, (err: unknown, r: autocannon.Result) => (err ? reject(err as Error) : resolve(r)));
  });
}

/** utime + stime of a process in ms (0 when it has gone). */
function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** Pids whose parent is `parent` (nginx's workers, Postgres's backends). */
function children(parent: number | undefined): number[] {
  if (!parent) return [];
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return Number(readFileSync(`/proc/${d}/stat`, "utf8").split(") ")[1]!.split(" ")[1]) === parent;
      } catch {
        return false;
      }
    })
    .map(Number);
}

function postmasterPid(): number | undefined {
  for (const dir of [join(STACK_DIR, "pg")]) {
    const file = join(dir, "postmaster.pid");
    if (existsSync(file)) return Number(readFileSync(file, "utf8").split("\n")[0]);
  }
  return undefined;
}

/** Postgres backends come and go; sum over the postmaster's children now (a lower bound for short-lived ones). */
function cpuSnapshot(cluster: Scale): Cpu {
  const p = cluster.pids();
  const pm = postmasterPid();
  return {
    client: (() => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    })(),
    nginx: cpuMs(p.nginx) + children(p.nginx).reduce((n, c) => n + cpuMs(c), 0),
    instances: p.instances.reduce<number>((n, pid) => n + cpuMs(pid), 0),
    pgbouncer: cpuMs(p.pgbouncer),
    postgres: cpuMs(pm) + children(pm).reduce((n, c) => n + cpuMs(c), 0),
  };
}

const poolerCounts = () => {
  const s = poolerShow("STATS").find((r) => r.database === "postgres");
  return { queries: Number(s?.total_query_count ?? 0), xacts: Number(s?.total_xact_count ?? 0) };
};

async function measure(say: Say, sql: Sql, cluster: Scale, id: string, label: string, url: string, headers: Headers, expected: number): Promise<Row> {
  await run(url, headers, WARMUP);
  const cpu0 = cpuSnapshot(cluster);
  const q0 = poolerCounts();
  let peak = 0;
  const sampler = setInterval(() => {
    void sql<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where backend_type = 'client backend' and usename = 'postgres' and pid <> pg_backend_pid()`.then(([r]) => (peak = Math.max(peak, r?.n ?? 0)), () => {});
  }, 250);
  const r = await run(url, headers, SECONDS);
  clearInterval(sampler);
  // PgBouncer adds a finished query to its totals at once; give in-flight ones a moment.
  await new Promise((res) => setTimeout(res, 300));
  const q1 = poolerCounts();
  const cpu1 = cpuSnapshot(cluster);
  const total = r.requests.total || 1;
  const statuses = Object.entries((r.statusCodeStats ?? {}) as Record<string, { count: number }>);
  const row: Row = {
    id,
    label,
    rps: Math.round(r.requests.average),
    p50_ms: r.latency.p50,
    p99_ms: r.latency.p99,
    errors: r.errors + r.timeouts,
    unexpected_status: statuses.reduce((n, [code, s]) => (Number(code) === expected ? n : n + s.count), 0),
    cpu_ms_per_request: Object.fromEntries((Object.keys(cpu0) as (keyof Cpu)[]).map((k) => [k, Math.round(((cpu1[k] - cpu0[k]) / total) * 1000) / 1000])) as Cpu,
    queries_per_request: Math.round(((q1.queries - q0.queries) / total) * 1000) / 1000,
    pg_connections_peak: peak,
  };
  say(`${id.padEnd(4)} ${label.padEnd(52)} ${String(row.rps).padStart(6)} req/s  p50 ${row.p50_ms} ms  p99 ${row.p99_ms} ms  q/req ${row.queries_per_request}  pg conns ≤ ${peak}  errors ${row.errors}  unexpected ${row.unexpected_status}`);
  return row;
}

/** Queries and transactions PgBouncer forwarded per request, one request at a time. */
async function perKind(kind: string, n: number, send: (i: number) => Promise<Response>, expected: number): Promise<Kind> {
  await send(-1).then((r) => r.arrayBuffer()); // warm: JWKS, session check, caches
  await new Promise((r) => setTimeout(r, 300));
  const before = poolerCounts();
  for (let i = 0; i < n; i++) {
    const res = await send(i);
    await res.arrayBuffer();
    if (res.status !== expected) throw new Error(`${kind}: ${res.status}, expected ${expected}`);
  }
  await new Promise((r) => setTimeout(r, 1500)); // after() work and the limiter's flush
  const after = poolerCounts();
  return { kind, requests: n, queries_per_request: Math.round(((after.queries - before.queries) / n) * 100) / 100, transactions_per_request: Math.round(((after.xacts - before.xacts) / n) * 100) / 100 };
}

function writeDocs(results: { date: string; commit: string; machine: Record<string, unknown>; scenarios: Row[]; kinds: Kind[] }) {
  const by = Object.fromEntries(results.scenarios.map((s) => [s.id, s]));
  const ratio = (a: string, b: string) => (by[a] && by[b] ? (by[a].rps / by[b].rps).toFixed(2) : "–");
  const cpu = (c: Cpu) => `${c.instances} · ${c.nginx} · ${c.pgbouncer} · ${c.postgres} · ${c.client}`;
  const lines = [
    `Run of ${results.date} — commit \`${results.commit}\`, ${results.machine.cores} cores, Node ${results.machine.node}; ${CONNECTIONS} connections,`,
    `${WARMUP} s warm-up + ${SECONDS} s per scenario; PgBouncer ${POOLER_POOL_SIZE} server connections (transaction mode), each instance ${INSTANCE_POOL_MAX} connections to it.`,
    "One run on a shared machine: the CPU time per request is the steadiest number; req/s and the ratios move with whatever else runs.",
    "",
    "| | scenario | req/s | p50 ms | p99 ms | CPU ms per request: app · nginx · PgBouncer · Postgres · load generator | queries / request | Postgres connections (peak) | errors | unexpected status |",
    "| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ...results.scenarios.map((s) => `| ${s.id} | ${s.label} | ${s.rps.toLocaleString("en-US")} | ${s.p50_ms} | ${s.p99_ms} | ${cpu(s.cpu_ms_per_request)} | ${s.queries_per_request} | ${s.pg_connections_peak} | ${s.errors} | ${s.unexpected_status} |`),
    "",
    `Three instances behind nginx vs one reached directly: health ${ratio("h3n", "h1")} ×, API key ${ratio("k3n", "k1")} ×, list ${ratio("f3n", "f1")} ×; vs one behind nginx: ${ratio("h3n", "h1n")} ×, ${ratio("k3n", "k1n")} ×, ${ratio("f3n", "f1n")} ×.`,
    "",
    "What one request costs Postgres, by kind (one at a time through nginx and PgBouncer; PgBouncer's own counters):",
    "",
    "| request | queries | transactions |",
    "| --- | ---: | ---: |",
    ...results.kinds.map((k) => `| ${k.kind} | ${k.queries_per_request} | ${k.transactions_per_request} |`),
  ];
  const path = join(ROOT, "docs/BENCHMARKS.md");
  const doc = readFileSync(path, "utf8");
  const start = doc.indexOf("<!-- bench-scale:start -->");
  const end = doc.indexOf("<!-- bench-scale:end -->");
  if (start < 0 || end < 0) throw new Error("docs/BENCHMARKS.md lacks the bench-scale:start / bench-scale:end markers");
  writeFileSync(path, `${doc.slice(0, start)}<!-- bench-scale:start -->\n${lines.join("\n")}\n${doc.slice(end)}`);
}

export async function benchScale(say: Say): Promise<void> {
  const cluster = await startScale({ say, instanceEnv: { AUTH_FAILURE_LIMIT: "999999999" }, accessLog: false });
  // One connection, so the sampler can tell ours from PgBouncer's (both log in as postgres).
  const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    const lb = cluster.lbUrl;
    say("seeding: a bench user with a key and a session, 1,000 specs");
    const user = await createSignedInUser("bench-scale", "bench.tunedtensor.local");
    cleanup.push(() => deleteUser(user.id));
    const { key } = await createApiKeyWithCookie(lb, user.cookie, { name: "bench scale" });
    await sql`
      insert into behavior_specs (organization_id, user_id, name, description, guidelines, examples)
      select (select id from public.organizations where personal_for = ${user.id}), ${user.id}, 'Spec ' || g, 'Benchmark spec ' || g, array['Be concise'], jsonb_build_array(jsonb_build_object('input', 'Q ' || g, 'output', 'A ' || g))
      from generate_series(1, 1000) as g`;
    const bearer = { authorization: `Bearer ${key}` };
    const one = cluster.instances[0]!.url;
    const plan: [string, string, string, Headers][] = [];
    for (const [p, path, headers, what] of [
      ["h", "/api/v1/health", {}, "health"],
      ["k", "/api/v1/me", bearer, "/me, API key"],
      ["f", "/api/v1/behavior-specs?per_page=20", bearer, "specs list, API key"],
    ] as const) {
      plan.push([`${p}1`, `${what}: one instance, direct`, `${one}${path}`, headers]);
      plan.push([`${p}1n`, `${what}: one instance behind nginx`, `${cluster.lbOneUrl}${path}`, headers]);
      plan.push([`${p}3n`, `${what}: three instances behind nginx`, `${lb}${path}`, headers]);
    }
    say(`warming up every instance (${WARMUP} s each scenario)`);
    for (const [, , url, headers] of plan) await run(url, headers, WARMUP);
    const scenarios: Row[] = [];
    for (const [id, label, url, headers] of plan) scenarios.push(await measure(say, sql, cluster, id, label, url, headers, 200));

    say("queries per request, by kind");
    const cookie = { cookie: user.cookie, origin: lb };
    const specIds: string[] = [];
    const N = 100;
    const post = (path: string, body: unknown, h: Headers = bearer, method = "POST") => fetch(`${lb}${path}`, { method, headers: { ...h, "content-type": "application/json" }, body: JSON.stringify(body) });
    const kinds: Kind[] = [];
    kinds.push(await perKind("GET /health", N, () => fetch(`${lb}/api/v1/health`), 200));
    kinds.push(await perKind("GET /me, API key", N, () => fetch(`${lb}/api/v1/me`, { headers: bearer }), 200));
    kinds.push(await perKind("GET /me, session cookie", N, () => fetch(`${lb}/api/v1/me`, { headers: cookie }), 200));
    kinds.push(await perKind("GET /behavior-specs (list, 20 of 1,000), API key", N, () => fetch(`${lb}/api/v1/behavior-specs?per_page=20`, { headers: bearer }), 200));
    kinds.push(await perKind("POST /behavior-specs, API key", N, async (i) => {
      const res = await post("/api/v1/behavior-specs", { name: `kind ${i}`, examples: [{ input: "in", output: "out" }] });
      if (res.status === 201) specIds.push(((await res.clone().json()) as { data: { id: string } }).data.id);
      return res;
    }, 201));
    kinds.push(await perKind("GET /behavior-specs/:id, API key", N, (i) => fetch(`${lb}/api/v1/behavior-specs/${specIds[Math.max(i, 0)]}`, { headers: bearer }), 200));
    kinds.push(await perKind("PATCH /behavior-specs/:id, API key", N, (i) => post(`/api/v1/behavior-specs/${specIds[Math.max(i, 0)]}`, { description: `patched ${i}` }, bearer, "PATCH"), 200));
    kinds.push(await perKind("DELETE /behavior-specs/:id, API key", N, (i) => fetch(`${lb}/api/v1/behavior-specs/${specIds[i + 1]}`, { method: "DELETE", headers: bearer }), 200));
    kinds.push(await perKind("GET /api-keys, API key", N, () => fetch(`${lb}/api/v1/api-keys`, { headers: bearer }), 200));
    kinds.push(await perKind("POST /api-keys, session cookie", 20, (i) => post("/api/v1/api-keys", { name: `kind ${i}` }, cookie), 201));
    kinds.push(await perKind("GET /me, well-formed key, bad checksum → 401", N, () => fetch(`${lb}/api/v1/me`, { headers: { authorization: `Bearer tt_${"A".repeat(43)}000000` } }), 401));
    kinds.push(await perKind("GET /me, malformed key → 401", N, () => fetch(`${lb}/api/v1/me`, { headers: { authorization: "Bearer tt_nope" } }), 401));
    for (const k of kinds) say(`${k.kind.padEnd(52)} ${k.queries_per_request} queries, ${k.transactions_per_request} transactions per request`);

    const results = {
      date: new Date().toISOString(),
      commit: execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim(),
      machine: { cores: cpus().length, cpu: cpus()[0]?.model, memory_gb: Math.round(totalmem() / 2 ** 30), node: process.versions.node },
      settings: { connections: CONNECTIONS, seconds: SECONDS, warmup_seconds: WARMUP, pooler_pool_size: POOLER_POOL_SIZE, instance_pool_max: INSTANCE_POOL_MAX },
      scenarios,
      kinds,
    };
    mkdirSync(join(ROOT, "bench"), { recursive: true });
    writeFileSync(join(ROOT, "bench/scale-results.json"), `${JSON.stringify(results, null, 2)}\n`);
    writeDocs(results);
    say("wrote bench/scale-results.json and the scale table in docs/BENCHMARKS.md");
    const over = scenarios.filter((s) => s.pg_connections_peak > POOLER_POOL_SIZE);
    say(over.length ? `Postgres connections above PgBouncer's pool in: ${over.map((s) => s.id).join(", ")}` : `Postgres connections stayed within PgBouncer's pool (${POOLER_POOL_SIZE}) in every scenario`);
  } finally {
    for (const fn of cleanup.reverse()) await fn().catch((e: Error) => say(`cleanup: ${e.message}`));
    await sql.end({ timeout: 5 });
    await cluster.stop();
  }
}
