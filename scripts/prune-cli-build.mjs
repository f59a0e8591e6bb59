#!/usr/bin/env node
// The tt CLI's build (`npm run build -w cli`, also `npm run build:cli` and `npm pack -w cli`)
// runs this twice around `tsc -p cli/tsconfig.json`:
//   --clean  before: empties cli/dist, so a module renamed or deleted in cli/src is not
//            shipped from an earlier build (npm pack takes all of dist/);
//   (none)   after: deletes what the CLI must not ship. The CLI is built with the SDK's
//            sources (sdk/src), and its program holds the SDK's compile-time check against
//            the contract (sdk/check/contract-types.ts), whose type-only imports bring
//            lib/contract's files in: tsc emits them all, nothing in the CLI loads the check
//            or the contract, and deleting them keeps the rule "the CLI ships no server code"
//            checkable (tests/cli/build.test.ts, tests/cli/package.test.ts).
// Plain JavaScript: `npm ci` runs it, on whatever Node runs npm.
import { rmSync } from "node:fs";

const dist = new URL("../cli/dist/", import.meta.url);
if (process.argv.includes("--clean")) rmSync(dist, { recursive: true, force: true });
else for (const path of ["lib/contract", "sdk/check"]) rmSync(new URL(path, dist), { recursive: true, force: true });
