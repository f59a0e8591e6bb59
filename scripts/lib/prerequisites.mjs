// What `npm run dev` and `npm test` need on a machine before anything else, installed
// when missing, so that a fresh clone needs no step that the README does not show.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../stack/config.mjs";

export const CHROMIUM = process.env.TT_CHROMIUM_PATH || "/usr/bin/chromium";
const isRoot = process.getuid?.() === 0;

function sh(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { cwd: ROOT, env, stdio: "inherit" });
  return r.status === 0;
}

/** `npm ci` when node_modules is missing or older than package-lock.json. */
export function ensureNodeModules(log) {
  const marker = join(ROOT, "node_modules", ".package-lock.json");
  const lock = join(ROOT, "package-lock.json");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log("installing npm dependencies (npm ci) …");
  if (!sh("npm", ["ci", "--no-audit", "--no-fund"])) throw new Error("npm ci failed; see the output above.");
}

/** Debian's Chromium for Playwright: never a browser that a tool downloads. */
export function ensureChromium(log) {
  if (existsSync(CHROMIUM)) return;
  if (!isRoot) throw new Error(`Chromium is missing at ${CHROMIUM}; install it with: sudo apt-get install -y chromium`);
  log("installing Debian's chromium with apt-get (for the browser tests) …");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (!sh("apt-get", ["update", "-q"], env) || !sh("apt-get", ["install", "-y", "-q", "--no-install-recommends", "chromium"], env) || !existsSync(CHROMIUM)) {
    throw new Error("apt-get install chromium failed; see the output above.");
  }
}

/** The version Node must have, from package.json's engines field. */
export function checkNode() {
  const want = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).engines.node.replace(/^>=\s*/, "");
  const [a, b] = process.versions.node.split(".").map(Number);
  const [x, y] = want.split(".").map(Number);
  if (a < x || (a === x && b < y)) throw new Error(`Node.js ${want} or newer is needed; this is ${process.versions.node}.`);
}

/**
 * Environment for every Node process that creates a Supabase client. supabase-js
 * (realtime-js) refuses to construct a client on Node 20 unless a WebSocket global
 * exists, even though this app never opens a realtime channel; Node 20 has one behind
 * --experimental-websocket (Node 22 has it by default, and the flag is then harmless).
 */
export function nodeEnv(extra = {}) {
  const options = process.env.NODE_OPTIONS ?? "";
  const needsFlag = Number(process.versions.node.split(".")[0]) < 22 && !options.includes("--experimental-websocket");
  return { ...process.env, ...extra, NODE_OPTIONS: needsFlag ? `${options} --experimental-websocket`.trim() : options };
}
