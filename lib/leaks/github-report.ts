import "server-only";

import { createHash } from "node:crypto";

import { systemActor } from "@/lib/activity/audit-actor";
import { revokeLeakedKeys } from "@/lib/api-keys/leaks";
import { requestOrigin } from "@/lib/http/request-origin";
import { ApiError, secretScanningReport, validationError } from "@/lib/contract";
import type { Db } from "@/lib/db";

import { verifyGitHubSignature } from "./github-signature";

/**
 * GitHub's secret scanning report: the signature first (nothing else happens for a body
 * that does not verify: 401), then the report's shape (400), then every live key reported
 * is revoked as leaked, with the URL where it was found. The answer labels each token:
 * `true_positive` for a key we issued, `false_positive` for anything else, named by the
 * token's SHA-256 — the key itself is never sent back.
 */
export async function handleGitHubReport(db: Db, headers: Headers, body: string): Promise<Response> {
  if (!(await verifyGitHubSignature(headers, body))) throw new ApiError("unauthorized", "The report's signature does not verify");
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new ApiError("validation_error", "Request body is not valid JSON", [{ path: "body", message: "must be valid JSON" }]);
  }
  const parsed = secretScanningReport.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error, value, "Not a secret scanning report");
  const origin = requestOrigin({ headers });
  const ours = await revokeLeakedKeys(db, parsed.data.map((match) => ({ token: match.token, url: match.url })), {
    by: "leak_report",
    actor: systemActor(origin.ip, origin.userAgent),
  });
  const labels = parsed.data.map((match) => {
    const hash = createHash("sha256").update(match.token, "utf8").digest("hex");
    return { token_hash: hash, token_type: match.type, label: ours.has(hash) ? "true_positive" : "false_positive" };
  });
  return Response.json(labels, { headers: { "cache-control": "no-store" } });
}
