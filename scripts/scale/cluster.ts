// The production shape on one machine, for `npm run test:scale` and `npm run bench -- --scale`:
//
//   client ──► nginx :3400 (all instances) / :3401 (instance 1 only, for the bench)
//                │ appends the client's address to X-Forwarded-For (instances: TRUSTED_PROXY_HOPS=1),
//                │ answers methods the API has nowhere (TRACE, QUERY, …) with a 405 envelope,
//                │ and a dead instance's in-flight requests with a 502 envelope
//                ▼
//              three standalone Next.js servers (.next/standalone/server.js) :3411–3413
//                │ DATABASE_URL → PgBouncer (transaction mode: the app prepares no statements)
//                ▼
//              PgBouncer :6543 (Supavisor's port), pool_mode = transaction ──► Postgres :54322
//
// Debian's nginx and pgbouncer (installed when missing), run as our own processes with our
// own config files in .stack/scale/; `stop()` ends exactly what `startScale()` started.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, closeSync, cpSync, existsSync, mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { ensureCronSecret } from "../lib/app-server.ts";
import { ensureDebianPackages } from "../lib/prerequisites.ts";
import { CHECKOUT_ID, HOST, LOG_DIR, PG_BIN, PG_PASSWORD, PG_PORT, ROOT, STACK_DIR } from "../stack/config.ts";

type Say = (msg: string) => void;

export const SCALE_DIR = join(STACK_DIR, "scale");
const BASE_PORT = Number(process.env.TT_SCALE_PORT || 3400);
export const LB_PORT = BASE_PORT;
/** nginx in front of instance 1 alone: the bench's "one instance behind the load balancer". */
export const LB_ONE_PORT = BASE_PORT + 1;
export const INSTANCE_PORTS = [BASE_PORT + 11, BASE_PORT + 12, BASE_PORT + 13];
export const POOLER_PORT = Number(process.env.TT_SCALE_POOLER_PORT || 6543);
/** Server connections PgBouncer keeps to Postgres, whatever the number of app connections. */
export const POOLER_POOL_SIZE = 10;
/** Connections each instance opens to PgBouncer (DATABASE_POOL_MAX). */
export const INSTANCE_POOL_MAX = 10;

export const LB_URL = `http://localhost:${LB_PORT}`;
export const POOLER_URL = `postgresql://postgres:${PG_PASSWORD}@${HOST}:${POOLER_PORT}/postgres`;
const NGINX = "/usr/sbin/nginx";
const PGBOUNCER = "/usr/sbin/pgbouncer";
const STANDALONE = join(ROOT, ".next", "standalone");
const isRoot = process.getuid?.() === 0;

export function ensureScalePackages(say: Say): void {
  ensureDebianPackages(
    [
      { pkg: "nginx", binary: NGINX, service: "nginx" },
      { pkg: "pgbouncer", binary: PGBOUNCER, service: "pgbouncer" },
    ],
    "the load balancer and the transaction pooler of the production shape",
    say,
  );
}

/**
 * `next build` writes the standalone server without the static assets and `public/`, which
 * a CDN usually serves; a container image copies them in, and so do we.
 */
export function prepareStandalone(): void {
  if (!existsSync(join(STANDALONE, "server.js"))) throw new Error("no standalone server in .next/standalone; run next build (output: \"standalone\" in next.config.ts).");
  cpSync(join(ROOT, ".next", "static"), join(STANDALONE, ".next", "static"), { recursive: true });
  if (existsSync(join(ROOT, "public"))) cpSync(join(ROOT, "public"), join(STANDALONE, "public"), { recursive: true });
}

function logFd(name: string): number {
  mkdirSync(LOG_DIR, { recursive: true });
  return openSync(join(LOG_DIR, `${name}.log`), "a");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const gone = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (!child || gone(child)) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill(signal);
  const timer = setTimeout(() => !gone(child) && child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

async function until(what: string, ok: () => Promise<boolean>, child: ChildProcess, log: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (gone(child)) break;
    if (await ok().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`${what} did not become ready; see ${join(LOG_DIR, `${log}.log`)}.`);
}

// --- PgBouncer ------------------------------------------------------------------------

/** Where PgBouncer's files live: it refuses to run as root, so as root it runs as `postgres`. */
function poolerDir(): string {
  if (!isRoot) return join(SCALE_DIR, "pgbouncer");
  // /var/tmp, not the clone: the clone may sit under a home the postgres user cannot enter.
  return `/var/tmp/tuned-tensor-${CHECKOUT_ID}-pgbouncer`;
}

function userId(name: string): { uid: number; gid: number } {
  const out = (flag: string) => Number(spawnSync("id", [flag, name], { encoding: "utf8" }).stdout.trim());
  return { uid: out("-u"), gid: out("-g") };
}

async function startPooler(): Promise<ChildProcess> {
  const dir = poolerDir();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ini = join(dir, "pgbouncer.ini");
  writeFileSync(join(dir, "userlist.txt"), `"postgres" "${PG_PASSWORD}"\n`, { mode: 0o600 });
  writeFileSync(
    ini,
    [
      "[databases]",
      `postgres = host=${HOST} port=${PG_PORT} dbname=postgres`,
      "",
      "[pgbouncer]",
      `listen_addr = ${HOST}`,
      `listen_port = ${POOLER_PORT}`,
      "unix_socket_dir =",
      "auth_type = scram-sha-256",
      `auth_file = ${join(dir, "userlist.txt")}`,
      "admin_users = postgres",
      // Supavisor's transaction mode: a server connection per transaction, not per client.
      "pool_mode = transaction",
      `default_pool_size = ${POOLER_POOL_SIZE}`,
      "reserve_pool_size = 0",
      `max_db_connections = ${POOLER_POOL_SIZE}`,
      "max_client_conn = 1000",
      // postgres.js sends none of these today; harmless if a client does.
      "ignore_startup_parameters = extra_float_digits,search_path",
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  const ids = isRoot ? userId("postgres") : undefined;
  if (ids) for (const f of [dir, ini, join(dir, "userlist.txt")]) chownSync(f, ids.uid, ids.gid);
  const fd = logFd("pgbouncer");
  const child = spawn(PGBOUNCER, [ini], { stdio: ["ignore", fd, fd], ...(ids ?? {}) });
  closeSync(fd);
  await until("PgBouncer", async () => poolerShow("VERSION").length > 0, child, "pgbouncer", 20_000);
  return child;
}

/**
 * A SHOW command on PgBouncer's admin console (simple protocol only, so psql rather than
 * postgres.js), as rows of column → value.
 */
export function poolerShow(what: string): Record<string, string>[] {
  const r = spawnSync(join(PG_BIN, "psql"), ["-h", HOST, "-p", String(POOLER_PORT), "-U", "postgres", "-d", "pgbouncer", "-X", "-A", "-F", "\t", "-P", "footer=off", "-c", `SHOW ${what}`], {
    encoding: "utf8",
    env: { ...process.env, PGPASSWORD: PG_PASSWORD, PGCONNECT_TIMEOUT: "3" },
  });
  if (r.status !== 0) return [];
  const [head, ...lines] = r.stdout.trim().split("\n");
  const cols = (head ?? "").split("\t");
  return lines.filter(Boolean).map((l) => Object.fromEntries(l.split("\t").map((v, i) => [cols[i] ?? String(i), v])));
}

// --- the instances ----------------------------------------------------------------------

export type Instance = { index: number; port: number; url: string; child?: ChildProcess };

async function startInstance(instance: Instance, env: Record<string, string>): Promise<void> {
  const fd = logFd(`scale-app-${instance.index + 1}`);
  const child = spawn(process.execPath, ["server.js"], {
    cwd: STANDALONE,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(instance.port),
      HOSTNAME: HOST,
      // Longer than nginx keeps an idle upstream connection (4 s), so the instance never
      // closes a connection nginx is about to reuse.
      KEEP_ALIVE_TIMEOUT: "65000",
      APP_URL: LB_URL,
      DATABASE_URL: POOLER_URL,
      DATABASE_POOL_MAX: String(INSTANCE_POOL_MAX),
      TRUSTED_PROXY_HOPS: "1",
      CRON_SECRET: ensureCronSecret(),
      ...env,
    },
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  instance.child = child;
  await until(`instance ${instance.index + 1} on :${instance.port}`, async () => (await fetch(`${instance.url}/api/v1/health`, { signal: AbortSignal.timeout(2000) })).ok, child, `scale-app-${instance.index + 1}`);
}

// --- nginx ------------------------------------------------------------------------------

const ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

function nginxConfig(dir: string, accessLog: boolean): string {
  const upstream = (name: string, ports: number[]) => `
  upstream ${name} {
${ports.map((p) => `    server ${HOST}:${p} max_fails=1 fail_timeout=10s;`).join("\n")}
    keepalive 64;
    keepalive_timeout 4s;
  }`;
  const server = (port: number, upstreamName: string) => `
  server {
    listen ${HOST}:${port};
    # Methods no route has (TRACE, which the app answers the same way; QUERY, which Next.js
    # answers with an empty 400; anything else) never reach the app: a 405 in the API's envelope.
    if ($tt_method_ok = 0) { return 405; }
    error_page 405 = @method_not_allowed;
    error_page 413 = @too_large;
    error_page 502 503 504 = @unavailable;

    location / {
      proxy_pass http://${upstreamName};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      # The client's address, appended: the instances trust exactly this one hop.
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      # Another instance gets the request when one cannot be reached (POST too, as long
      # as nothing was sent); a request in flight on an instance that dies is a 502.
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
    }
    location @method_not_allowed {
      default_type application/json;
      add_header Allow "${ALLOWED_METHODS}" always;
      add_header Cache-Control "no-store" always;
      return 405 '{"error":{"code":"method_not_allowed","message":"Method $request_method is not allowed"}}';
    }
    location @too_large {
      default_type application/json;
      add_header Cache-Control "no-store" always;
      return 413 '{"error":{"code":"payload_too_large","message":"The request body is too large"}}';
    }
    location @unavailable {
      default_type application/json;
      add_header Cache-Control "no-store" always;
      return 502 '{"error":{"code":"internal_error","message":"Internal server error (load balancer request $request_id)"}}';
    }
  }`;
  const temp = (name: string) => `  ${name}_temp_path ${join(dir, "tmp", name)};`;
  return `# Written by scripts/scale/cluster.ts; nginx -c this file.
${isRoot ? "user nobody nogroup;\n" : ""}worker_processes 1;
daemon off;
pid ${join(dir, "nginx.pid")};
error_log ${join(LOG_DIR, "nginx-error.log")} warn;
events { worker_connections 4096; }
http {
  server_tokens off;
  default_type application/octet-stream;
  # Which instance answered, and how long it and nginx took: for the tests and the bench.
  log_format tt '$remote_addr [$time_local] "$request" $status $body_bytes_sent upstream=$upstream_addr rt=$request_time urt=$upstream_response_time';
  access_log ${accessLog ? `${join(LOG_DIR, "nginx-access.log")} tt` : "off"};
${["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(temp).join("\n")}
  # The app's own limit (MAX_BODY_BYTES, 1 MiB, lib/api/body.ts), enforced here first, in the
  # API's envelope (@too_large). The app refuses a bigger body too, but stops reading at the
  # limit and closes the connection: nginx, still sending the rest, then gets a reset, answers
  # 502 and takes the instance out of rotation for fail_timeout.
  client_max_body_size 1m;
  # A big session is split into several cookies: Node accepts 16 KiB of headers, and so must
  # nginx, on the way in (one Cookie line) and on the way out (Set-Cookie from the app).
  large_client_header_buffers 4 32k;
  proxy_buffer_size 32k;
  proxy_buffers 8 32k;
  proxy_busy_buffers_size 64k;
  map $request_method $tt_method_ok { GET 1; HEAD 1; POST 1; PUT 1; PATCH 1; DELETE 1; OPTIONS 1; default 0; }
${upstream("app", INSTANCE_PORTS)}
${upstream("app_one", INSTANCE_PORTS.slice(0, 1))}
${server(LB_PORT, "app")}
${server(LB_ONE_PORT, "app_one")}
}
`;
}

async function startNginx(accessLog: boolean): Promise<ChildProcess> {
  const dir = join(SCALE_DIR, "nginx");
  rmSync(dir, { recursive: true, force: true });
  for (const t of ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(join(dir, "tmp", t), { recursive: true });
  if (isRoot) {
    const ids = userId("nobody");
    for (const t of ["", "client_body", "proxy", "fastcgi", "uwsgi", "scgi"]) chownSync(join(dir, "tmp", t), ids.uid, ids.gid);
  }
  const conf = join(dir, "nginx.conf");
  writeFileSync(conf, nginxConfig(dir, accessLog));
  const fd = logFd("nginx");
  const child = spawn(NGINX, ["-p", dir, "-e", join(LOG_DIR, "nginx-error.log"), "-c", conf], { stdio: ["ignore", fd, fd] });
  closeSync(fd);
  await until("nginx", async () => (await fetch(`${LB_URL}/api/v1/health`, { signal: AbortSignal.timeout(2000) })).ok, child, "nginx-error", 20_000);
  return child;
}

// --- all of it ----------------------------------------------------------------------------

export type Scale = {
  lbUrl: string;
  lbOneUrl: string;
  instances: Instance[];
  pids: () => { nginx?: number; pgbouncer?: number; instances: (number | undefined)[] };
  /** Stops the instances and starts them again with `env` on top of the defaults above. */
  restartInstances: (env: Record<string, string>) => Promise<void>;
  stop: () => Promise<void>;
};

export async function startScale({ say, instanceEnv = {}, accessLog = true }: { say: Say; instanceEnv?: Record<string, string>; accessLog?: boolean }): Promise<Scale> {
  prepareStandalone();
  const instances: Instance[] = INSTANCE_PORTS.map((port, index) => ({ index, port, url: `http://${HOST}:${port}` }));
  let pooler: ChildProcess | undefined;
  let nginx: ChildProcess | undefined;
  const stop = async () => {
    await stopChild(nginx, "SIGQUIT"); // nginx's graceful shutdown
    await Promise.all(instances.map((i) => stopChild(i.child)));
    await stopChild(pooler, "SIGINT"); // PgBouncer's safe shutdown
  };
  try {
    say(`PgBouncer (transaction mode, ${POOLER_POOL_SIZE} server connections) on ${HOST}:${POOLER_PORT} → Postgres :${PG_PORT}`);
    pooler = await startPooler();
    say(`three standalone Next.js servers on :${INSTANCE_PORTS.join(", :")} (DATABASE_URL → PgBouncer, TRUSTED_PROXY_HOPS=1)`);
    await Promise.all(instances.map((i) => startInstance(i, instanceEnv)));
    say(`nginx on ${LB_URL} (all three) and http://localhost:${LB_ONE_PORT} (instance 1 only); logs in ${LOG_DIR}`);
    nginx = await startNginx(accessLog);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    lbUrl: LB_URL,
    lbOneUrl: `http://localhost:${LB_ONE_PORT}`,
    instances,
    pids: () => ({ nginx: nginx?.pid, pgbouncer: pooler?.pid, instances: instances.map((i) => (i.child && !gone(i.child) ? i.child.pid : undefined)) }),
    restartInstances: async (env) => {
      await Promise.all(instances.map((i) => stopChild(i.child)));
      await Promise.all(instances.map((i) => startInstance(i, env)));
    },
    stop,
  };
}
