// The runners' JSON reports in test-results/ (vitest's, Playwright's, scripts/fuzz.ts'
// summary), added up for npm test's closing line, with each failed test by name.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";

export type VitestReport = {
  numPassedTests: number;
  numFailedTests: number;
  testResults?: { name: string; message?: string; assertionResults?: { fullName: string; status: string }[] }[];
};
export type PlaywrightSuite = { title: string; file?: string; specs?: { title: string; tests?: { status: string }[] }[]; suites?: PlaywrightSuite[] };
export type PlaywrightReport = { stats: { expected: number; flaky: number; unexpected: number }; suites?: PlaywrightSuite[] };
export type FuzzSummary = { operations: { passed: number; failed: number }; runs?: { name: string; failing?: string[]; problems?: string[] }[] };

/** The vitest reports after the first run's, in the order npm test writes them. */
const LATER = ["vitest-faults.json", "vitest-scale.json", "vitest-scale-cache.json", "vitest-scale-production.json", "vitest-scale-killed.json", "vitest-final.json"];

/**
 * Adds up the runners' JSON reports; a missing report counts as one failure. The fuzz run
 * counts one test per operation and credential (17 operations; full key, read-only key and session: 51), an
 * operation with any failure as a failed one: a test here is something that can pass or
 * fail on its own, and one unit for the whole run would let 19 green operations hide
 * behind one red one, while one per generated case (about 200) would drown the other
 * runners' counts.
 */
export function summarize(dir: string, root: string) {
  const read = <T>(file: string): T | undefined => {
    try {
      return JSON.parse(readFileSync(join(dir, file), "utf8")) as T;
    } catch {
      return undefined;
    }
  };
  const v = read<VitestReport>("vitest.json");
  const later = LATER.map((file) => read<VitestReport>(file));
  const p = read<PlaywrightReport>("playwright.json");
  const f = read<FuzzSummary>("fuzz-summary.json");
  // Each failed test by name, so the last lines of a run (often all a CI page keeps) say
  // what failed, not only how many.
  const names: string[] = [];
  const reports: [string, unknown][] = [["vitest.json", v], ...later.map((r, i): [string, unknown] => [LATER[i]!, r]), ["playwright.json", p], ["fuzz-summary.json", f]];
  for (const [file, report] of reports) if (!report) names.push(`no report: test-results/${file} (its runner did not finish)`);
  for (const r of [v, ...later])
    for (const file of r?.testResults ?? []) {
      const failed = (file.assertionResults ?? []).filter((a) => a.status === "failed");
      for (const a of failed) names.push(`${relative(root, file.name)} > ${a.fullName}`);
      if (!failed.length && file.message) names.push(`${relative(root, file.name)}: ${file.message.split("\n")[0]}`);
    }
  const walk = (suite: PlaywrightSuite, file: string) => {
    for (const spec of suite.specs ?? []) if (spec.tests?.some((t) => t.status === "unexpected")) names.push(`${file} > ${spec.title}`);
    for (const inner of suite.suites ?? []) walk(inner, file);
  };
  for (const suite of p?.suites ?? []) walk(suite, `tests/e2e/${suite.file ?? suite.title}`);
  for (const run of f?.runs ?? []) for (const what of [...(run.failing ?? []), ...(run.problems ?? [])]) names.push(`fuzz (${run.name}): ${what}`);
  return {
    names,
    passed:
      (v?.numPassedTests ?? 0) +
      later.reduce((n, r) => n + (r?.numPassedTests ?? 0), 0) +
      (p?.stats?.expected ?? 0) +
      (p?.stats?.flaky ?? 0) +
      (f?.operations?.passed ?? 0),
    failed:
      (v ? v.numFailedTests : 1) + later.reduce((n, r) => n + (r ? r.numFailedTests : 1), 0) + (p ? p.stats.unexpected : 1) + (f ? f.operations.failed : 1),
  };
}
