import "server-only";

import { hashApiKeyBase64 } from "./key-hash";
import type { VerificationCache } from "./verification-cache";

/**
 * A presented key's row through a verification cache: remembered by the key's SHA-256 —
 * the whole key, never its prefix or any part of it, so two keys that share their first
 * characters are two entries — else `lookup(hash)`. No I/O of its own: the server passes
 * its one cache and the database lookup (./key-verifier.ts), tests a fake clock and a map.
 */
export function lookUpKey<V>(cache: VerificationCache<V>, key: string, lookup: (hash: Buffer) => Promise<V | null>): Promise<V | null> {
  const id = hashApiKeyBase64(key);
  // A row from memory is answered at once: serve() has already handed the request over to
  // a later turn of the event loop (lib/api/serve.ts), which is what made a remembered row
  // cheaper than a round trip to Postgres.
  return cache.get(id, () => lookup(Buffer.from(id, "base64")));
}
