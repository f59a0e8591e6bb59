#!/usr/bin/env node
// The SDK's build (`npm run build -w sdk`, also `npm run build:sdk` and `npm pack -w sdk`)
// runs this before tsc: it empties sdk/dist, so a module renamed or deleted in sdk/src is
// not shipped from an earlier build (npm pack takes all of dist/).
// Plain JavaScript: `npm ci` runs it, on whatever Node runs npm.
import { rmSync } from "node:fs";

rmSync(new URL("../sdk/dist/", import.meta.url), { recursive: true, force: true });
