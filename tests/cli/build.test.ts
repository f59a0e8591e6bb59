// The built CLI ships no server code: its types come from lib/contract through type-only
// imports, and nothing of the contract (or any other lib/ module but the pure key format)
// is in cli/dist or loaded by it.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

const DIST = fileURLToPath(new URL("../../cli/dist", import.meta.url));

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));

describe("the built CLI", () => {
  it("holds its own code and the pure key format only", () => {
    const shipped = files(DIST).map((file) => relative(DIST, file));
    expect(shipped.filter((file) => !file.startsWith("cli/"))).toEqual(["lib/api-keys/key-format.js"]);
  });

  it("imports nothing from lib/contract at run time", () => {
    for (const file of files(DIST)) {
      expect(readFileSync(file, "utf8"), relative(DIST, file)).not.toMatch(/lib\/contract/);
    }
  });
});
