// `npm run test:scale`: the production shape on one machine (scripts/scale/cluster.ts) —
// PgBouncer in transaction mode in front of the stack's Postgres, three standalone Next.js
// servers reaching it, nginx in front of them — and the tests that only it can run:
//
//   1. with the failed-authentication limit raised (every suite's deliberate failures come
//      from 127.0.0.1): the integration suite through nginx, beside tests/scale/shared
//      (the revocation race across instances, the load balancer's own answers, PgBouncer);
//   2. the instances restarted with the verification cache's window at 10 s
//      (KEY_CACHE_TTL_MS=10000): tests/scale/cache, the key-change races again, and a ban's
//      window on every instance;
//   3. the instances restarted with the real settings (AUTH_FAILURE_LIMIT 30):
//      tests/scale/production (the limit through nginx with forged X-Forwarded-For, then
//      one instance killed under load, last, as it is not started again).
//
// Stops everything it started (and the stack, if it started that). Reports in
// test-results/vitest-scale*.json; `npm test` runs this too (with --no-build, after its
// own build) and counts them. Options: --no-build reuses the current build; --only FILTER runs
// just the scale tests whose path matches FILTER, in the first phase (for working on one).
import { rmSync } from "node:fs";
import { join } from "node:path";

import { bin, buildApp, ensureCronSecret, ensureStack, node, stopStack } from "./lib/app-server.ts";
import { checkNode } from "./lib/prerequisites.ts";
import { ensureScalePackages, LB_PORT, startScale, type Scale } from "./scale/cluster.ts";
import { ROOT } from "./stack/config.ts";

const say = (msg: string) => console.log(`[scale] ${msg}`);
// One CRON_SECRET for the instances and the test runners (next start refuses the public default).
ensureCronSecret();
const args = process.argv.slice(2);
// T, the verification cache's window: the default, then ten times that while
// tests/scale/cache runs the key-change races again; the production phase has the default.
// Trust policies may name the tests' loopback OIDC issuer (tests/support/oidc-issuer.ts) in every phase.
const RAISED = { AUTH_FAILURE_LIMIT: "999999999", DEVICE_CODE_LIMIT: "999999999", KEY_CACHE_TTL_MS: "1000", OIDC_ALLOW_LOOPBACK_ISSUERS: "1" };
const CACHE_10S = { ...RAISED, KEY_CACHE_TTL_MS: "10000" };
const PRODUCTION = { KEY_CACHE_TTL_MS: "1000", OIDC_ALLOW_LOOPBACK_ISSUERS: "1" };

/** Thrown to skip the remaining phases (--only). */
class Done extends Error {}
let startedStack = false;
let cluster: Scale | undefined;
let exitCode = 1;
const started = Date.now();
try {
  checkNode(say);
  ensureScalePackages(say);
  startedStack = await ensureStack(say);
  if (!args.includes("--no-build")) buildApp(say);
  cluster = await startScale({ say, instanceEnv: RAISED });

  for (const file of ["vitest-scale.json", "vitest-scale-cache.json", "vitest-scale-production.json", "vitest-scale-killed.json"]) rmSync(join(ROOT, "test-results", file), { force: true });
  let keyCacheTtlMs: string = RAISED.KEY_CACHE_TTL_MS;
  const env = () => ({
    ...process.env,
    KEY_CACHE_TTL_MS: keyCacheTtlMs,
    TT_APP_URL: cluster!.lbUrl,
    TT_SCALE: JSON.stringify({ lbUrl: cluster!.lbUrl, lbPort: LB_PORT, instances: cluster!.instances.map((i, n) => ({ url: i.url, pid: cluster!.pids().instances[n] })) }),
  });
  const vitest = (projects: string[], report: string, filters: string[] = []) =>
    node([bin("vitest/vitest.mjs"), "run", ...projects.flatMap((p) => ["--project", p]), "--reporter=default", "--reporter=json", `--outputFile.json=test-results/${report}`, ...filters], { env: env() });

  const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
  if (only !== undefined) {
    say(`vitest: only the scale tests matching ${only}`);
    exitCode = vitest(["scale", "scale-cache", "scale-production"], "vitest-scale.json", [only]);
    throw new Done();
  }
  say("vitest: the integration suite through nginx, and the revocation race across instances");
  const shared = vitest(["integration", "scale"], "vitest-scale.json");
  say("restarting the instances with the verification cache's window at 10 s (KEY_CACHE_TTL_MS=10000)");
  await cluster.restartInstances(CACHE_10S);
  keyCacheTtlMs = CACHE_10S.KEY_CACHE_TTL_MS;
  say("vitest: the key-change races across the instances at T = 10 s, and a ban's window");
  const cache = vitest(["scale-cache"], "vitest-scale-cache.json");
  say("restarting the instances with the real failed-authentication limit (30 a minute)");
  await cluster.restartInstances(PRODUCTION);
  keyCacheTtlMs = PRODUCTION.KEY_CACHE_TTL_MS;
  say("vitest: the limit through nginx with forged X-Forwarded-For, then an instance killed under load");
  // The instance killed last: it is not started again.
  const production = vitest(["scale-production"], "vitest-scale-production.json", ["--exclude", "**/instance-killed.test.ts"]);
  const killed = vitest(["scale-production"], "vitest-scale-killed.json", ["instance-killed"]);
  exitCode = shared || cache || production || killed;
  const word = (ok: boolean) => (ok ? "passed" : "FAILED");
  say(`shared phase ${word(shared === 0)}, races at T = 10 s ${word(cache === 0)}, production phase ${word(production === 0 && killed === 0)}`);
} catch (e) {
  if (!(e instanceof Done)) console.error(`[scale] error: ${(e as Error).message}`);
} finally {
  await cluster?.stop();
  if (startedStack) stopStack();
  say(`finished in ${Math.round((Date.now() - started) / 1000)} s`);
}
process.exit(exitCode);
