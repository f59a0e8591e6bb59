#!/usr/bin/env node
// The one plain-JavaScript script: every npm script that runs our TypeScript goes through
// it, because on a fresh machine of this project's kind the system Node is 20, which can
// neither strip types nor run current supabase-js. It runs on any Node ≥ 18:
//   1. `npm ci` when node_modules is missing or older than package-lock.json — that also
//      installs Node 24 itself, the pinned `node` devDependency (node_modules/.bin/node);
//   2. then runs the TypeScript script named by its first argument with that Node 24,
//      passing the other arguments on, and exits with its exit code.
// Inside npm scripts node_modules/.bin is first on PATH, so every `node` the script
// spawns afterwards (next, vitest, playwright, the stack) is Node 24 as well.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const [script, ...args] = process.argv.slice(2);
const tag = `[${(script ?? "bootstrap").replace(/^.*\//, "").replace(/\.ts$/, "")}]`;
if (!script) {
  console.error(`${tag} usage: node scripts/bootstrap.mjs <script.ts> [args…]`);
  process.exit(2);
}

const marker = join(root, "node_modules", ".package-lock.json");
const lock = join(root, "package-lock.json");
const node24 = join(root, "node_modules", ".bin", "node");
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs || !existsSync(node24)) {
  console.log(`${tag} installing npm dependencies, Node 24 among them (npm ci) …`);
  const ci = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
  if (ci.status !== 0) {
    console.error(`${tag} error: npm ci failed (exit ${ci.status ?? ci.signal}); see the output above.`);
    process.exit(1);
  }
}
if (!existsSync(node24)) {
  console.error(`${tag} error: npm ci finished but ${node24} is missing; the "node" devDependency did not install.`);
  process.exit(1);
}
const bin = join(root, "node_modules", ".bin");
const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` };
const r = spawnSync(node24, [join(root, script), ...args], { cwd: root, stdio: "inherit", env });
if (r.error) console.error(`${tag} error: could not run ${node24}: ${r.error.message}`);
process.exit(r.status ?? 1);
