#!/usr/bin/env node
// The `tt` command. A committed file rather than the compiled dist/cli/src/index.js itself,
// because npm links a workspace's bin before the workspace is built (`npm ci` builds the CLI
// afterwards, in the root's `prepare`) and links nothing for a file that is not there yet.
import "../dist/cli/src/index.js";
