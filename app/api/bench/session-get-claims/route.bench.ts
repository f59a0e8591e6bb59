import { ok } from "@/lib/api/envelope";
import { ApiError } from "@/lib/contract";
import { withPublic } from "@/lib/api/serve";
import { getCurrentUser } from "@/lib/auth/current-user";

// GET /api/bench/session-get-claims — in the bench's build only (next.config.ts,
// TT_BENCH_BUILD): session auth as /api/v1 did it before its fast path (a @supabase/ssr
// server client and getClaims() per request), so the bench shows before and after in one run.
export const GET = withPublic(async () => {
  const user = await getCurrentUser();
  if (!user) throw new ApiError("unauthorized", "Authentication required");
  return ok({ user, authentication: { method: "session" } });
});
