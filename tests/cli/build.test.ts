// The built CLI ships no server code: it talks to the API through the SDK, compiled in
// (sdk/src, whose contract is a generated file of plain values), and nothing of lib/contract
// (or any other lib/ module but the pure key format) is in cli/dist or loaded by it.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

const DIST = fileURLToPath(new URL("../../cli/dist", import.meta.url));

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));

describe("the built CLI", () => {
  it("holds its own code, the SDK's and the pure key format only", () => {
    const shipped = files(DIST).map((file) => relative(DIST, file));
    expect(shipped.filter((file) => !file.startsWith("cli/") && !file.startsWith("sdk/src/"))).toEqual(["lib/api-keys/key-format.js"]);
    expect(shipped).toContain("sdk/src/index.js");
  });

  it("imports nothing from lib/contract, and not zod, at run time", () => {
    for (const file of files(DIST)) {
      expect(readFileSync(file, "utf8"), relative(DIST, file)).not.toMatch(/(from|import)\s*\(?\s*"(zod|[^"]*lib\/contract[^"]*)"/);
    }
  });

  it("has no path of the API of its own: every one comes from the SDK's table", () => {
    for (const file of files(join(DIST, "cli"))) {
      expect(readFileSync(file, "utf8"), relative(DIST, file)).not.toMatch(/\/api\/v1/);
    }
  });
});
