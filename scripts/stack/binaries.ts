// Finding and running the stack's native binaries (GoTrue, Mailpit) and their installers.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** Runs a command to completion; its stdout and stderr together, trimmed. */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(cmd, args, { encoding: "utf8", env, stdio: ["ignore", "pipe", "pipe"] });
  return { ok: r.status === 0, out: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error.message) : ""}`.trim() };
}

/** The first `name` on PATH, or undefined; node_modules/.bin holds npm packages' commands, never these. */
export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (!dir || dir.includes("node_modules")) continue;
    const file = join(dir, name);
    if (existsSync(file)) return file;
  }
  return undefined;
}
