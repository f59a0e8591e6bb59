// What `npm test` needs on a machine besides npm packages (scripts/bootstrap.mjs installs
// those, Node 24 among them), installed when missing, so that a fresh clone needs no step
// that the README does not show.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { ROOT } from "../stack/config.ts";

export const CHROMIUM = process.env.TT_CHROMIUM_PATH || "/usr/bin/chromium";
const isRoot = process.getuid?.() === 0;

function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  return spawnSync(cmd, args, { cwd: ROOT, env, stdio: "inherit" }).status === 0;
}

/** Debian's Chromium for Playwright: never a browser that a tool downloads. */
export function ensureChromium(log: (msg: string) => void): void {
  ensureDebianPackages([{ pkg: "chromium", binary: CHROMIUM }], "the browser tests", log);
}

/** zsh and fish, whose completion of tt the CLI tests check (bash is always there). */
export function ensureShells(log: (msg: string) => void): void {
  ensureDebianPackages(
    [
      { pkg: "zsh", binary: "/usr/bin/zsh" },
      { pkg: "fish", binary: "/usr/bin/fish" },
    ],
    "the CLI's completion tests",
    log,
  );
}

/**
 * Debian packages the tests run (chromium; nginx and pgbouncer for `npm run test:scale` and
 * `npm run bench -- --scale`), installed with apt-get when a binary is missing. Debian's own services of
 * those packages are not what we run (we start our own processes with our own config
 * files), so when this call installed a package it stops and disables the service the
 * package may have started, where the machine has SysV scripts to do that with.
 */
export function ensureDebianPackages(wanted: { pkg: string; binary: string; service?: string }[], why: string, log: (msg: string) => void): void {
  const missing = wanted.filter((w) => !existsSync(w.binary));
  if (missing.length === 0) return;
  const names = missing.map((m) => m.pkg).join(" ");
  if (!isRoot) throw new Error(`${names} ${missing.length > 1 ? "are" : "is"} missing (${why}); install with: sudo apt-get install -y ${names}`);
  log(`installing Debian's ${names} with apt-get (${why}) …`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (!sh("apt-get", ["update", "-q"], env) || !sh("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing.map((m) => m.pkg)], env) || missing.some((m) => !existsSync(m.binary))) {
    throw new Error(`apt-get install ${names} failed; see the output above.`);
  }
  for (const { service } of missing) {
    if (!service || !existsSync(`/etc/init.d/${service}`)) continue;
    spawnSync(`/etc/init.d/${service}`, ["stop"], { stdio: "ignore" });
    spawnSync("update-rc.d", [service, "disable"], { stdio: "ignore" });
  }
}

/**
 * Says which Node runs this script and refuses one older than package.json's engines
 * field (scripts/bootstrap.mjs runs the project's own Node 24; this catches a script
 * started some other way).
 */
export function checkNode(log: (msg: string) => void): void {
  const engines = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
  const want = Number(engines.replace(/^>=\s*/, "").split(".")[0]);
  const have = Number(process.versions.node.split(".")[0]);
  log(`Node ${process.versions.node} (${process.execPath})`);
  if (have < want) throw new Error(`Node.js ${want} or newer is needed; this is ${process.versions.node}. Run it through npm (npm test, npm run dev), which uses the project's own Node.`);
}
