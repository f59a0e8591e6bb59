// A second `next start` of the same production build, for tests that need an instance of
// their own: a different failed-authentication limit, a dead database, several instances
// sharing one Postgres. Loopback only; the caller stops it.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";

import { eventually } from "./http";
import { CRON_SECRET } from "./stack";

export type AppInstance = { url: string; child: ChildProcess; stop: () => Promise<void> };

export async function startAppInstance(port: number, env: Record<string, string> = {}): Promise<AppInstance> {
  const url = `http://localhost:${port}`;
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], {
    env: { ...process.env, APP_URL: url, CRON_SECRET, ...env },
    stdio: "ignore",
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  // Up when its health check answers; given up on when it exits or after 30 s.
  const up = await eventually(
    async () => child.exitCode !== null || (await fetch(`${url}/api/v1/health`)).ok,
    (done) => done,
    { timeoutMs: 30_000, everyMs: 250 },
  ).catch(() => false);
  if (up && child.exitCode === null) return { url, child, stop };
  await stop();
  throw new Error(`the instance on ${url} did not start`);
}

/**
 * A port for a test's own instance, from the operating system: a listener on port 0 is given
 * one that is free, and closed again. Files run side by side, so a port picked at random
 * near a base can collide with another file's instance (whose health check would then answer
 * for this one); the OS never hands out a port in use, and its ephemeral range stays clear of
 * the ports the suite serves on (3100 the app, 3200 bench, 3300 fuzz, 3400–3413 test:scale,
 * 6543 PgBouncer, 54321–54325 the stack).
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
