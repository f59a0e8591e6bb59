import { ok } from "@/lib/api/envelope";
import { withPublic } from "@/lib/api/serve";
import { hashApiKey } from "@/lib/api-keys/key-hash";
import { findApiKeyByHash } from "@/lib/api-keys/service";
import { describePrincipal } from "@/lib/auth/me";
import { resolvePrincipal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/contract";

// GET /api/bench/me-uncached — benchmark-only: as /api/bench/me-uncounted, but the key's row
// is read from Postgres on every request, as before the verification cache: what the
// cache saves (row b0 against b5, and the queries per request Postgres sees). 404 unless
// the server runs with TT_BENCH_ROUTES=1.
export const GET = withPublic(async (request) => {
  if (process.env.TT_BENCH_ROUTES !== "1") throw new ApiError("not_found", "No such endpoint");
  return ok(describePrincipal(await resolvePrincipal(request, (db, key) => findApiKeyByHash(db, hashApiKey(key)))));
});
