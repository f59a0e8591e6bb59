import "server-only";

import { readFile } from "node:fs/promises";
import { join } from "node:path";

// The renderer's browser build, read from node_modules once and served from this origin
// (app/docs/api/scalar.js/route.ts): no CDN. The package does not export the file, so it is
// found by its path; next.config.ts traces it into the standalone build. Its source-map
// comment is dropped: the map is not served.

const PACKAGE_DIR = join(process.cwd(), "node_modules", "@scalar", "api-reference");

/** Read once per process; a failed read is tried again on the next request. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () =>
    (value ??= load().catch((error: unknown) => {
      value = undefined;
      throw error;
    }));
}

/** The script, as served. */
export const scalarScript = once(async () => {
  const text = await readFile(join(PACKAGE_DIR, "dist", "browser", "standalone.js"), "utf8");
  return text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
});

/** The package's version: the page's cache-busting query for the script. */
export const scalarVersion = once(async () => (JSON.parse(await readFile(join(PACKAGE_DIR, "package.json"), "utf8")) as { version: string }).version);
