// A flood of bad API keys from one machine, each request with a fresh X-Forwarded-For,
// against a `next start` of the current build: what the failed-authentication limiter
// answers and what the flood costs (rows written to internal.auth_failures, the
// instance's memory). The figures in docs/SECURITY.md ("Denial of service by bad keys")
// come from here. Needs the local stack (`npm run stack:up`) and a build (`next build`).
//
//   node scripts/flood-auth.ts [--seconds 20] [--connections 50] [--port 3400] [--path /api/v1/me] [--env NAME=value …]
//
// --env passes variables to the instance (e.g. --env TRUSTED_PROXY_HOPS=1, which makes
// every spoofed address a client of its own: the worst case for the limiter's memory).
import { Agent, request } from "node:http";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

import postgres from "postgres";

import { startApp } from "./lib/app-server.ts";
import { DATABASE_URL } from "./stack/config.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "20" },
    connections: { type: "string", default: "50" },
    port: { type: "string", default: "3400" },
    env: { type: "string", multiple: true, default: [] },
    // For comparison: another path (e.g. /api/v1/health, no authentication at all).
    path: { type: "string", default: "/api/v1/me" },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const env = Object.fromEntries(values.env.map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]));
const say = (msg: string) => console.log(`[flood] ${msg}`);

const rssMb = (pid: number) => {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  return Math.round(kb / 1024);
};

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
/** Rows inserted and updated in internal.auth_failures so far (Postgres' own counters). */
async function writes(): Promise<number> {
  await sql`select pg_stat_clear_snapshot()`;
  const [row] = await sql<{ n: number }[]>`
    select (n_tup_ins + n_tup_upd)::int as n from pg_stat_user_tables where schemaname = 'internal' and relname = 'auth_failures'`;
  return row?.n ?? 0;
}

const app = await startApp({ port: Number(values.port), name: "next-flood", env, say });
try {
  const { port } = new URL(app.url);
  // Warm the route up, then let the instance settle before the baseline.
  for (let i = 0; i < 20; i++) await fetch(`${app.url}/api/v1/health`).then((r) => r.arrayBuffer());
  await new Promise((r) => setTimeout(r, 2000));
  const rssBefore = rssMb(app.pid);
  const writesBefore = await writes();
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(app.pid))), 250);

  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const statuses = new Map<number, number>();
  let n = 0;
  const fresh = () => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  const once = () =>
    new Promise<void>((resolve) => {
      n++;
      const req = request(
        { agent, host: "127.0.0.1", port, path: values.path, headers: { authorization: "Bearer tt_flood_bad_key", "x-forwarded-for": fresh() } },
        (res) => {
          statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
          res.resume().on("end", resolve);
        },
      );
      req.on("error", () => {
        statuses.set(0, (statuses.get(0) ?? 0) + 1);
        resolve();
      });
      req.end();
    });
  say(`${SECONDS} s of bad keys to ${values.path}, ${CONNECTIONS} connections, a fresh X-Forwarded-For on every request${values.env.length ? ` (${values.env.join(" ")})` : ""}`);
  const deadline = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < deadline) await once();
    }),
  );
  agent.destroy();
  // The limiter writes its counts about once a second: let the last flush land.
  await new Promise((r) => setTimeout(r, 2500));
  clearInterval(sampler);
  const rows = (await writes()) - writesBefore;
  const rssAfter = rssMb(app.pid);
  const total = [...statuses.values()].reduce((a, b) => a + b, 0);
  const by = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${count.toLocaleString("en")} × ${status || "error"}`).join(", ");
  say(`${total.toLocaleString("en")} requests (${Math.round(total / SECONDS).toLocaleString("en")}/s): ${by}`);
  say(`rows written to internal.auth_failures (inserted + updated): ${rows.toLocaleString("en")}`);
  say(`RSS of the instance: ${rssBefore} MB before, ${peak} MB at most during, ${rssAfter} MB after`);
} finally {
  await app.stop();
  await sql.end({ timeout: 5 });
}
