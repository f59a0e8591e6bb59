import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

import { AUTH_SETTINGS, CACHE_DIR, DATABASE_URL } from "./scripts/stack/config.ts";
import LongestFirstSequencer from "./tests/support/longest-first-sequencer.ts";

const root = fileURLToPath(new URL(".", import.meta.url));
// What auth-server/'s differential test runs against (it imports nothing of this repository
// outside its package): the local stack's Postgres, as its superuser, and its auth settings.
const authTestStack = JSON.stringify({ adminDatabaseUrl: DATABASE_URL, auth: AUTH_SETTINGS, cacheDir: CACHE_DIR });

export default defineConfig({
  resolve: {
    alias: {
      "@/": root,
      // `server-only` throws outside React Server Components by design; unit tests of
      // server modules run in plain Node, where the guard has nothing to protect.
      "server-only": fileURLToPath(new URL("./tests/support/empty-module.ts", import.meta.url)),
    },
  },
  test: {
    // The files measured longest start first in their group (tests/support/longest-first-sequencer.ts).
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts", "auth-server/test/unit/**/*.test.ts"], environment: "node", sequence: { groupOrder: 0 } } },
      {
        extends: true,
        test: {
          name: "integration",
          sequence: { groupOrder: 1 },
          include: ["tests/integration/**/*.test.ts", "auth-server/test/integration/**/*.test.ts"],
          environment: "node",
          // Three files at a time: they mostly wait (T after a change, HTTP), and each looks only
          // at the users, keys and organizations it made (docs/ARCHITECTURE.md, "Tests"). A
          // project whose workers differ from the others' needs a group of its own in a run of
          // several: every project has its groupOrder, the order they go in.
          maxWorkers: 3,
          env: { TT_AUTH_TEST_STACK: authTestStack },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // Stops Postgres and Supabase Auth: run alone, last (scripts/test.ts).
          name: "faults",
          sequence: { groupOrder: 6 },
          include: ["tests/faults/**/*.test.ts"],
          environment: "node",
          testTimeout: 90_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // After everything else: scans logs, reports and the database for leaked keys.
          name: "final",
          sequence: { groupOrder: 7 },
          include: ["tests/final/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // npm run test:scale (scripts/test-scale.ts): against nginx, three standalone
          // instances and PgBouncer, alongside the integration suite run through nginx, in its
          // group and pool (three files at a time).
          name: "scale",
          sequence: { groupOrder: 1 },
          maxWorkers: 3,
          include: ["tests/scale/shared/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // npm run test:scale, between the two phases: the instances restarted with the
          // verification cache's window at 10 s (the failed-auth limit still raised: the
          // races' refusals all come from 127.0.0.1).
          name: "scale-cache",
          sequence: { groupOrder: 4 },
          include: ["tests/scale/cache/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // npm run test:scale, second phase: the instances with the real failed-auth limit;
          // one test kills an instance, so one file at a time.
          name: "scale-production",
          sequence: { groupOrder: 5 },
          include: ["tests/scale/production/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // The built tt CLI (npm run build:cli), spawned against the running app; three files at
          // a time, like the integration suite and in its group (one pool of three workers for
          // both): each runs tt with a home and a config of its own.
          name: "cli",
          sequence: { groupOrder: 1 },
          maxWorkers: 3,
          include: ["tests/cli/**/*.test.ts"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
