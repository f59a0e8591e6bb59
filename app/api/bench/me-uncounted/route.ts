import { ok } from "@/lib/api/envelope";
import { withPublic } from "@/lib/api/serve";
import { describePrincipal } from "@/lib/auth/me";
import { resolvePrincipal } from "@/lib/auth/principal";
import { ApiError } from "@/lib/contract";

// GET /api/bench/me-uncounted — benchmark-only: GET /api/v1/me without counting the answer
// for the key's usage (withPublic, not serve), so the bench measures what counting costs a
// busy key (row b against b0). 404 unless the server runs with TT_BENCH_ROUTES=1.
export const GET = withPublic(async (request) => {
  if (process.env.TT_BENCH_ROUTES !== "1") throw new ApiError("not_found", "No such endpoint");
  return ok(describePrincipal(await resolvePrincipal(request)));
});
