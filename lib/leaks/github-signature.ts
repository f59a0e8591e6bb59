import "server-only";

import { createPublicKey, verify, type KeyObject } from "node:crypto";

import { env } from "@/lib/env";

// GitHub's secret scanning partner program signs each report: `Github-Public-Key-Identifier`
// names one of the keys published at GITHUB_SECRET_SCANNING_KEYS_URL
// (https://api.github.com/meta/public_keys/secret_scanning: `{"public_keys": [{"key_identifier",
// "key" (PEM), "is_current"}]}`), and `Github-Public-Key-Signature` is a base64 ASN.1 DER
// ECDSA signature (P-256, SHA-256) of the exact body. The keys are cached; an identifier we
// do not know fetches them again (GitHub rotates keys), at most once a second, so a stream
// of made-up identifiers cannot turn into a stream of fetches.

export const KEY_ID_HEADER = "github-public-key-identifier";
export const SIGNATURE_HEADER = "github-public-key-signature";

const REFRESH_MIN_MS = 1_000;
const FETCH_TIMEOUT_MS = 5_000;

let cache = new Map<string, KeyObject>();
let fetchedAt = 0;
let inflight: Promise<void> | null = null;

async function refresh(): Promise<void> {
  fetchedAt = Date.now();
  const res = await fetch(env.GITHUB_SECRET_SCANNING_KEYS_URL, { cache: "no-store", signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`GitHub's public keys: HTTP ${res.status}`);
  const body = (await res.json()) as { public_keys?: { key_identifier?: unknown; key?: unknown }[] };
  const next = new Map<string, KeyObject>();
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

async function keyFor(id: string): Promise<KeyObject | undefined> {
  const known = cache.get(id);
  if (known) return known;
  if (Date.now() - fetchedAt < REFRESH_MIN_MS && !inflight) return undefined;
  inflight ??= refresh().finally(() => (inflight = null));
  try {
    await inflight;
  } catch (error) {
    console.error("[secret-scanning] could not fetch GitHub's public keys:", (error as Error).message);
    return undefined;
  }
  return cache.get(id);
}

/** Whether `body` carries a valid signature by one of GitHub's published keys. */
export async function verifyGitHubSignature(headers: Headers, body: string): Promise<boolean> {
  const id = headers.get(KEY_ID_HEADER)?.trim();
  const signature = headers.get(SIGNATURE_HEADER)?.trim();
  if (!id || !signature || id.length > 200 || signature.length > 400 || !/^[A-Za-z0-9+/=]+$/.test(signature)) return false;
  const key = await keyFor(id);
  if (!key) return false;
  try {
    return verify("sha256", Buffer.from(body, "utf8"), { key, dsaEncoding: "der" }, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}
