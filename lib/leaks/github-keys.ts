import { createPublicKey, type KeyObject } from "node:crypto";

import { BoundedCache } from "@/lib/bounded-cache";
import { CACHE_CAPS } from "@/lib/cache-caps";

// The public keys GitHub signs secret scanning reports with, fetched from
// GITHUB_SECRET_SCANNING_KEYS_URL (`{"public_keys": [{"key_identifier", "key" (PEM),
// "is_current"}]}`) and cached: each fetch replaces the whole set (a key GitHub no longer
// lists stops verifying), held in the bounded cache so that a response listing more keys
// than GitHub publishes cannot grow it past CACHE_CAPS.gitHubKeys. Pure of env and I/O
// defaults (fetch and the clock are injected) so the back-off is tested without a network
// or waiting; lib/leaks/github-signature.ts makes the app's one instance.
//
// An identifier is fetched for only when it has the documented shape — GitHub's key
// identifiers are hex SHA-256 digests, 64 characters — and only when the last fetch is at
// least `refetchMs` old (a minute by default): GitHub rotates keys rarely and retries a
// report it could not deliver, while each made-up identifier would otherwise be a request
// to GitHub's API, whose limit for unauthenticated clients is low — once spent, a real
// rotation could not be fetched. With a token (`Authorization: Bearer`) the limit is the
// token's, much higher.

/** GitHub's `Github-Public-Key-Identifier`: a SHA-256 in hex. */
export const KEY_ID_PATTERN = /^[0-9a-f]{64}$/i;

export const DEFAULT_REFETCH_MS = 60_000;
const FETCH_TIMEOUT_MS = 5_000;

export type GitHubKeysOptions = {
  url: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string;
  /** The shortest time between two fetches (the first is never held back). */
  refetchMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
  onError?: (message: string) => void;
};

export type GitHubKeys = {
  /** The key `id` names, fetching the list again if it is unknown and the back-off allows; undefined otherwise. */
  keyFor(id: string): Promise<KeyObject | undefined>;
};

export function gitHubKeys(options: GitHubKeysOptions): GitHubKeys {
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const refetchMs = options.refetchMs ?? DEFAULT_REFETCH_MS;
  const keySet = () => new BoundedCache<string, KeyObject>({ maxEntries: CACHE_CAPS.gitHubKeys });
  let cache = keySet();
  let lastFetch: number | null = null;
  let inflight: Promise<void> | null = null;

  async function refresh(): Promise<void> {
    // Counted when it starts: a failing fetch backs off like a successful one.
    lastFetch = now();
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const res = await fetchImpl(options.url, { cache: "no-store", signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers });
    if (!res.ok) throw new Error(`GitHub's public keys: HTTP ${res.status}`);
    const body = (await res.json()) as { public_keys?: { key_identifier?: unknown; key?: unknown }[] };
    const next = keySet();
    for (const entry of body.public_keys ?? []) {
      if (typeof entry.key_identifier !== "string" || typeof entry.key !== "string") continue;
      try {
        next.set(entry.key_identifier, createPublicKey(entry.key));
      } catch {
        // A key we cannot read verifies nothing.
      }
    }
    cache = next;
  }

  return {
    async keyFor(id) {
      if (!KEY_ID_PATTERN.test(id)) return undefined;
      const known = cache.get(id);
      if (known) return known;
      // Requests that arrive while a fetch is running wait for it; otherwise one fetch per window.
      if (!inflight) {
        if (lastFetch !== null && now() - lastFetch < refetchMs) return undefined;
        inflight = refresh().finally(() => (inflight = null));
      }
      try {
        await inflight;
      } catch (error) {
        options.onError?.((error as Error).message);
        return undefined;
      }
      return cache.get(id);
    },
  };
}
