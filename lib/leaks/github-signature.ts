import "server-only";

import { verify } from "node:crypto";

import { env } from "@/lib/env";

import { gitHubKeys } from "./github-keys";

// GitHub's secret scanning partner program signs each report: `Github-Public-Key-Identifier`
// names one of the keys published at GITHUB_SECRET_SCANNING_KEYS_URL, and
// `Github-Public-Key-Signature` is a base64 ASN.1 DER ECDSA signature (P-256, SHA-256) of
// the exact body. The keys, the identifiers' shape and the back-off on unknown ones:
// lib/leaks/github-keys.ts.

export const KEY_ID_HEADER = "github-public-key-identifier";
export const SIGNATURE_HEADER = "github-public-key-signature";

const keys = gitHubKeys({
  url: env.GITHUB_SECRET_SCANNING_KEYS_URL,
  token: env.GITHUB_TOKEN,
  refetchMs: env.GITHUB_KEYS_REFETCH_MS,
  onError: (message) => console.error("[secret-scanning] could not fetch GitHub's public keys:", message),
});

/** Whether `body` carries a valid signature by one of GitHub's published keys. */
export async function verifyGitHubSignature(headers: Headers, body: string): Promise<boolean> {
  const id = headers.get(KEY_ID_HEADER)?.trim();
  const signature = headers.get(SIGNATURE_HEADER)?.trim();
  if (!id || !signature || signature.length > 400 || !/^[A-Za-z0-9+/=]+$/.test(signature)) return false;
  const key = await keys.keyFor(id);
  if (!key) return false;
  try {
    return verify("sha256", Buffer.from(body, "utf8"), { key, dsaEncoding: "der" }, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}
