import "server-only";

import { hashApiKey } from "./key-hash";
import type { VerificationCache } from "./verification-cache";

/**
 * A presented key's row through a verification cache: remembered by the key's SHA-256 —
 * the whole key, never its prefix or any part of it, so two keys that share their first
 * characters are two entries — else `lookup(hash)`. No I/O of its own: the server passes
 * its one cache and the database lookup (./key-verifier.ts), tests a fake clock and a map.
 */
export function lookUpKey<V>(cache: VerificationCache<V>, key: string, lookup: (hash: Buffer) => Promise<V | null>): Promise<V | null> {
  const hash = hashApiKey(key);
  const id = hash.toString("base64");
  const remembered = cache.has(id);
  const found = cache.get(id, () => lookup(hash));
  // A row from memory is handed over on the event loop's next turn (setImmediate), not at
  // once: answered at once, a request that never waits for I/O runs start to finish alone
  // and costs the app more CPU than one that waits for Postgres; handed over a turn later,
  // the requests that arrived together finish together (docs/BENCHMARKS.md, "The
  // verification cache", has the figures).
  return remembered ? found.then(nextTurn) : found;
}

const nextTurn = <T>(value: T) => new Promise<T>((resolve) => setImmediate(resolve, value));
