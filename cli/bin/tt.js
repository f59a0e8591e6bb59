#!/usr/bin/env node
// The `tt` command. A committed file rather than the compiled dist/cli/src/index.js itself,
// because npm links a workspace's bin before the workspace is built (`npm ci` builds the CLI
// afterwards, in the root's `prepare`) and links nothing for a file that is not there yet.
// Node's compile cache (in the OS's temporary folder) spares later runs compiling the CLI's
// modules and commander again: a few milliseconds of every start (tt --help, docs/CLI.md).
import module from "node:module";

module.enableCompileCache?.();
await import("../dist/cli/src/index.js");
