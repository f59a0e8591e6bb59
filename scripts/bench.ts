// `npm run bench`: what authentication costs, as ratios to what Next.js itself serves
// here, all scenarios in one run on one machine (absolute numbers on a shared 2-core
// machine mean little; ratios measured side by side do).
//
//   production build with the bench's comparison routes (TT_BENCH_BUILD=1, into .next-bench;
//   next.config.ts) → next start of it → seeded data → autocannon,
//   50 connections, a warm-up then TT_BENCH_SECONDS (10) per scenario.
//
// Every row also gets the app process's CPU time per request (/proc) and what Postgres ran
// meanwhile (pg_stat_statements); then a, b, b0, b5, bs and d again in three interleaved rounds
// (the b/a, bs/b and d/a targets use their medians), and ten revocations timed beside T.
//
// Writes bench/results.json and the table in docs/BENCHMARKS.md (between the
// bench:start / bench:end markers). Options: --no-build reuses the bench's last build (.next-bench);
// --only=a,b,… runs some scenarios (for profiling; the docs are then left alone).
// --scale runs instead the production shape's bench (scripts/scale/bench.ts): one instance
// vs three behind nginx, through PgBouncer; bench/scale-results.json and its own table.
import { execFileSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";

import autocannon from "autocannon";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import postgres, { type Sql } from "postgres";

import { createApiKeyWithCookie, createSignedInUser, deleteUser, gotrue } from "./lib/users.ts";
import { BENCH_BUILD, buildApp, ensureStack, startApp, stopStack, type App } from "./lib/app-server.ts";
import { checkNode } from "./lib/prerequisites.ts";
import { benchScale } from "./scale/bench.ts";
import { ensureScalePackages } from "./scale/cluster.ts";
import { DATABASE_URL, ROOT } from "./stack/config.ts";

type Headers = Record<string, string>;
type Row = {
  id: string;
  label: string;
  expected_status: number;
  requests: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  unexpected_status: number;
  statuses: Record<string, number>;
  /** Statements Postgres ran during the measured run (pg_stat_statements), all of them. */
  db_queries: number;
  /** Of those, the API-key lookup (lib/api-keys/service.ts, findApiKeyByHash). */
  key_lookups: number;
  /** CPU time of the app's process per request (user + system), from /proc. */
  app_cpu_ms: number;
};
/** Interleaved rounds of a few scenarios: each one's req/s per round, and the medians. */
type Rounds = { rounds: number; rps: Record<string, number[]>; app_cpu_ms: Record<string, number[]>; median_rps: Record<string, number> };
type Revocation = { key_cache_ttl_ms: number; revocations: number; p50_ms: number; max_ms: number; min_ms: number };
type Target = { name: string; ok: boolean; value: string };
type Results = {
  date: string;
  commit: string;
  machine: { cores: number; cpu: string | undefined; memory_gb: number; node: string };
  settings: { connections: number; seconds: number; warmup_seconds: number };
  scenarios: Row[];
  revocation?: Revocation;
  rounds?: Rounds;
  targets: Target[];
};

const say = (msg: string) => console.log(`[bench] ${msg}`);
const args = new Set(process.argv.slice(2));
const only = [...args].find((a) => a.startsWith("--only="))?.slice(7).split(",");
const SECONDS = Number(process.env.TT_BENCH_SECONDS || 10);
const WARMUP_SECONDS = Number(process.env.TT_BENCH_WARMUP || 3);
const CONNECTIONS = 50;
const PORT = Number(process.env.TT_BENCH_PORT || 3200);
// T, the verification cache's window, for the bench's server: the default unless set.
const KEY_CACHE_TTL_MS = Number(process.env.KEY_CACHE_TTL_MS || 1000);

const authHeaders = (h: Headers) => ({ ...h, "user-agent": "tt-bench" });

/**
 * A user of our own, signed in: a session cookie, an API key with every scope and one with
 * only `specs:read`, made the way users make them.
 */
async function benchUser(appUrl: string, label: string) {
  const user = await createSignedInUser(`bench-${label}`, "bench.tunedtensor.local");
  const { key } = await createApiKeyWithCookie(appUrl, user.cookie, { name: "bench" });
  const { key: oneScopeKey } = await createApiKeyWithCookie(appUrl, user.cookie, { name: "bench, specs:read only", scopes: ["specs:read"] });
  // A key that expires (in a year): every answer carries Tt-Key-Expires-At (b3).
  const { key: expiringKey } = await createApiKeyWithCookie(appUrl, user.cookie, { name: "bench, expires", expires_at: new Date(Date.now() + 365 * 86_400_000).toISOString() });
  // Usage limits (issue 28): a key well under its limits (bl) — every request passes a rate and
  // a quota, from this instance's lease —, and a key whose quota is used up (br): 429s refused
  // from memory, with no database work per request.
  const { key: limitedKey } = await createApiKeyWithCookie(appUrl, user.cookie, {
    name: "bench, limited",
    limits: { rate: { requests: 1_000_000, per: "minute", burst: null }, quota: { requests: 1_000_000_000, per: "month" } },
  });
  const { key: refusedKey } = await createApiKeyWithCookie(appUrl, user.cookie, { name: "bench, over its quota", limits: { rate: null, quota: { requests: 1, per: "month" } } });
  return { id: user.id, cookie: user.cookie, key, oneScopeKey, expiringKey, limitedKey, refusedKey };
}

/** A POST as the bench's owner (its session cookie), in an organization when `org` is given; the created row. */
async function postAsOwner(appUrl: string, cookie: string, path: string, body: unknown, org?: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${appUrl}${path}`, {
    method: "POST",
    headers: { cookie, origin: appUrl, "content-type": "application/json", ...(org ? { "tt-organization": org } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST ${path} failed: ${res.status} ${text}`);
  return (JSON.parse(text) as { data: Record<string, unknown> }).data;
}

/**
 * A service account's key (issue 27): an organization of the bench user's, a service account
 * in it and a key it holds, made through the API as an owner makes them. Its lookup finds no
 * member: the service account's row comes with the same one query instead.
 */
async function serviceAccountKey(appUrl: string, cookie: string): Promise<string> {
  const slug = `bench-${crypto.randomUUID().slice(0, 8)}`;
  const post = (path: string, body: unknown, org?: string) => postAsOwner(appUrl, cookie, path, body, org);
  const org = await post("/api/v1/organizations", { name: "Bench", slug });
  // Last, after the users are gone (their organization's audit trail may go with them then).
  cleanup.unshift(() => sql!`delete from public.organizations where id = ${String(org.id)}`);
  const account = await post("/api/v1/organization/service-accounts", { name: "bench CI", role: "developer" }, slug);
  const created = await post(`/api/v1/organization/service-accounts/${String(account.id)}/keys`, { name: "bench, service account" }, slug);
  return created.key as string;
}

/**
 * Row x's tokens, signed before the run (signing during it would spend the bench's CPU,
 * not the app's): an issuer on loopback (its discovery document and JWKS, an ES256 key),
 * a GitHub trust policy on a service account of a new organization of the bench user's, and
 * one token per exchange, each with its own jti. Returns the form bodies, one per request
 * (cycled if the run outlasts them: those exchanges are refused as replays, unexpected status).
 */
const EXCHANGE_TOKENS = 40_000;
async function exchangeTokens(appUrl: string, cookie: string): Promise<Post> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: "bench", alg: "ES256", use: "sig" };
  let issuer = "";
  const server: Server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.url === "/.well-known/openid-configuration") return res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    if (req.url === "/jwks") return res.end(JSON.stringify({ keys: [jwk] }));
    res.writeHead(404).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const slug = `bench-ci-${crypto.randomUUID().slice(0, 8)}`;
  const post = (path: string, body: unknown, org?: string) => postAsOwner(appUrl, cookie, path, body, org);
  const org = await post("/api/v1/organizations", { name: "Bench CI", slug });
  cleanup.unshift(() => sql!`delete from public.organizations where id = ${String(org.id)}`);
  const account = await post("/api/v1/organization/service-accounts", { name: "bench keyless CI", role: "developer" }, slug);
  const conditions = { repository_id: "74", repository_owner_id: "65", ref: "refs/heads/main" };
  await post(`/api/v1/organization/service-accounts/${String(account.id)}/trust-policies`, { name: "bench", provider: "github", issuer, audience: "tuned-tensor-bench", conditions, scopes: ["specs:read"] }, slug);

  const iat = Math.floor(Date.now() / 1000);
  // Valid for the whole run: the rows before x take minutes.
  const claims = { iss: issuer, aud: "tuned-tensor-bench", sub: "repo:octo-org/octo-repo:ref:refs/heads/main", repository: "octo-org/octo-repo", ...conditions, event_name: "push", run_id: "1", run_attempt: "1", iat, nbf: iat - 60, exp: iat + 3 * 3600 };
  const bodies: string[] = [];
  for (let i = 0; i < EXCHANGE_TOKENS; i++) {
    const token = await new SignJWT({ ...claims, jti: crypto.randomUUID() }).setProtectedHeader({ alg: "ES256", kid: "bench" }).sign(privateKey);
    bodies.push(new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:token-exchange", subject_token: token, subject_token_type: "urn:ietf:params:oauth:token-type:id_token" }).toString());
  }
  let next = 0;
  return { body: () => bodies[next++ % bodies.length]! };
}

/** A POST whose body changes with every request (the exchange: each CI token is exchanged once). */
type Post = { body: () => string };

function run(url: string, headers: Headers, seconds: number, post?: Post): Promise<autocannon.Result> {
  const posting = post
    ? { method: "POST" as const, requests: [{ method: "POST" as const, setupRequest: (req: autocannon.Request) => ({ ...req, body: post.body() }) }] }
    : {};
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: authHeaders(headers), ...posting }, (err: unknown, result: autocannon.Result) => (err ? reject(err as Error) : resolve(result)));
  });
}

// What Postgres itself counted (pg_stat_statements, loaded by the stack), less the bench's
// own statements about it.
const KEY_LOOKUP = "%from public.api_keys k%join auth.users u on u.id = k.user_id%where k.key_hash = $1%";
async function resetDbCounts() {
  await sql!`select extensions.pg_stat_statements_reset()`;
}
async function dbCounts(): Promise<{ all: number; lookups: number }> {
  const [row] = await sql!<{ all: string; lookups: string }[]>`
    select coalesce(sum(calls), 0)::text as all,
           coalesce(sum(calls) filter (where query like ${KEY_LOOKUP}), 0)::text as lookups
    from extensions.pg_stat_statements
    where query not like '%pg_stat_statements%'`;
  return { all: Number(row!.all), lookups: Number(row!.lookups) };
}

// The app's server process (the one listening on PORT; `next start` hands over to it), for
// its CPU time: a steadier measure of a request's cost than req/s on a shared machine.
let appPid: number | undefined;
function findAppPid(): number | undefined {
  const out = execFileSync("ss", ["-ltnpH", `sport = :${PORT}`], { encoding: "utf8" });
  const pid = /pid=(\d+)/.exec(out)?.[1];
  return pid ? Number(pid) : undefined;
}
/** utime + stime of the app's process, in ms (clock ticks of 10 ms). */
function appCpuMs(): number {
  if (!appPid) return 0;
  try {
    const fields = readFileSync(`/proc/${appPid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

async function scenario(id: string, label: string, url: string, headers: Headers, expectedStatus: number, { quiet = false, post }: { quiet?: boolean; post?: Post } = {}): Promise<Row> {
  await run(url, headers, WARMUP_SECONDS, post);
  await resetDbCounts();
  const cpu0 = appCpuMs();
  const r = await run(url, headers, SECONDS, post);
  const cpu = appCpuMs() - cpu0;
  const db = await dbCounts();
  const statuses: Record<string, number> = Object.fromEntries(
    Object.entries((r.statusCodeStats ?? {}) as Record<string, { count: number }>).map(([code, s]) => [code, s.count]),
  );
  const unexpected = Object.entries(statuses).reduce((n, [code, count]) => (Number(code) === expectedStatus ? n : n + count), 0);
  const row = {
    id,
    label,
    expected_status: expectedStatus,
    requests: r.requests.total,
    rps: Math.round(r.requests.average),
    p50_ms: r.latency.p50,
    p99_ms: r.latency.p99,
    errors: r.errors + r.timeouts,
    unexpected_status: unexpected,
    statuses,
    db_queries: db.all,
    key_lookups: db.lookups,
    app_cpu_ms: r.requests.total ? Math.round((cpu / r.requests.total) * 1000) / 1000 : 0,
  };
  if (!quiet) say(
    `${id.padEnd(4)} ${label.padEnd(58)} ${String(row.rps).padStart(6)} req/s  p50 ${row.p50_ms} ms  p99 ${row.p99_ms} ms  errors ${row.errors}  unexpected ${row.unexpected_status}` +
      `  Postgres ${Math.round(db.all / SECONDS)} queries/s (${db.lookups} key lookups)  app CPU ${row.app_cpu_ms} ms/request`,
  );
  return row;
}

async function fillKeys(sql: Sql, fillerUserId: string, target: number): Promise<number> {
  const [counted] = await sql<{ count: number }[]>`select count(*)::int as count from api_keys`;
  const missing = target - (counted?.count ?? 0);
  if (missing > 0) {
    // Random-looking hashes and prefixes, inserted in one statement (about 10 s per million).
    await sql`
      insert into api_keys (user_id, organization_id, name, key_prefix, key_hash, scopes)
      select ${fillerUserId}, (select id from organizations where personal_for = ${fillerUserId}), 'filler',
             'tt_' || substr(md5(g::text), 1, 8), sha256(convert_to(gen_random_uuid()::text, 'UTF8')), array['specs:read']
      from generate_series(1, ${missing}) as g`;
    await sql`analyze api_keys`;
  }
  const [after] = await sql<{ total: number }[]>`select count(*)::int as total from api_keys`;
  return after?.total ?? 0;
}

/** The framework's limit for this run: the mean of (a) and its repeat (a2). */
function reference(scenarios: Row[]): number {
  const a = scenarios.filter((s) => s.id === "a" || s.id === "a2");
  return a.reduce((n, s) => n + s.rps, 0) / a.length;
}

function writeDocs(results: Results) {
  const ref = reference(results.scenarios);
  const fmt = (n: number) => (typeof n === "number" ? n.toLocaleString("en-US") : n);
  const lines = [
    `Run of ${results.date} — commit \`${results.commit}\`, ${results.machine.cores} cores, ${results.machine.memory_gb} GB, Node ${results.machine.node};`,
    `${CONNECTIONS} connections, a ${WARMUP_SECONDS} s warm-up pass over every scenario, then ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per scenario, one \`next start\` process;`,
    `"× (a)" is the ratio to the mean of a and a2 (${Math.round(ref).toLocaleString("en-US")} req/s), the framework's own limit in this run.`,
    `The verification cache's T (KEY_CACHE_TTL_MS) is ${KEY_CACHE_TTL_MS.toLocaleString("en-US")} ms. "Postgres queries/s" is every statement Postgres ran during the measured ${SECONDS} s (pg_stat_statements), whoever sent it; "key lookups" is the API-key lookup among them.`,
    "",
    "| | scenario | req/s | × (a) | p50 ms | p99 ms | errors | unexpected status | app CPU ms / request | Postgres queries/s | key lookups | queries / request |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...results.scenarios.map(
      (s) =>
        `| ${s.id} | ${s.label} | ${fmt(s.rps)} | ${(s.rps / ref).toFixed(2)} | ${s.p50_ms} | ${s.p99_ms} | ${s.errors} | ${s.unexpected_status} | ${s.app_cpu_ms.toFixed(2)} | ` +
        `${fmt(Math.round(s.db_queries / SECONDS))} | ${fmt(s.key_lookups)} | ${s.requests ? (s.db_queries / s.requests).toFixed(3) : "–"} |`,
    ),
    ...(results.rounds
      ? [
          "",
          `Interleaved rounds (${Object.keys(results.rounds.rps).join(", ")} one after another, ${results.rounds.rounds} times; req/s, app CPU ms per request in brackets): ` +
            Object.entries(results.rounds.rps)
              .map(([id, list]) => `${id} ${list.map((n, i) => `${fmt(n)} (${results.rounds!.app_cpu_ms[id]![i]!.toFixed(2)})`).join(" · ")}, median **${fmt(results.rounds!.median_rps[id]!)}**`)
              .join("; ") +
            ".",
        ]
      : []),
    ...(results.revocation
      ? [
          "",
          `Revoking (\`DELETE /api/v1/api-keys/:id\` with a session, ${results.revocation.revocations} keys one after another, nothing else running): ` +
            `p50 **${results.revocation.p50_ms} ms**, min ${results.revocation.min_ms} ms, max ${results.revocation.max_ms} ms, beside T = ${fmt(results.revocation.key_cache_ttl_ms)} ms — ` +
            "the revocation commits, then waits T before it answers.",
        ]
      : []),
    "",
    "Targets and where this run stands:",
    "",
    ...results.targets.map((t) => `- ${t.ok ? "✅" : "❌"} ${t.name}: ${t.value}`),
  ];
  const path = join(ROOT, "docs/BENCHMARKS.md");
  const doc = readFileSync(path, "utf8");
  const start = doc.indexOf("<!-- bench:start -->");
  const end = doc.indexOf("<!-- bench:end -->");
  if (start < 0 || end < 0) throw new Error("docs/BENCHMARKS.md lacks the bench:start / bench:end markers");
  writeFileSync(path, `${doc.slice(0, start)}<!-- bench:start -->\n${lines.join("\n")}\n${doc.slice(end)}`);
}

function targets(s: Row[], rounds?: Rounds): Target[] {
  const by: Record<string, Row> = Object.fromEntries(s.map((x) => [x.id, x]));
  const ref = reference(s);
  const ratio = (id: string) => by[id]!.rps / ref;
  const list: Target[] = [];
  const check = (name: string, ok: boolean, value: string) => list.push({ name, ok, value });
  if (rounds) {
    // The claim that matters most, from interleaved rounds (a single pass drifts by several per cent here).
    const m = rounds.median_rps;
    check(`b ≥ 0.98 × a (API-key auth, with the verification cache; medians of ${rounds.rounds} interleaved rounds)`, m.b! >= 0.98 * m.a!, `${(m.b! / m.a!).toFixed(3)}`);
  } else if (by.b) check("b ≥ 0.98 × a (API-key auth, with the verification cache; one pass)", ratio("b") >= 0.98, `${ratio("b").toFixed(3)}`);
  // One busy key, one instance: at most one lookup per T, and one more for the window the
  // run starts in.
  const allowed = Math.ceil((SECONDS * 1000) / KEY_CACHE_TTL_MS) + 1;
  for (const id of ["b", "bs"]) {
    const row = by[id];
    if (row) check(`${id}: key lookups ≤ 1 per key per T per instance (≤ ${allowed} in ${SECONDS} s at T = ${KEY_CACHE_TTL_MS} ms)`, row.key_lookups <= allowed, `${row.key_lookups} lookups for ${row.requests.toLocaleString("en-US")} requests`);
  }
  // A service account's key costs what a member's does: the same one lookup, joined differently.
  if (rounds?.median_rps.bs) {
    const m = rounds.median_rps;
    check(`bs ≥ 0.98 × b (a service account's key; medians of ${rounds.rounds} interleaved rounds)`, m.bs! >= 0.98 * m.b!, `${(m.bs! / m.b!).toFixed(3)}`);
  } else if (by.b && by.bs) check("bs ≥ 0.98 × b (a service account's key; one pass)", by.bs.rps >= 0.98 * by.b.rps, `${(by.bs.rps / by.b.rps).toFixed(3)}`);
  // Usage limits: a limited key well under its limits costs about what any key does, and
  // Postgres about one lease statement per counter per T; a refused key's 429s cost none.
  const perRequest = (row: Row) => (row.db_queries / Math.max(1, row.requests)).toFixed(4);
  if (rounds?.median_rps.bl) {
    const m = rounds.median_rps;
    check(`bl ≥ 0.95 × a (a key with usage limits, well under them; medians of ${rounds.rounds} interleaved rounds)`, m.bl! >= 0.95 * m.a!, `${(m.bl! / m.a!).toFixed(3)}, ${by.bl ? perRequest(by.bl) : "?"} queries per request`);
  } else if (by.bl) check("bl ≥ 0.95 × a (a key with usage limits, well under them; one pass)", ratio("bl") >= 0.95, `${ratio("bl").toFixed(3)}, ${perRequest(by.bl)} queries per request`);
  // A refused key: no statement per request — one lease statement per T (the exhausted mark's
  // life) and the key's lookup per T, as for any busy key.
  if (by.br) {
    check(
      `br: 429s from a used-up quota cost no database work per request (besides the key lookups, ≤ 2 statements per T: ≤ ${2 * allowed} in ${SECONDS} s)`,
      by.br.db_queries - by.br.key_lookups <= 2 * allowed,
      `${by.br.db_queries} queries (${by.br.key_lookups} key lookups) for ${by.br.requests.toLocaleString("en-US")} requests: ${perRequest(by.br)} per request`,
    );
  }
  if (by.b0 && by.b5) check("b0: Postgres queries/s ≤ 1 % of b5's (the cache against a lookup per request)", by.b0.db_queries <= 0.01 * by.b5.db_queries, `${Math.round(by.b5.db_queries / SECONDS)} → ${Math.round(by.b0.db_queries / SECONDS)} queries/s`);
  if (by.b && by.b0) check("b ≥ 0.98 × b0 (usage counting for a busy key)", by.b.rps >= 0.98 * by.b0.rps, `${(by.b.rps / by.b0.rps).toFixed(3)}`);
  if (by.b1) check("b1 ≥ 0.90 × a (a key with one scope)", ratio("b1") >= 0.9, `${ratio("b1").toFixed(3)}`);
  if (by.b3) check("b3 ≥ 0.90 × a (a key with an expiry: the Tt-Key-Expires-At header)", ratio("b3") >= 0.9, `${ratio("b3").toFixed(3)}`);
  for (const id of ["c1", "c2"]) if (by[id]) check(`${id} ≥ 0.95 × a (rejection without database work)`, ratio(id) >= 0.95, `${ratio(id).toFixed(3)}`);
  if (rounds?.median_rps.d) {
    const m = rounds.median_rps;
    check(`d ≥ 0.90 × a (local JWT verification; medians of ${rounds.rounds} interleaved rounds)`, m.d! >= 0.9 * m.a!, `${(m.d! / m.a!).toFixed(3)}`);
  } else if (by.d) check("d ≥ 0.90 × a (local JWT verification; one pass)", ratio("d") >= 0.9, `${ratio("d").toFixed(3)}`);
  if (by.d && by.e) check("d ≥ 3 × e (vs getUser per request)", by.d.rps >= 3 * by.e.rps, `${(by.d.rps / by.e.rps).toFixed(2)} ×`);
  if (by.g1 && by.g2) check("g: p50 at 10⁶ keys ≤ 1.2 × p50 at 10³", by.g2.p50_ms <= 1.2 * by.g1.p50_ms, `${by.g1.p50_ms} ms → ${by.g2.p50_ms} ms`);
  const bad = s.filter((x) => x.errors || x.unexpected_status);
  check("zero errors and zero unexpected status codes", bad.length === 0, bad.length ? bad.map((x) => x.id).join(", ") : "none");
  return list;
}

let startedStack = false;
let app: App | undefined;
let sql: Sql | undefined;
const cleanup: (() => Promise<unknown>)[] = [];
let exitCode = 1;
try {
  checkNode(say);
  if (args.has("--scale")) ensureScalePackages(say);
  startedStack = await ensureStack(say);
  // --scale serves the production build (.next/standalone); the one-instance bench its own.
  if (!args.has("--no-build")) buildApp(say, args.has("--scale") ? {} : BENCH_BUILD);
  if (args.has("--scale")) await benchScale(say);
  else await benchOne();
  exitCode = 0;
} catch (e) {
  console.error(`[bench] error: ${(e as Error).stack ?? (e as Error).message}`);
} finally {
  for (const fn of cleanup.reverse()) await fn().catch((e: Error) => console.error(`[bench] cleanup: ${e.message}`));
  await sql?.end({ timeout: 5 });
  await app?.stop();
  if (startedStack) stopStack();
}
process.exit(exitCode);

/** The scenarios above, against one `next start`. */
async function benchOne() {
  // Scenario c sends 401s from one client for seconds: the limit is raised out of reach, so
  // the counting still runs (in memory, flushed once a second) but never answers 429.
  // Trust policies may name the bench's own loopback OIDC issuer (row x).
  app = await startApp({
    port: PORT,
    name: "next-bench",
    env: { ...BENCH_BUILD, AUTH_FAILURE_LIMIT: "999999999", KEY_CACHE_TTL_MS: String(KEY_CACHE_TTL_MS), OIDC_ALLOW_LOOPBACK_ISSUERS: "1" },
    say,
  });
  appPid = findAppPid();
  sql = postgres(DATABASE_URL, { max: 2, onnotice: () => {} });

  say("seeding: a bench user with a key and a session, 1,000 specs, a filler user for api_keys rows");
  const user = await benchUser(app.url, "main");
  cleanup.push(() => deleteUser(user.id));
  const filler = await gotrue<{ id: string }>("/admin/users", { method: "POST", body: { email: `bench-filler-${Date.now()}@bench.tunedtensor.local`, password: crypto.randomUUID(), email_confirm: true } });
  cleanup.push(() => deleteUser(filler.id));
  await sql`
    insert into behavior_specs (user_id, organization_id, name, description, guidelines, examples)
    select ${user.id}, (select id from organizations where personal_for = ${user.id}), 'Spec ' || g, 'Benchmark spec ' || g, array['Be concise', 'Cite sources'],
           jsonb_build_array(jsonb_build_object('input', 'Question ' || g, 'output', 'Answer ' || g))
    from generate_series(1, 1000) as g`;

  say("seeding: an organization of the bench user's with a service account and its key");
  const serviceKey = { authorization: `Bearer ${await serviceAccountKey(app.url, user.cookie)}` };
  say(`seeding: a local OIDC issuer, a trust policy on a service account, ${EXCHANGE_TOKENS.toLocaleString("en-US")} signed CI tokens`);
  const exchangeBody = await exchangeTokens(app.url, user.cookie);
  const key = { authorization: `Bearer ${user.key}` };
  const oneScopeKey = { authorization: `Bearer ${user.oneScopeKey}` };
  const expiringKey = { authorization: `Bearer ${user.expiringKey}` };
  const limitedKey = { authorization: `Bearer ${user.limitedKey}` };
  const refusedKey = { authorization: `Bearer ${user.refusedKey}` };
  // The one request the quota allows, before anything is measured.
  await fetch(`${app.url}/api/v1/me`, { headers: authHeaders(refusedKey) }).then((res) => res.arrayBuffer());
  const malformed = { authorization: "Bearer tt_this-is-not-a-key" };
  const badChecksum = { authorization: `Bearer ${user.key.slice(0, -1)}${user.key.at(-1) === "a" ? "b" : "a"}` };
  const me = `${app.url}/api/v1/me`;
  const plan: Planned[] = [
    ["a", "GET /api/v1/health, no auth (the framework's limit)", `${app.url}/api/v1/health`, {}, 200],
    ["b", "GET /api/v1/me, valid API key (its usage counted: one busy key)", me, key, 200],
    // b without counting the answer for the key's usage: what counting costs a busy key.
    ["b0", "as b, without usage counting (bench-only route)", `${app.url}/api/bench/me-uncounted`, key, 200],
    // b0 without the verification cache: the key's row read from Postgres on every request,
    // as before it. What the cache saves Postgres (queries/s) and the request (req/s).
    ["b5", "as b0, the key looked up in Postgres on every request (no verification cache; bench-only route)", `${app.url}/api/bench/me-uncached`, key, 200],
    // b with a service account's key: the organization owns it, no member holds it; the
    // service account's row comes with the same one lookup.
    ["bs", "GET /api/v1/me, a service account's key (its usage counted)", me, serviceKey, 200],
    // Keyless CI: a CI job's OIDC token (ES256, a fresh jti each) traded for a key: the
    // signature checked against the issuer's cached keys, the policy matched, the token spent
    // and the key inserted with its audit event, in one transaction.
    ["x", "POST /api/v1/oauth/token, a CI job's OIDC token → a minted key (RFC 8693)", `${app.url}/api/v1/oauth/token`, { "content-type": "application/x-www-form-urlencoded" }, 200, exchangeBody],
    // The scope check: a key with one scope, allowed (b1) and refused (b2). The scopes come
    // with the one lookup that finds the key, so neither costs a query more than b.
    // Usage limits: a key well under its rate and quota (each instance admits from its lease:
    // about one statement per counter per T), and a key over its quota (429 quota_exceeded
    // from this instance's exhausted mark: no database work per request).
    ["bl", "GET /api/v1/me, a key with usage limits, well under them (a rate and a quota)", me, limitedKey, 200],
    ["br", "GET /api/v1/me, a key over its quota → 429 quota_exceeded", me, refusedKey, 429],
    ["b1", "GET /api/v1/me, key with one scope (specs:read)", me, oneScopeKey, 200],
    ["b2", "GET /api/v1/api-keys, key without keys:read → 403 insufficient_scope", `${app.url}/api/v1/api-keys`, oneScopeKey, 403],
    // A key with an expiry: the header comes from a column of the row the lookup already
    // fetched, so no query more than b.
    ["b3", "GET /api/v1/me, key with an expiry (Tt-Key-Expires-At)", me, expiringKey, 200],
    ["c1", "GET /api/v1/me, malformed key → 401", me, malformed, 401],
    ["c2", "GET /api/v1/me, bad checksum → 401", me, badChecksum, 401],
    ["d", "GET /api/v1/me, session cookie (local JWT check)", me, { cookie: user.cookie }, 200],
    ["d1", "GET /api/v1/health with d's session cookie (what Next.js spends on the cookie; no session check)", `${app.url}/api/v1/health`, { cookie: user.cookie }, 200],
    ["d0", "as d, the path before the fast path: ssr client + getClaims() (bench-only route)", `${app.url}/api/bench/session-get-claims`, { cookie: user.cookie }, 200],
    ["e", "as d, but getUser() per request (bench-only route)", `${app.url}/api/bench/session-get-user`, { cookie: user.cookie }, 200],
    ["f", "GET /api/v1/behavior-specs?per_page=20, key, 1,000 specs", `${app.url}/api/v1/behavior-specs?per_page=20`, key, 200],
    // (a) again at the end: how far the machine drifted during the run. Ratios are to the
    // mean of the two.
    ["a2", "GET /api/v1/health again (drift check)", `${app.url}/api/v1/health`, {}, 200],
  ];

  // One warm-up pass over every planned request before anything is measured: the first
  // scenario otherwise pays for the JIT compiling the framework's own request path, and
  // (a) — the reference every ratio divides by — came out well below its repeat (a2).
  say(`warming up: ${WARMUP_SECONDS} s on each scenario's request`);
  for (const [, , url, headers, , post] of plan) await run(url, headers, WARMUP_SECONDS, post);

  const scenarios: Row[] = [];
  for (const [id, label, url, headers, status, post] of plan) {
    if (!only || only.includes(id)) scenarios.push(await scenario(id, label, url, headers, status, { post }));
  }
  if (!only || only.includes("g")) {
    const small = await fillKeys(sql, filler.id, 1_000);
    scenarios.push(await scenario("g1", `as b, ${small.toLocaleString("en-US")} rows in api_keys`, me, key, 200));
    say("seeding api_keys up to 1,000,000 rows …");
    const large = await fillKeys(sql, filler.id, 1_000_000);
    scenarios.push(await scenario("g2", `as b, ${large.toLocaleString("en-US")} rows in api_keys`, me, key, 200));
  }

  // a, b, b0, b5, bs, bl and d again, interleaved, three times: the ratios that matter most, with
  // the machine's drift spread over all of them alike.
  const rounds = !only || only.includes("rounds") ? await interleaved(plan.filter(([id]) => ["a", "b", "b0", "b5", "bs", "bl", "d"].includes(id)), 3) : undefined;
  const revocation = !only || only.includes("revoke") ? await revocationLatency(app.url, user.cookie) : undefined;

  const results: Results = {
    date: new Date().toISOString(),
    commit: execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim(),
    machine: { cores: cpus().length, cpu: cpus()[0]?.model, memory_gb: Math.round(totalmem() / 2 ** 30), node: process.versions.node },
    settings: { connections: CONNECTIONS, seconds: SECONDS, warmup_seconds: WARMUP_SECONDS },
    scenarios,
    revocation,
    rounds,
    targets: [],
  };
  results.targets = scenarios.some((s) => s.id === "a") ? targets(scenarios, results.rounds) : [];
  mkdirSync(join(ROOT, "bench"), { recursive: true });
  writeFileSync(join(ROOT, "bench/results.json"), `${JSON.stringify(results, null, 2)}\n`);
  say("wrote bench/results.json");
  if (!only) {
    writeDocs(results);
    say("wrote the table in docs/BENCHMARKS.md");
  }
  for (const t of results.targets) say(`${t.ok ? "ok  " : "MISS"} ${t.name}: ${t.value}`);
}

/**
 * How long a revocation takes to answer, beside T: keys made with the bench user's session
 * and revoked one after another, as the dashboard does (cookie and Origin), nothing else
 * running. Each commits, then waits T (lib/api-keys/settle-key-change.ts).
 */
async function revocationLatency(appUrl: string, cookie: string): Promise<Revocation> {
  const N = 10;
  say(`revoking ${N} keys one after another (T = ${KEY_CACHE_TTL_MS} ms)`);
  const ms: number[] = [];
  for (let i = 0; i < N; i++) {
    const { id } = await createApiKeyWithCookie(appUrl, cookie, { name: `bench, revoked ${i + 1}` });
    const started = performance.now();
    const res = await fetch(`${appUrl}/api/v1/api-keys/${id}`, { method: "DELETE", headers: { cookie, origin: appUrl } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`revoking a key answered ${res.status}`);
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  const revocation = { key_cache_ttl_ms: KEY_CACHE_TTL_MS, revocations: N, p50_ms: Math.round(ms[Math.floor(N / 2)]!), min_ms: Math.round(ms[0]!), max_ms: Math.round(ms[N - 1]!) };
  say(`DELETE /api/v1/api-keys/:id: p50 ${revocation.p50_ms} ms, min ${revocation.min_ms} ms, max ${revocation.max_ms} ms at T = ${KEY_CACHE_TTL_MS} ms`);
  return revocation;
}

type Planned = [string, string, string, Headers, number, Post?];

/** `planned` one after another, `n` times; each one's req/s and app CPU per request, and the median req/s. */
async function interleaved(planned: Planned[], n: number): Promise<Rounds> {
  const rounds: Rounds = { rounds: n, rps: {}, app_cpu_ms: {}, median_rps: {} };
  for (let i = 0; i < n; i++) {
    for (const [id, label, url, headers, status] of planned) {
      const row = await scenario(id, label, url, headers, status, { quiet: true });
      (rounds.rps[id] ??= []).push(row.rps);
      (rounds.app_cpu_ms[id] ??= []).push(row.app_cpu_ms);
    }
    say(`round ${i + 1} of ${n}: ${planned.map(([id]) => `${id} ${rounds.rps[id]!.at(-1)} req/s (${rounds.app_cpu_ms[id]!.at(-1)} ms CPU)`).join(", ")}`);
  }
  for (const [id, list] of Object.entries(rounds.rps)) rounds.median_rps[id] = [...list].sort((x, y) => x - y)[Math.floor(list.length / 2)]!;
  return rounds;
}
