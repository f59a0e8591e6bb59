// Shared by `npm test` and `npm run bench`: bring the local stack up if it is down (and
// remember whether we did), build the app, and serve the build with `next start`.
import { spawn, spawnSync, type SpawnSyncOptions } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";

import { LOG_DIR, PUBLISHABLE_KEY, ROOT, SUPABASE_URL } from "../stack/config.ts";

type Say = (msg: string) => void;

export const bin = (name: string) => join(ROOT, "node_modules", name);
export const node = (args: string[], opts: SpawnSyncOptions = {}): number =>
  spawnSync(process.execPath, args, { cwd: ROOT, stdio: "inherit", ...opts }).status ?? 1;

async function stackIsUp(): Promise<boolean> {
  const ok = await fetch(`${SUPABASE_URL}/auth/v1/health`, { headers: { apikey: PUBLISHABLE_KEY }, signal: AbortSignal.timeout(2000) })
    .then((r) => r.ok)
    .catch(() => false);
  return ok && node(["scripts/stack.ts", "status"], { stdio: "ignore" }) === 0;
}

/** Starts the stack unless it runs; returns whether this call started it (and so should stop it). */
export async function ensureStack(say: Say): Promise<boolean> {
  if (await stackIsUp()) {
    say("the local stack is already running; it stays up afterwards");
    return false;
  }
  say("starting the local stack (stopped again at the end)");
  if (node(["scripts/stack.ts", "up"]) !== 0) throw new Error("the local stack did not start; see above.");
  return true;
}

export function stopStack(): void {
  node(["scripts/stack.ts", "down"]);
}

/**
 * `next build`. `env` reaches next.config.ts: the bench passes BENCH_BUILD for its own build
 * (with its comparison routes, in .next-bench); without it, the production build in .next.
 */
export function buildApp(say: Say, env: Record<string, string> = {}): void {
  say(`building the app (next build, which also type-checks)${env.TT_BENCH_BUILD ? " with the bench's routes, into .next-bench" : ""}`);
  if (node([bin("next/dist/bin/next"), "build"], { env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } }) !== 0) {
    throw new Error("next build failed; see above.");
  }
}

/**
 * The scheduled jobs' secret for this run: the environment's CRON_SECRET, else a fresh
 * random one, put into process.env so that every `next start` and test runner started from
 * here gets the same. `next start` refuses the public local default (lib/env-schema.ts).
 */
export function ensureCronSecret(): string {
  process.env.CRON_SECRET ||= randomBytes(32).toString("hex");
  return process.env.CRON_SECRET;
}

/** The bench's build: next.config.ts adds app/api/bench/* and writes to .next-bench (serve it with the same env). */
export const BENCH_BUILD = { TT_BENCH_BUILD: "1" };

export type App = { url: string; logFile: string; pid: number; stop: () => Promise<void> };

/**
 * Serves the production build on `port` with its output in .stack/logs/<name>.log.
 * Resolves once the app answers; `stop()` ends it.
 */
export async function startApp({ port, name, env = {}, say }: { port: number; name: string; env?: Record<string, string>; say: Say }): Promise<App> {
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = join(LOG_DIR, `${name}.log`);
  const fd = openSync(logFile, "w");
  const url = `http://localhost:${port}`;
  ensureCronSecret();
  say(`serving the build with next start on ${url} (log: ${logFile})`);
  const server = spawn(process.execPath, [bin("next/dist/bin/next"), "start", "-p", String(port)], {
    cwd: ROOT,
    env: { ...process.env, APP_URL: url, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  const stop = async () => {
    if (server.exitCode !== null) return;
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) break;
    const ok = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok).catch(() => false);
    if (ok) return { url, logFile, pid: server.pid!, stop };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`next start did not answer on ${url}; see ${logFile}.`);
}
