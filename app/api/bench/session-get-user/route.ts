import { ok } from "@/lib/api/envelope";
import { ApiError } from "@/lib/contract";
import { withPublic } from "@/lib/api/serve";
import { createClient } from "@/lib/supabase/server";

// GET /api/bench/session-get-user — benchmark-only: session auth the common way, asking the
// auth server (getUser) on every request, to measure what local JWT verification saves.
// Answers 404 unless the server was started with TT_BENCH_ROUTES=1 (scripts/bench.ts);
// it is not part of /api/v1 and never on the production path.
export const GET = withPublic(async () => {
  if (process.env.TT_BENCH_ROUTES !== "1") throw new ApiError("not_found", "No such endpoint");
  const supabase = await createClient();
  const { data } = await supabase.auth.getUser();
  if (!data.user) throw new ApiError("unauthorized", "Authentication required");
  return ok({ user: { id: data.user.id, email: data.user.email ?? null }, authentication: { method: "session" } });
});
