#!/usr/bin/env node
// After `tsc -p cli/tsconfig.json` (npm run build:cli): deletes what the CLI must not ship.
// The CLI takes its types from lib/contract with type-only imports, which are erased, but
// tsc still emits every file of its program, the contract's among them. Nothing in the CLI
// loads them; deleting them keeps the rule "the CLI ships no server code" checkable
// (tests/cli/build.test.ts). Plain JavaScript: `npm ci` runs it, on whatever Node runs npm.
import { rmSync } from "node:fs";

rmSync(new URL("../cli/dist/lib/contract", import.meta.url), { recursive: true, force: true });
