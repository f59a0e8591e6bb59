// npm test's closing lines (scripts/lib/test-reports.ts): the count summed from every
// runner's report, and each failed test named, from reports shaped as the runners write them.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { summarize } from "../../scripts/lib/test-reports.ts";

const ROOT = "/repo";
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function reports(files: Record<string, unknown>) {
  dir = mkdtempSync(join(tmpdir(), "tt-reports-"));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(body));
}

const vitest = (passed: number, failed: { file: string; name: string }[] = [], crashed?: { file: string; message: string }) => ({
  numPassedTests: passed,
  numFailedTests: failed.length,
  testResults: [
    { name: `${ROOT}/tests/unit/fine.test.ts`, message: "", assertionResults: [{ fullName: "fine works", status: "passed" }] },
    ...failed.map((f) => ({ name: `${ROOT}/${f.file}`, message: "", assertionResults: [{ fullName: f.name, status: "failed" }] })),
    ...(crashed ? [{ name: `${ROOT}/${crashed.file}`, message: crashed.message, assertionResults: [] }] : []),
  ],
});
const playwright = (specs: { title: string; status: string }[]) => ({
  stats: { expected: specs.filter((s) => s.status === "expected").length, flaky: 0, unexpected: specs.filter((s) => s.status === "unexpected").length },
  suites: [{ title: "keys.spec.ts", file: "keys.spec.ts", specs: [], suites: [{ title: "a describe", file: "keys.spec.ts", specs: specs.map((s) => ({ title: s.title, tests: [{ status: s.status }] })) }] }],
});
const fuzz = (failing: string[] = []) => ({ operations: { passed: 50, failed: failing.length }, runs: [{ name: "bearer", failing, problems: [] }] });
const everyLater = (report: unknown) =>
  Object.fromEntries(["vitest-faults.json", "vitest-scale.json", "vitest-scale-cache.json", "vitest-scale-production.json", "vitest-scale-killed.json", "vitest-final.json"].map((f) => [f, report]));

describe("npm test's summary of the runners' reports", () => {
  it("all green: the sum, no names", () => {
    reports({ "vitest.json": vitest(10), ...everyLater(vitest(1)), "playwright.json": playwright([{ title: "creates a key", status: "expected" }]), "fuzz-summary.json": fuzz() });
    expect(summarize(dir, ROOT)).toEqual({ names: [], passed: 10 + 6 + 1 + 50, failed: 0 });
  });

  it("names each failure: a vitest test, a file that crashed, a browser test, a fuzzed operation", () => {
    reports({
      "vitest.json": vitest(10, [{ file: "tests/integration/keys.test.ts", name: "keys > revokes" }], { file: "tests/integration/broken.test.ts", message: "SyntaxError: x\n  at line 2" }),
      ...everyLater(vitest(1)),
      "playwright.json": playwright([
        { title: "creates a key", status: "expected" },
        { title: "rolls a key", status: "unexpected" },
      ]),
      "fuzz-summary.json": fuzz(["PATCH /api/v1/api-keys/{id}"]),
    });
    const summary = summarize(dir, ROOT);
    expect(summary.names).toEqual([
      "tests/integration/keys.test.ts > keys > revokes",
      "tests/integration/broken.test.ts: SyntaxError: x",
      "tests/e2e/keys.spec.ts > rolls a key",
      "fuzz (bearer): PATCH /api/v1/api-keys/{id}",
    ]);
    expect(summary.failed).toBe(1 + 1 + 1);
  });

  it("a runner that wrote no report is a failure, named", () => {
    reports({ "vitest.json": vitest(3), ...everyLater(vitest(1)), "fuzz-summary.json": fuzz() });
    const summary = summarize(dir, ROOT);
    expect(summary.failed).toBe(1);
    expect(summary.names).toEqual(["no report: test-results/playwright.json (its runner did not finish)"]);
  });
});
