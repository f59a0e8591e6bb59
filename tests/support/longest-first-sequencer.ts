// The order vitest starts test files in: its own (BaseSequencer: a group after another; in a
// group, project by project in name order — cli before integration —, and then the longest
// first by its cache of durations, or the largest file when it has none, as in a fresh clone),
// with the files measured longest moved to the front of their group. With three workers, a
// long file that starts last decides when the run ends: the contract-edges walkers are a few
// lines each and ran 40 s, so a fresh clone started them after everything else.
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** The longest files (seconds in a run of `npm test` on 2 cores, test-results/vitest.json), longest first. */
export const LONGEST = [
  "tests/cli/device-login.test.ts", // 47
  "tests/integration/contract-edges-organizations.test.ts", // 41
  "tests/integration/contract-edges.test.ts", // 39
  "tests/integration/scopes.test.ts", // 28
  "tests/integration/key-leaks.test.ts", // 24
  "tests/integration/usage-limits.test.ts", // 22
  "tests/cli/orgs.test.ts", // 19
  "tests/integration/auth-rate-limit.test.ts", // 17
  "tests/integration/organizations.test.ts", // 15
];

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = LONGEST.findIndex((path) => file.moduleId.endsWith(`/${path}`));
      return index === -1 ? LONGEST.length : index;
    };
    const group = (file: TestSpecification) => file.project.config.sequence.groupOrder;
    return sorted
      .map((file, position) => ({ file, position }))
      .sort((a, b) => group(a.file) - group(b.file) || rank(a.file) - rank(b.file) || a.position - b.position)
      .map(({ file }) => file);
  }
}
