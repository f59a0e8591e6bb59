import { ok } from "@/lib/api/envelope";
import { ApiError } from "@/lib/contract";
import { withPublic } from "@/lib/api/serve";
import { getCurrentUser } from "@/lib/auth/current-user";

// GET /api/bench/session-get-claims — benchmark-only: session auth as /api/v1 did it before
// its fast path (a @supabase/ssr server client and getClaims() per request), so the bench
// shows before and after in one run. 404 unless the server runs with TT_BENCH_ROUTES=1.
export const GET = withPublic(async () => {
  if (process.env.TT_BENCH_ROUTES !== "1") throw new ApiError("not_found", "No such endpoint");
  const user = await getCurrentUser();
  if (!user) throw new ApiError("unauthorized", "Authentication required");
  return ok({ user, authentication: { method: "session" } });
});
