// The bench's comparison routes (app/api/bench/*/route.bench.ts) are built only into the
// bench's own build (TT_BENCH_BUILD=1, next.config.ts): the production build the suite serves
// lists none of them, and asking the running app for one finds nothing.
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { api } from "../support/http";

const BENCH_PATHS = ["/api/bench/me-uncounted", "/api/bench/me-uncached", "/api/bench/session-get-claims", "/api/bench/session-get-user"];

describe("bench-only routes are not in the production build", () => {
  it("the build's app-paths manifest lists no /api/bench route", () => {
    // The build the suite serves: `next build` in this checkout writes it to .next.
    const manifest = JSON.parse(readFileSync(join(process.cwd(), ".next", "server", "app-paths-manifest.json"), "utf8")) as Record<string, string>;
    expect(Object.keys(manifest).length).toBeGreaterThan(0);
    expect(Object.keys(manifest).filter((path) => path.startsWith("/api/bench"))).toEqual([]);
  });

  it.each(BENCH_PATHS)("GET %s is a 404", async (path) => {
    const res = await api(path);
    expect(res.status).toBe(404);
  });
});
