// The tt CLI as people get it: `npm pack` of the cli/ workspace, then `npm install -g` of
// that tarball into an empty prefix outside the repository, so that the installed `tt`
// resolves its modules (commander) from the prefix alone, never from the repository's
// node_modules. `npm test` runs the CLI tests against that binary (TT_CLI_BIN, TT_CLI_TARBALL);
// tests/cli/package.test.ts does the same itself when run without them. The SDK the same
// way: `npm pack` of sdk/, installed as a dependency of an empty project
// (tests/integration/sdk.test.ts).
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { ROOT } from "../stack/config.ts";

export type PackedFile = { path: string; size: number };
export type Packed = { tarball: string; size: number; unpackedSize: number; files: PackedFile[] };

/**
 * npm's own environment minus what an enclosing `npm test` set for itself (npm_config_*,
 * npm_package_*, the script's lifecycle variables): the install must behave as a user's
 * `npm i -g`, not as a step of this repository's scripts.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== "INIT_CWD")) as NodeJS.ProcessEnv;
}

function npm(args: string[], cwd: string): string {
  const r = spawnSync("npm", args, { cwd, env: cleanEnv(), encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`npm ${args.join(" ")} failed (exit ${r.status ?? r.signal}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** `npm pack -w cli` (its prepack builds it) into `dir`; what npm says it packed. */
export const packCli = (dir: string): Packed => packWorkspace("cli", dir);

/** `npm pack -w sdk` (its prepack builds it) into `dir`. */
export const packSdk = (dir: string): Packed => packWorkspace("sdk", dir);

function packWorkspace(workspace: "cli" | "sdk", dir: string): Packed {
  mkdirSync(dir, { recursive: true });
  const report = JSON.parse(npm(["pack", "--workspace", workspace, "--pack-destination", dir, "--json", "--silent"], ROOT)) as {
    filename: string;
    size: number;
    unpackedSize: number;
    files: PackedFile[];
  }[];
  const [packed] = report;
  if (!packed) throw new Error("npm pack reported no tarball");
  return { tarball: join(dir, packed.filename), size: packed.size, unpackedSize: packed.unpackedSize, files: packed.files };
}

/**
 * `npm install -g --prefix <prefix> <tarball>`, run from `prefix` (not the repository, so
 * npm sees no workspace); the path of the installed `tt`. The dependencies come from the
 * registry, or from npm's cache when the registry cannot be reached (--prefer-offline:
 * machines without network, such as the development namespaces, that installed the
 * repository once).
 */
export function installCli(tarball: string, prefix: string): string {
  mkdirSync(prefix, { recursive: true });
  npm(["install", "--global", "--prefix", prefix, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", tarball], prefix);
  return join(prefix, "bin", "tt");
}

/**
 * `npm install <tarball>` into `project`, a new empty project outside the repository (its
 * own package.json, so npm installs there and nowhere above it); the installed package's
 * directory.
 */
export function installPackage(tarball: string, project: string, name: string): string {
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, "package.json"), `${JSON.stringify({ name: "sdk-consumer", private: true, type: "module" }, null, 2)}\n`);
  npm(["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", tarball], project);
  return join(project, "node_modules", ...name.split("/"));
}
