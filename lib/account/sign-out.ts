import "server-only";

import { recordAccountEvent } from "@/lib/activity/account-events";
import { getCurrentSession } from "@/lib/auth/current-user";
import { createClient } from "@/lib/supabase/server";

/**
 * Ends this browser's session (scope local, as GitHub and Stripe do), clears its cookies,
 * and logs the sign-out for the user it belonged to. The cookies go whatever Supabase Auth
 * answers: a browser asking to log out is logged out.
 */
export async function signOutHere(): Promise<void> {
  const session = await getCurrentSession();
  const supabase = await createClient();
  const { error } = await supabase.auth.signOut({ scope: "local" });
  if (session && !error) await recordAccountEvent("auth.signed_out", session.id, { scope: "local" });
}
