import { ok } from "@/lib/api/envelope";
import { withPublic } from "@/lib/api/serve";
import { describePrincipal } from "@/lib/auth/me";
import { resolvePrincipal } from "@/lib/auth/principal";

// GET /api/bench/me-uncounted — in the bench's build only (next.config.ts, TT_BENCH_BUILD):
// GET /api/v1/me without counting the answer for the key's usage (withPublic, not serve), so
// the bench measures what counting costs a busy key (row b against b0).
export const GET = withPublic(async (request) => ok(describePrincipal(await resolvePrincipal(request))));
