// `npm test`: every test, against real parts.
//   1. dependencies (npm ci when needed, by scripts/bootstrap.mjs, which also brings Node 24
//      and runs this file with it) and Debian's Chromium (apt-get when missing);
//   2. the local stack, started only if it is not already up (and stopped at the end
//      only if this run started it);
//   3. a production build of the app, served by `next start` on TT_TEST_PORT (3100);
//   4. eslint, then the import rules (dependency-cruiser, `npm run lint:deps`); the tt CLI packed (npm pack -w cli) and installed from its tarball into an
//      empty prefix outside the repository, the SDK packed (npm pack -w sdk); vitest (unit, and cli against that
//      installed tt), then Playwright, then a short Schemathesis
//      run against the OpenAPI document (scripts/fuzz.ts --short, about 200 cases), then
//      the fault-injection tests (vitest project `faults`), alone because they stop
//      services, then `npm run test:scale` (the integration suite and the scale
//      tests through nginx, three standalone instances and PgBouncer), and last a scan of every log, report and table for leaked API keys
//      (project `final`); the exit code is non-zero if any failed.
// Extra arguments go to the first vitest run, which then includes the integration suite,
// e.g. `npm test -- tests/integration/scopes.test.ts`.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { bin, buildApp, ensureCronSecret, ensureStack, node, startApp, stopStack, type App } from "./lib/app-server.ts";
import { installCli, packCli, packSdk } from "./lib/cli-package.ts";
import { CHROMIUM, checkNode, ensureChromium, ensureShells } from "./lib/prerequisites.ts";
import { summarize } from "./lib/test-reports.ts";
import { ROOT } from "./stack/config.ts";

const say = (msg: string) => console.log(`[test] ${msg}`);
// `npm run lint:deps`'s arguments (package.json), so both check the same files.
const DEPS_ARGS = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts["lint:deps"]!.split(" ").slice(1);
const port = Number(process.env.TT_TEST_PORT || 3100);
// One CRON_SECRET for the app, the test runners and the instances they start.
ensureCronSecret();

const KEY_CACHE_TTL_MS = "1000";
let startedStack = false;
let app: App | undefined;
let cliScratch: string | undefined;
let exitCode = 1;
let closing = "";
const started = Date.now();
try {
  checkNode(say);
  ensureChromium(say);
  ensureShells(say);
  startedStack = await ensureStack(say);

  say("linting (eslint)");
  if (node([bin("eslint/bin/eslint.js"), ".", "--max-warnings=0"]) !== 0) throw new Error("eslint found problems; see above.");
  say("checking import directions (dependency-cruiser, .dependency-cruiser.cjs)");
  if (node([bin("dependency-cruiser/bin/dependency-cruiser.mjs"), ...DEPS_ARGS]) !== 0)
    throw new Error("an import runs against the rules of docs/ARCHITECTURE.md (\"Imports\"); see above, or run `npm run lint:deps`.");

  buildApp(say);
  // The CLI tests run against tt as a user installs it: the workspace packed (its prepack
  // builds cli/dist), the tarball installed with npm into an empty prefix outside the
  // repository, where nothing of the repository's node_modules can be reached.
  cliScratch = mkdtempSync(join(tmpdir(), "tt-cli-install-"));
  say("packing the tt CLI (npm pack -w cli, which builds it)");
  const packed = packCli(join(cliScratch, "pack"));
  say(`installing ${packed.tarball} (${packed.size} bytes, ${packed.files.length} files) with npm install -g into ${join(cliScratch, "prefix")}`);
  const installedCli = installCli(packed.tarball, join(cliScratch, "prefix"));
  // The SDK likewise: its build checks its generated types against the contract;
  // tests/integration/sdk.test.ts installs this tarball into an empty project.
  say("packing the SDK (npm pack -w sdk, which builds it and checks its types against lib/contract)");
  const sdk = packSdk(join(cliScratch, "sdk"));

  // Every suite's deliberate failures (bad keys, forged cookies, fuzzing) come from one
  // client, 127.0.0.1, so this shared server's failed-authentication limit is raised out
  // of reach; tests/integration/auth-rate-limit.test.ts starts its own instances with the
  // real default. So is the device-code limit (many tests start a CLI login from that one
  // client); tests/integration/cli-login-limits.test.ts starts an instance with the default.
  // T, the verification cache's window, set for the app and the tests alike (they wait it
  // out after changes they make outside the app): the default, written down. Trust policies may
  // name a loopback issuer (tests/support/oidc-issuer.ts stands in for GitHub's and GitLab's;
  // never on in production: lib/env-schema.ts refuses it with an https APP_URL).
  app = await startApp({
    port,
    name: "next-test",
    env: { AUTH_FAILURE_LIMIT: "999999999", DEVICE_CODE_LIMIT: "999999999", USAGE_FLUSH_MS: "1000", KEY_CACHE_TTL_MS, OIDC_ALLOW_LOOPBACK_ISSUERS: "1" },
    say,
  });

  rmSync(join(ROOT, "test-results"), { recursive: true, force: true });
  const testEnv = { ...process.env, KEY_CACHE_TTL_MS, TT_APP_URL: app.url, TT_CHROMIUM_PATH: CHROMIUM, TT_CLI_BIN: installedCli, TT_CLI_TARBALL: packed.tarball, TT_SDK_TARBALL: sdk.tarball };
  const vitestRun = (projects: string[], report: string) =>
    node(
      [bin("vitest/vitest.mjs"), "run", ...projects.flatMap((p) => ["--project", p]), "--reporter=default", "--reporter=json", `--outputFile.json=test-results/${report}`, ...process.argv.slice(2)],
      { env: testEnv },
    );
  // The integration suite runs once, in test:scale below: through nginx, three standalone
  // instances and PgBouncer, the production shape, where it meets everything it would meet
  // here and PgBouncer's transaction pooling besides (it ran here too, the same files against
  // this one server: three minutes on CI for nothing more). With arguments (`npm test --
  // tests/integration/scopes.test.ts`) it runs here too, so they mean what they say.
  const projects = process.argv.length > 2 ? ["unit", "integration", "cli"] : ["unit", "cli"];
  say(`vitest: ${projects.join(", ")} (the CLI's tests against the installed tt)`);
  const vitest = vitestRun(projects, "vitest.json");
  say("playwright: browser tests");
  const playwright = node([bin("@playwright/test/cli.js"), "test"], { env: testEnv });
  say("schemathesis: the API against its OpenAPI document (short run)");
  const fuzz = node(["scripts/fuzz.ts", "--short", "--base-url", app.url], { env: testEnv });
  // Last and alone: these stop Postgres and Supabase Auth (and start them again).
  say("vitest: fault injection (stops and restarts stack services)");
  const faults = vitestRun(["faults"], "vitest-faults.json");
  // The production shape: PgBouncer, three standalone instances, nginx (scripts/test-scale.ts,
  // about 4 minutes; the same build). Before the secrets scan, which reads its logs too.
  say("test:scale: the integration suite and the scale tests through nginx, three instances, PgBouncer");
  const scale = node(["scripts/test-scale.ts", "--no-build"], { env: testEnv });
  say("vitest: no full API key in any log, report or table");
  const final = vitestRun(["final"], "vitest-final.json");
  exitCode = vitest || playwright || fuzz || faults || scale || final;
  const counts = summarize(join(ROOT, "test-results"), ROOT);
  const word = (code: number) => (code === 0 ? "passed" : "FAILED");
  say(`vitest ${word(vitest)}, playwright ${word(playwright)}, fuzz ${word(fuzz)}, faults ${word(faults)}, scale ${word(scale)}, secrets ${word(final)}`);
  for (const name of counts.names) say(`failed: ${name}`);
  closing = `${counts.passed} passed, ${counts.failed} failed`;
  if (counts.passed === 0) exitCode ||= 1;
} catch (e) {
  console.error(`[test] error: ${(e as Error).message}`);
} finally {
  await app?.stop();
  if (startedStack) stopStack();
  if (cliScratch) rmSync(cliScratch, { recursive: true, force: true });
  say(`finished in ${Math.round((Date.now() - started) / 1000)} s`);
}
// The very last line, in the plain form CI tools read ("N passed, N failed", alone on its
// line, nothing before it): a reader that looks only at the closing line must find the
// count there, not a "stopped Postgres". Two landings whose closing line was
// "tests: N passed, N failed" were read as having run no test, so not even a label.
if (closing) console.log(closing);
process.exit(exitCode);
