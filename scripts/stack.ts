#!/usr/bin/env node
// The local Supabase stack without Docker: Postgres 15, Supabase Auth, Mailpit, a gateway
// on the ports of `supabase start`, our migrations and a demo user.
//
//   node scripts/stack.ts up       start what is not running (idempotent)   npm run stack:up
//   node scripts/stack.ts down     stop exactly what `up` started           npm run stack:down
//   node scripts/stack.ts status   what runs, where, and whether it answers npm run stack:status
//   node scripts/stack.ts stop auth|postgres|gateway|mailpit …   stop single services (fault tests)
//
// Each step prints what it does; a failure prints one sentence naming the cause and
// exits non-zero. State lives in .stack/ (git-ignored): pg/ (the cluster), logs/,
// run/ (pid files), auth/ (the JWT signing key).
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, chmodSync, chownSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";

import { loadOrCreateSigningKey } from "@tuned-tensor/auth-server/jwt";
import {
  AUTH_DB_PASSWORD, AUTH_PORT, CHECKOUT_ID, DATABASE_URL, DEMO_EMAIL,
  DEMO_PASSWORD, GATEWAY_PORT, HOST, KEY_FILE, LOG_DIR, PG_BIN, PG_PASSWORD, PG_PORT,
  PUBLISHABLE_KEY, ROOT, RUN_DIR, SECRET_KEY, STACK_DIR, SUPABASE_URL,
} from "./stack/config.ts";
import { AuthChoiceError, authCommand, authEnv, chooseAuthServer, type AuthServer } from "./stack/auth-choice.ts";
import { MAIL_WEB_URL, MailpitError, mailpitArgs, mailpitBinary } from "./stack/mailpit.ts";
import { LOCAL } from "../lib/local-defaults.ts";

const isRoot = process.getuid?.() === 0;
const say = (msg: string) => console.log(`[stack] ${msg}`);
class StackError extends Error {}
const fail = (msg: string): never => {
  throw new StackError(msg);
};

// ---------------------------------------------------------------- process helpers

function run(cmd: string, args: string[], { env }: { env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", env: env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  return { ok: r.status === 0, out: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error.message) : ""}`.trim() };
}

/** Runs a command as the `postgres` OS user when we are root: initdb refuses to run as root. */
function asPostgres(cmd: string, args: string[]) {
  if (!isRoot) return run(cmd, args);
  return run("runuser", ["-u", "postgres", "--", cmd, ...args]);
}

const pidFile = (name: string) => join(RUN_DIR, `${name}.pid`);
function readPid(name: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile(name), "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    socket.setTimeout(1000);
    socket.once("connect", () => { socket.destroy(); resolve(true); });
    socket.once("timeout", () => { socket.destroy(); resolve(false); });
    socket.once("error", () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  { timeoutMs = 30_000, pid, log }: { timeoutMs?: number; pid?: number; log?: string } = {},
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    if (pid && !alive(pid)) fail(`${what} exited during start-up; the end of ${log}:\n${tail(log ?? "")}`);
    await sleep(200);
  }
  fail(`${what} did not become ready within ${timeoutMs / 1000} s; see ${log ?? "its log"}.`);
}

function tail(file: string, lines = 15) {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Starts a long-running child detached from this process, output to a log, pid to run/. */
function startDaemon(name: string, cmd: string, args: string[], env: Record<string, string>) {
  const log = join(LOG_DIR, `${name}.log`);
  const fd = openSync(log, "a");
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, detached: true, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  child.unref();
  writeFileSync(pidFile(name), `${child.pid}\n`);
  return { pid: child.pid, log };
}

async function stopDaemon(name: string) {
  const pid = readPid(name);
  if (!alive(pid)) {
    rmSync(pidFile(name), { force: true });
    return false;
  }
  process.kill(pid!, "SIGTERM");
  for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
  if (alive(pid)) process.kill(pid!, "SIGKILL");
  rmSync(pidFile(name), { force: true });
  return true;
}

async function httpOk(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(2000) });
  return res.ok;
}

// ---------------------------------------------------------------- Postgres

function pgDataDir() {
  const inClone = join(STACK_DIR, "pg");
  if (!isRoot) return inClone;
  // As root the server runs as `postgres`, which must be able to reach the data folder.
  // A clone under a private home (e.g. /root) is not reachable, so fall back to /var/tmp.
  const probe = run("runuser", ["-u", "postgres", "--", "test", "-x", STACK_DIR]);
  return probe.ok ? inClone : `/var/tmp/tuned-tensor-${CHECKOUT_ID}/pg`;
}

function ensurePostgresInstalled() {
  if (existsSync(join(PG_BIN, "postgres"))) return;
  if (!isRoot) fail(`Postgres 15 is not installed (no ${PG_BIN}/postgres); install it with: sudo apt-get install -y postgresql-15`);
  say("installing Postgres 15 with apt-get (postgresql-15) …");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = run("apt-get", ["update", "-q"], { env });
  if (!update.ok) fail(`apt-get update failed:\n${update.out.split("\n").slice(-5).join("\n")}`);
  const install = run("apt-get", ["install", "-y", "-q", "--no-install-recommends", "postgresql-15"], { env });
  if (!install.ok || !existsSync(join(PG_BIN, "postgres"))) fail(`apt-get install postgresql-15 failed:\n${install.out.split("\n").slice(-5).join("\n")}`);
}

type Started = { postgres?: string; auth?: boolean; gateway?: boolean; mailpit?: boolean };

async function pgUp(started: Started) {
  ensurePostgresInstalled();
  const data = pgDataDir();
  const log = join(LOG_DIR, "postgres.log");
  const running = existsSync(join(data, "postmaster.pid")) && asPostgres(join(PG_BIN, "pg_ctl"), ["status", "-D", data]).ok;
  if (running) {
    say(`Postgres already running on ${HOST}:${PG_PORT} (${data})`);
    return data;
  }
  if (await portOpen(PG_PORT)) fail(`port ${PG_PORT} is taken by another process; stop it (or its \`supabase start\`) and try again.`);

  if (!existsSync(join(data, "PG_VERSION"))) {
    say(`creating a Postgres cluster in ${data}`);
    mkdirSync(data, { recursive: true, mode: 0o700 });
    const pwfile = join(RUN_DIR, "pg-password");
    writeFileSync(pwfile, `${PG_PASSWORD}\n`, { mode: 0o600 });
    if (isRoot) {
      chownSync(data, uid("postgres"), gid("postgres"));
      chownSync(pwfile, uid("postgres"), gid("postgres"));
    }
    const init = asPostgres(join(PG_BIN, "initdb"), [
      "-D", data, "-U", "postgres", "--pwfile", pwfile, "--auth-local=trust", "--auth-host=scram-sha-256",
      "--encoding=UTF8", "--no-locale", "--no-instructions",
    ]);
    rmSync(pwfile, { force: true });
    if (!init.ok) fail(`initdb failed:\n${init.out.split("\n").slice(-8).join("\n")}`);
  }

  say(`starting Postgres on ${HOST}:${PG_PORT} (log: ${log})`);
  writeFileSync(log, "", { flag: "a" });
  if (isRoot) chownSync(log, uid("postgres"), gid("postgres"));
  // TCP only: a socket path inside a deep checkout can exceed the 107-byte limit.
  // pg_stat_statements, as hosted Supabase loads it: how many queries Postgres ran is what
  // the bench and the verification cache's tests count (it ships with Debian's postgresql-15).
  const options = `-c listen_addresses=${HOST} -c port=${PG_PORT} -c unix_socket_directories='' -c max_connections=200 -c shared_preload_libraries=pg_stat_statements`;
  const start = asPostgres(join(PG_BIN, "pg_ctl"), ["start", "-D", data, "-l", log, "-w", "-t", "60", "-o", options]);
  if (!start.ok) fail(`Postgres did not start: ${start.out.split("\n").slice(-3).join(" ")}\n${tail(log, 8)}`);
  started.postgres = data;
  return data;
}

function uid(user: string) {
  return Number(run("id", ["-u", user]).out);
}
function gid(user: string) {
  return Number(run("id", ["-g", user]).out);
}

async function sql(url: string, statements: string) {
  const { default: postgres } = await import("postgres");
  const db = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    return await db.unsafe(statements);
  } finally {
    await db.end({ timeout: 5 });
  }
}

// What hosted Supabase has before any project migration runs: the roles our RLS
// policies name, and the `auth` schema owned by the role Supabase Auth connects as.
const BOOTSTRAP_SQL = `
do $$
begin
  if not exists (select from pg_roles where rolname = 'supabase_admin') then
    create role supabase_admin login superuser createdb createrole replication bypassrls;
  end if;
  if not exists (select from pg_roles where rolname = 'supabase_auth_admin') then
    create role supabase_auth_admin login noinherit createrole;
  end if;
  if not exists (select from pg_roles where rolname = 'anon') then create role anon nologin noinherit; end if;
  if not exists (select from pg_roles where rolname = 'authenticated') then create role authenticated nologin noinherit; end if;
  if not exists (select from pg_roles where rolname = 'service_role') then create role service_role nologin noinherit bypassrls; end if;
end
$$;
alter role supabase_auth_admin with password '${AUTH_DB_PASSWORD.replaceAll("'", "''")}';
alter role supabase_auth_admin set search_path = auth;
create schema if not exists auth authorization supabase_auth_admin;
create schema if not exists extensions;
create extension if not exists pg_stat_statements with schema extensions;
grant create on database postgres to supabase_auth_admin;
grant usage on schema public to anon, authenticated, service_role;
-- A new Supabase project's default privileges, set once on a fresh database only: the
-- migrations narrow them (20261130000100_tighten_grants_and_text_checks.sql), and running
-- this again on every stack:up would widen them back behind the migrations' back.
do $$
begin
  if to_regclass('supabase_migrations.schema_migrations') is null then
    alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
    alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
    alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
  end if;
end
$$;
`;

// ---------------------------------------------------------------- Mailpit

async function mailpitUp(started: Started) {
  const pid = readPid("mailpit");
  if (alive(pid)) {
    say(`Mailpit already running: SMTP ${HOST}:${LOCAL.smtpPort}, web ${MAIL_WEB_URL} (pid ${pid})`);
    return;
  }
  for (const port of [LOCAL.smtpPort, LOCAL.mailWebPort]) {
    if (await portOpen(port)) fail(`port ${port} (Mailpit) is taken by another process — perhaps \`supabase start\`; stop it and try again.`);
  }
  const bin = mailpitBinary(say);
  say(`starting Mailpit: SMTP ${HOST}:${LOCAL.smtpPort}, web UI and API ${MAIL_WEB_URL}`);
  const daemon = startDaemon("mailpit", bin, mailpitArgs(), {});
  started.mailpit = true;
  await waitFor("Mailpit", () => httpOk(`${MAIL_WEB_URL}/api/v1/info`), { pid: daemon.pid, log: daemon.log });
}

// ---------------------------------------------------------------- Supabase Auth

async function authUp(started: Started) {
  const pid = readPid("auth");
  if (alive(pid)) {
    say(`Supabase Auth already running on ${HOST}:${AUTH_PORT} (pid ${pid})`);
    return;
  }
  if (await portOpen(AUTH_PORT)) fail(`port ${AUTH_PORT} (Supabase Auth) is taken by another process; stop it and try again.`);
  const jwk = loadOrCreateSigningKey(KEY_FILE);
  const server: AuthServer = chooseAuthServer(say);
  const [cmd, args] = authCommand(server);
  say(`starting Supabase Auth (${server.kind === "gotrue" ? `GoTrue, ${server.bin}` : "GoTrue-compatible local server"}) on ${HOST}:${AUTH_PORT}`);
  const daemon = startDaemon("auth", cmd, args, authEnv(jwk, server));
  writeFileSync(join(RUN_DIR, "auth.kind"), `${server.kind}\n`);
  started.auth = true;
  await waitFor("Supabase Auth", () => httpOk(`http://${HOST}:${AUTH_PORT}/health`), { pid: daemon.pid, log: daemon.log, timeoutMs: 60_000 });
}

async function gatewayUp(started: Started) {
  const pid = readPid("gateway");
  if (alive(pid)) {
    say(`gateway already running on ${SUPABASE_URL} (pid ${pid})`);
    return;
  }
  if (await portOpen(GATEWAY_PORT)) fail(`port ${GATEWAY_PORT} (the Supabase API gateway) is taken by another process — perhaps \`supabase start\`; stop it and try again.`);
  say(`starting the gateway on ${SUPABASE_URL} (/auth/v1 → :${AUTH_PORT})`);
  const daemon = startDaemon("gateway", process.execPath, [join(ROOT, "scripts/stack/gateway.ts")], {});
  started.gateway = true;
  await waitFor("the gateway", () => httpOk(`${SUPABASE_URL}/auth/v1/health`, { apikey: PUBLISHABLE_KEY }), { pid: daemon.pid, log: daemon.log });
}

// ---------------------------------------------------------------- migrations, demo user

function migrate() {
  say("applying migrations: supabase migration up");
  const bin = join(ROOT, "node_modules/.bin/supabase");
  if (!existsSync(bin)) fail("the Supabase CLI is not installed; run `npm install` first.");
  const r = run(bin, ["migration", "up", "--db-url", DATABASE_URL], { env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" } });
  writeFileSync(join(LOG_DIR, "migrations.log"), `${r.out}\n`);
  if (!r.ok) fail(`supabase migration up failed:\n${r.out.split("\n").slice(-8).join("\n")}`);
  const applied = r.out.split("\n").filter((l) => /Applying migration/i.test(l));
  say(applied.length ? `  ${applied.length} applied` : "  up to date");
}

async function ensureDemoUser() {
  const res = await fetch(`${SUPABASE_URL}/auth/v1/admin/users`, {
    method: "POST",
    headers: { apikey: SECRET_KEY, authorization: `Bearer ${SECRET_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ email: DEMO_EMAIL, password: DEMO_PASSWORD, email_confirm: true }),
  });
  if (res.ok) return say(`demo user created: ${DEMO_EMAIL}`);
  const body = (await res.json().catch(() => ({}))) as { error_code?: string; msg?: string; message?: string };
  if (res.status === 422 && body.error_code === "email_exists") return say(`demo user exists: ${DEMO_EMAIL}`);
  fail(`creating the demo user failed: ${res.status} ${body.msg ?? body.message ?? ""}`);
}

// ---------------------------------------------------------------- commands

function state(): Started {
  try {
    return JSON.parse(readFileSync(join(RUN_DIR, "started.json"), "utf8"));
  } catch {
    return {};
  }
}
function saveState(s: Started) {
  writeFileSync(join(RUN_DIR, "started.json"), `${JSON.stringify(s)}\n`);
}

async function up() {
  for (const dir of [STACK_DIR, LOG_DIR, RUN_DIR]) mkdirSync(dir, { recursive: true });
  if (isRoot) chmodSync(STACK_DIR, 0o755);
  const started = state();
  try {
    const data = await pgUp(started);
    saveState(started);
    say("preparing roles and the auth schema");
    await sql(DATABASE_URL, BOOTSTRAP_SQL);
    await mailpitUp(started);
    saveState(started);
    await authUp(started);
    saveState(started);
    await gatewayUp(started);
    saveState(started);
    migrate();
    await ensureDemoUser();
    say(`ready — API gateway ${SUPABASE_URL}, mail ${MAIL_WEB_URL}, database ${DATABASE_URL.replace(`:${PG_PASSWORD}@`, ":***@")} (${data})`);
  } finally {
    saveState(started);
  }
}

const SERVICES = ["gateway", "auth", "mailpit", "postgres"];

/** Stops the named services, if this checkout's stack started them; returns how many it stopped. */
async function stopServices(names: string[]) {
  const started = state();
  let stopped = 0;
  for (const name of SERVICES.filter((n) => names.includes(n))) {
    if (name === "postgres") {
      if (!started.postgres || !existsSync(join(started.postgres, "postmaster.pid"))) continue;
      const r = asPostgres(join(PG_BIN, "pg_ctl"), ["stop", "-D", started.postgres, "-m", "fast", "-w"]);
      if (!r.ok) fail(`pg_ctl stop failed: ${r.out}`);
    } else if (!(await stopDaemon(name))) {
      continue;
    }
    say(`stopped ${name === "postgres" ? "Postgres" : name === "mailpit" ? "Mailpit" : name}`);
    stopped++;
  }
  return stopped;
}

async function down() {
  const stopped = await stopServices(SERVICES);
  saveState({});
  if (!stopped) say("nothing was running");
}

/**
 * `stop <service…>`: stops single services of a running stack (for the fault-injection
 * tests); `up` starts them again.
 */
async function stop() {
  const names = process.argv.slice(3);
  const unknown = names.filter((n) => !SERVICES.includes(n));
  if (!names.length || unknown.length) fail(`stop needs one or more of: ${SERVICES.join(", ")}${unknown.length ? ` (unknown: ${unknown.join(", ")})` : ""}`);
  if (!(await stopServices(names))) say("nothing to stop");
}

async function status() {
  const rows: [string, string, string, string][] = [];
  const data = pgDataDir();
  const pgRunning = existsSync(join(data, "postmaster.pid")) && asPostgres(join(PG_BIN, "pg_ctl"), ["status", "-D", data]).ok;
  rows.push(["postgres", pgRunning ? "running" : "stopped", `${HOST}:${PG_PORT}`, data]);
  let kind = "";
  try {
    kind = readFileSync(join(RUN_DIR, "auth.kind"), "utf8").trim();
  } catch {}
  const services: [string, number, string, Record<string, string>][] = [
    ["auth", AUTH_PORT, `http://${HOST}:${AUTH_PORT}/health`, {}],
    ["gateway", GATEWAY_PORT, `${SUPABASE_URL}/auth/v1/health`, { apikey: PUBLISHABLE_KEY }],
    ["mailpit", LOCAL.mailWebPort, `${MAIL_WEB_URL}/api/v1/info`, {}],
  ];
  for (const [name, port, url, headers] of services) {
    const pid = readPid(name);
    const healthy = await httpOk(url, headers).catch(() => false);
    const detail = name === "auth" && kind ? `${kind === "gotrue" ? "GoTrue" : "GoTrue-compatible"}, ` : "";
    rows.push([name, alive(pid) ? (healthy ? "running" : "not answering") : "stopped", `${HOST}:${port}`, `${detail}pid ${pid ?? "-"}, log ${join(LOG_DIR, `${name}.log`)}`]);
  }
  for (const row of rows) console.log(`${row[0].padEnd(9)} ${row[1].padEnd(14)} ${row[2].padEnd(16)} ${row[3]}`);
  return rows.every((r) => r[1] === "running");
}

const command = process.argv[2];
const commands: Record<string, () => Promise<unknown>> = { up, down, status, stop };
if (!command || !commands[command]) {
  console.error("usage: node scripts/stack.ts up|down|status|stop <gateway|auth|mailpit|postgres>…");
  process.exit(2);
}
try {
  const ok = await commands[command]!();
  process.exit(command === "status" && !ok ? 1 : 0);
} catch (e) {
  console.error(`[stack] error: ${e instanceof StackError || e instanceof AuthChoiceError || e instanceof MailpitError ? e.message : ((e as Error)?.stack ?? e)}`);
  process.exit(1);
}
