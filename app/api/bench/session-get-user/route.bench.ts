import { ok } from "@/lib/api/envelope";
import { ApiError } from "@/lib/contract";
import { withPublic } from "@/lib/api/serve";
import { createClient } from "@/lib/supabase/server";

// GET /api/bench/session-get-user — in the bench's build only (next.config.ts,
// TT_BENCH_BUILD): session auth the common way, asking the auth server (getUser) on every
// request, to measure what local JWT verification saves. Not part of /api/v1.
export const GET = withPublic(async () => {
  const supabase = await createClient();
  const { data } = await supabase.auth.getUser();
  if (!data.user) throw new ApiError("unauthorized", "Authentication required");
  return ok({ user: { id: data.user.id, email: data.user.email ?? null }, authentication: { method: "session" } });
});
