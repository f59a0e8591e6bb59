// `npm run test:scale`: the production shape on one machine (scripts/scale/cluster.ts) —
// PgBouncer in transaction mode in front of the stack's Postgres, three standalone Next.js
// servers reaching it, nginx in front of them — and the tests that only it can run:
//
//   1. with the failed-authentication limit raised (every suite's deliberate failures come
//      from 127.0.0.1): the integration suite through nginx, beside tests/scale/shared
//      (the revocation race across instances, the load balancer's own answers, PgBouncer);
//   2. the instances restarted with the real settings (AUTH_FAILURE_LIMIT 30):
//      tests/scale/production (the limit through nginx with forged X-Forwarded-For, then
//      one instance killed under load).
//
// Stops everything it started (and the stack, if it started that). Reports in
// test-results/vitest-scale*.json; `npm test` runs this too (with --no-build, after its
// own build) and counts them. Options: --no-build reuses the current build.
import { rmSync } from "node:fs";
import { join } from "node:path";

import { bin, buildApp, ensureStack, node, stopStack } from "./lib/app-server.ts";
import { checkNode } from "./lib/prerequisites.ts";
import { ensureScalePackages, LB_PORT, startScale, type Scale } from "./scale/cluster.ts";
import { ROOT } from "./stack/config.ts";

const say = (msg: string) => console.log(`[scale] ${msg}`);
const args = process.argv.slice(2);
const RAISED = { AUTH_FAILURE_LIMIT: "999999999" };

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

  for (const file of ["vitest-scale.json", "vitest-scale-production.json"]) rmSync(join(ROOT, "test-results", file), { force: true });
  const env = () => ({
    ...process.env,
    TT_APP_URL: cluster!.lbUrl,
    TT_SCALE: JSON.stringify({ lbUrl: cluster!.lbUrl, lbPort: LB_PORT, instances: cluster!.instances.map((i, n) => ({ url: i.url, pid: cluster!.pids().instances[n] })) }),
  });
  const vitest = (projects: string[], report: string) =>
    node([bin("vitest/vitest.mjs"), "run", ...projects.flatMap((p) => ["--project", p]), "--reporter=default", "--reporter=json", `--outputFile.json=test-results/${report}`], { env: env() });

  say("vitest: the integration suite through nginx, and the revocation race across instances");
  const shared = vitest(["integration", "scale"], "vitest-scale.json");
  say("restarting the instances with the real failed-authentication limit (30 a minute)");
  await cluster.restartInstances({});
  say("vitest: the limit through nginx with forged X-Forwarded-For, then an instance killed under load");
  const production = vitest(["scale-production"], "vitest-scale-production.json");
  exitCode = shared || production;
  say(`shared phase ${shared === 0 ? "passed" : "FAILED"}, production phase ${production === 0 ? "passed" : "FAILED"}`);
} catch (e) {
  console.error(`[scale] error: ${(e as Error).message}`);
} finally {
  await cluster?.stop();
  if (startedStack) stopStack();
  say(`finished in ${Math.round((Date.now() - started) / 1000)} s`);
}
process.exit(exitCode);
