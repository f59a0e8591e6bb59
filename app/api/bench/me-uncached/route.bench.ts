import { after } from "next/server";

import { ok } from "@/lib/api/envelope";
import { withPublic } from "@/lib/api/serve";
import { hashApiKey } from "@/lib/api-keys/key-hash";
import { parseApiKey } from "@/lib/api-keys/key-format";
import { findApiKeyByHash, keyExpired, keySuspended } from "@/lib/api-keys/service";
import { keySeen } from "@/lib/api-keys/usage";
import { assertNotLimited, clientOf } from "@/lib/auth/failure-limiter";
import { describePrincipal } from "@/lib/auth/me";
import { keyPrincipal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/contract";
import { db } from "@/lib/db";

// GET /api/bench/me-uncached — in the bench's build only (next.config.ts, TT_BENCH_BUILD):
// as /api/bench/me-uncounted, but the key's row is read from Postgres on every request, as
// before the verification cache: what the cache saves (row b0 against b5, and the queries per
// request Postgres sees). The same steps as resolvePrincipal's key path (lib/auth/principal.ts)
// with findApiKeyByHash in place of verifyApiKey; only the success path is measured, so every
// refusal is one plain 401.
export const GET = withPublic(async (request) => {
  assertNotLimited(clientOf(request));
  const token = /^\s*bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  const parsed = token ? parseApiKey(token) : null;
  const key = parsed ? await findApiKeyByHash(db, hashApiKey(parsed.key)) : null;
  const now = Date.now();
  if (!key || key.revoked || keySuspended(key, now) || keyExpired(key, now)) throw new ApiError("unauthorized", "Invalid API key");
  const write = keySeen(db, key, now);
  if (write) after(write);
  return ok(describePrincipal(keyPrincipal(key)));
});
