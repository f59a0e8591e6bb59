// The CLI as people install it: the tarball `npm pack` makes of the cli/ workspace (what it
// holds, how big it is), and `tt` installed from it with `npm install -g` into an empty
// prefix outside the repository. npm test packs and installs it once (TT_CLI_TARBALL,
// TT_CLI_BIN) and runs every CLI test against that binary; run alone, this file packs and
// installs its own.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { installCli, packCli } from "../../scripts/lib/cli-package";
import { Sandbox } from "./cli";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const workspace = JSON.parse(readFileSync(join(ROOT, "cli", "package.json"), "utf8")) as { name: string; version: string };

// Under budget with room to grow, and far below what a stray source map, test or
// node_modules would add (raised from 48 kB packed and 160 kB unpacked with the orgs,
// members and service-accounts commands).
const MAX_PACKED = 56 * 1024;
const MAX_UNPACKED = 192 * 1024;

let scratch: string;
let tarball: string;
let bin: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "tt-package-"));
  tarball = process.env.TT_CLI_TARBALL || packCli(join(scratch, "pack")).tarball;
  bin = process.env.TT_CLI_BIN || installCli(tarball, join(scratch, "prefix"));
}, 120_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const tarFiles = () => {
  const r = spawnSync("tar", ["-tzf", tarball], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim().split("\n").sort();
};

describe("the tarball", () => {
  it("holds the bin, the compiled JavaScript (the CLI's and the SDK's), package.json and README only", () => {
    const files = tarFiles();
    for (const file of files) {
      expect(file, file).toMatch(
        /^package\/(package\.json|README\.md|bin\/tt\.js|dist\/cli\/src\/(commands\/)?[a-z-]+\.js|dist\/sdk\/src\/(generated\/)?[a-z-]+\.js|dist\/lib\/api-keys\/key-format\.js)$/,
      );
    }
    expect(files).toEqual(
      expect.arrayContaining(["package/package.json", "package/bin/tt.js", "package/dist/cli/src/index.js", "package/dist/sdk/src/index.js", "package/dist/lib/api-keys/key-format.js"]),
    );
    // No source maps, TypeScript, tests, server code (the contract), env files or keys.
    expect(files.filter((f) => /\.map$|\.ts$|test|lib\/contract|\.env|secret|node_modules/.test(f))).toEqual([]);
  });

  it(`is small: under ${MAX_PACKED / 1024} kB packed and ${MAX_UNPACKED / 1024} kB unpacked`, () => {
    expect(statSync(tarball).size).toBeLessThan(MAX_PACKED);
    const r = spawnSync("tar", ["-tzvf", tarball], { encoding: "utf8" });
    const unpacked = r.stdout
      .trim()
      .split("\n")
      .reduce((sum, line) => sum + Number(line.split(/\s+/)[2]), 0);
    expect(unpacked).toBeLessThan(MAX_UNPACKED);
  });

  it("declares a bin, an engines range and commander as its only dependency", () => {
    const r = spawnSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" });
    const manifest = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: workspace.name, version: workspace.version, bin: { tt: "bin/tt.js" }, engines: { node: expect.stringMatching(/^>=/) } });
    expect(Object.keys(manifest.dependencies as object)).toEqual(["commander"]);
    expect(manifest.private).toBeUndefined();
  });

  it("contains no API key, private key or server secret", () => {
    const r = spawnSync("tar", ["-xzOf", tarball], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
    expect(r.stdout).not.toMatch(/tt_[0-9A-Za-z]{49}|BEGIN [A-Z ]*PRIVATE KEY|sb_secret_|service_role/);
  });
});

describe("tt installed from the tarball", () => {
  it("lives outside the repository and takes commander from its own install, not the repository's node_modules", () => {
    const pkg = dirname(dirname(realpathSync(bin)));
    expect(relative(ROOT, pkg).startsWith("..")).toBe(true);
    const commander = createRequire(join(pkg, "package.json")).resolve("commander");
    expect(commander.startsWith(pkg)).toBe(true);
  });

  it("runs: --version is the package's version, --help lists the commands", async () => {
    const sb = new Sandbox();
    try {
      const version = await sb.spawn(bin, ["--version"], {}, "tt --version");
      expect(version.code, version.output).toBe(0);
      expect(version.stdout).toBe(`${workspace.version}\n`);
      const help = await sb.spawn(bin, ["--help"], {}, "tt --help");
      expect(help.code, help.output).toBe(0);
      for (const command of ["auth", "keys", "specs", "completion"]) expect(help.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    } finally {
      sb.cleanup();
    }
  });
});
