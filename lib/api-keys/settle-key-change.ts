import "server-only";

import { setTimeout as sleep } from "node:timers/promises";

import { env } from "@/lib/env";

import { waitOut } from "./verification-cache";

/**
 * Called by every change that takes power away from a key (revoke, narrow, a roll whose
 * grace ends within T, a leak report), after it has committed and before it answers:
 * waits T (KEY_CACHE_TTL_MS), so that every row of the key that any instance read before
 * the commit has run out of the verification cache (lib/api-keys/key-verifier.ts) by the
 * time the answer leaves. From then on, every request with the key sees the change.
 */
export function settleKeyChange(): Promise<void> {
  return waitOut(env.KEY_CACHE_TTL_MS, () => performance.now(), (ms) => sleep(ms));
}
