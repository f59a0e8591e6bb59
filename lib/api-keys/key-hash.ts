import "server-only";

import { createHash, hash } from "node:crypto";

// SHA-256, not a password hash: keys carry 256 bits of randomness, so there is nothing
// for a slow hash to protect against, and it would cost every request its latency.
export function hashApiKey(key: string): Buffer {
  return createHash("sha256").update(key, "utf8").digest();
}

/** The same hash in base64, in one call (no Hash object): the verification cache's id for a key. */
export function hashApiKeyBase64(key: string): string {
  return hash("sha256", key, "base64");
}
