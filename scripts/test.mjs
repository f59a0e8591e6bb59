#!/usr/bin/env node
// `npm test`: every test, against real parts.
//   1. dependencies (npm ci when needed) and Debian's Chromium (apt-get when missing);
//   2. the local stack, started only if it is not already up (and stopped at the end
//      only if this run started it);
//   3. a production build of the app, served by `next start` on TT_TEST_PORT (3100);
//   4. vitest (unit + integration), then Playwright, then a short Schemathesis run against
//      the OpenAPI document (scripts/fuzz.mjs --short, about 200 cases); the exit code is
//      non-zero if any failed.
// Extra arguments go to vitest, e.g. `npm test -- tests/unit`.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { LOG_DIR, PUBLISHABLE_KEY, ROOT, SUPABASE_URL } from "./stack/config.mjs";
import { CHROMIUM, checkNode, ensureChromium, ensureNodeModules, nodeEnv } from "./lib/prerequisites.mjs";

const say = (msg) => console.log(`[test] ${msg}`);
const port = Number(process.env.TT_TEST_PORT || 3100);
const appUrl = `http://localhost:${port}`;
const node = (args, opts = {}) => spawnSync(process.execPath, args, { cwd: ROOT, stdio: "inherit", ...opts }).status ?? 1;
const bin = (name) => join(ROOT, "node_modules", name);

async function stackIsUp() {
  const ok = await fetch(`${SUPABASE_URL}/auth/v1/health`, { headers: { apikey: PUBLISHABLE_KEY }, signal: AbortSignal.timeout(2000) })
    .then((r) => r.ok)
    .catch(() => false);
  return ok && node(["scripts/stack.mjs", "status"], { stdio: "ignore" }) === 0;
}

async function waitForApp(server, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) return false;
    const ok = await fetch(`${appUrl}/login`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok).catch(() => false);
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/**
 * Adds up the runners' JSON reports; a missing report counts as one failure. The fuzz run
 * counts one test per operation and credential (10 operations, key and session: 20), an
 * operation with any failure as a failed one: a test here is something that can pass or
 * fail on its own, and one unit for the whole run would let 19 green operations hide
 * behind one red one, while one per generated case (about 200) would drown the other
 * runners' counts.
 */
function summarize() {
  const read = (file) => {
    try {
      return JSON.parse(readFileSync(join(ROOT, "test-results", file), "utf8"));
    } catch {
      return undefined;
    }
  };
  const v = read("vitest.json");
  const p = read("playwright.json");
  const f = read("fuzz-summary.json");
  return {
    passed: (v?.numPassedTests ?? 0) + (p?.stats?.expected ?? 0) + (p?.stats?.flaky ?? 0) + (f?.operations?.passed ?? 0),
    failed: (v ? v.numFailedTests : 1) + (p ? p.stats.unexpected : 1) + (f ? f.operations.failed : 1),
  };
}

let startedStack = false;
let server;
let exitCode = 1;
const started = Date.now();
try {
  checkNode();
  ensureNodeModules(say);
  ensureChromium(say);

  if (await stackIsUp()) {
    say("the local stack is already running; it stays up afterwards");
  } else {
    say("starting the local stack (stopped again at the end)");
    startedStack = true;
    if (node(["scripts/stack.mjs", "up"]) !== 0) throw new Error("the local stack did not start; see above.");
  }

  say("linting (eslint)");
  if (node([bin("eslint/bin/eslint.js"), ".", "--max-warnings=0"]) !== 0) throw new Error("eslint found problems; see above.");

  say("building the app (next build, which also type-checks)");
  if (node([bin("next/dist/bin/next"), "build"], { env: nodeEnv({ NEXT_TELEMETRY_DISABLED: "1" }) }) !== 0) {
    throw new Error("next build failed; see above.");
  }

  say("building the tt CLI (npm run build:cli), which tests/cli runs");
  if (spawnSync("npm", ["run", "build:cli"], { cwd: ROOT, stdio: "inherit" }).status !== 0) throw new Error("building the CLI failed; see above.");

  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = join(LOG_DIR, "next-test.log");
  const fd = openSync(logFile, "w");
  say(`serving it with next start on ${appUrl} (log: ${logFile})`);
  server = spawn(process.execPath, [bin("next/dist/bin/next"), "start", "-p", String(port)], {
    cwd: ROOT,
    env: nodeEnv({ APP_URL: appUrl, NEXT_TELEMETRY_DISABLED: "1" }),
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  if (!(await waitForApp(server, 60_000))) throw new Error(`next start did not answer on ${appUrl}; see ${logFile}.`);

  rmSync(join(ROOT, "test-results"), { recursive: true, force: true });
  const testEnv = nodeEnv({ TT_APP_URL: appUrl, TT_CHROMIUM_PATH: CHROMIUM });
  say("vitest: unit and integration tests");
  const vitest = node(
    [bin("vitest/vitest.mjs"), "run", "--reporter=default", "--reporter=json", "--outputFile.json=test-results/vitest.json", ...process.argv.slice(2)],
    { env: testEnv },
  );
  say("playwright: browser tests");
  const playwright = node([bin("@playwright/test/cli.js"), "test"], { env: testEnv });
  say("schemathesis: the API against its OpenAPI document (short run)");
  const fuzz = node(["scripts/fuzz.mjs", "--short", "--base-url", appUrl], { env: testEnv });
  exitCode = vitest || playwright || fuzz;
  const counts = summarize();
  say(`vitest ${vitest === 0 ? "passed" : "FAILED"}, playwright ${playwright === 0 ? "passed" : "FAILED"}, fuzz ${fuzz === 0 ? "passed" : "FAILED"}`);
  // One closing line in the plain form CI tools read: "N passed, N failed".
  console.log(`tests: ${counts.passed} passed, ${counts.failed} failed`);
  if (counts.passed === 0) exitCode ||= 1;
} catch (e) {
  console.error(`[test] error: ${e.message}`);
} finally {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  }
  if (startedStack) node(["scripts/stack.mjs", "down"]);
  say(`finished in ${Math.round((Date.now() - started) / 1000)} s`);
}
process.exit(exitCode);
