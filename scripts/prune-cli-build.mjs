#!/usr/bin/env node
// The tt CLI's build (`npm run build -w cli`, also `npm run build:cli` and `npm pack -w cli`)
// runs this twice around `tsc -p cli/tsconfig.json`:
//   --clean  before: empties cli/dist, so a module renamed or deleted in cli/src is not
//            shipped from an earlier build (npm pack takes all of dist/);
//   (none)   after: deletes what the CLI must not ship. The CLI takes its types from
//            lib/contract with type-only imports, which are erased, but tsc still emits
//            every file of its program, the contract's among them. Nothing in the CLI loads
//            them; deleting them keeps the rule "the CLI ships no server code" checkable
//            (tests/cli/build.test.ts, tests/cli/package.test.ts).
// Plain JavaScript: `npm ci` runs it, on whatever Node runs npm.
import { rmSync } from "node:fs";

const dist = new URL("../cli/dist/", import.meta.url);
rmSync(process.argv.includes("--clean") ? dist : new URL("lib/contract", dist), { recursive: true, force: true });
