import "server-only";

import { headers } from "next/headers";

import { clientAddress } from "@/lib/http/client-address";
import { assertNotLimited, recordFailure } from "@/lib/auth/failure-limiter";
import { env } from "@/lib/env";

// The account forms call Supabase Auth from this server, so Supabase Auth's per-address limits
// see one client: the app. Each visitor is therefore counted here too, in the same limiter
// as failed API authentications (AUTH_FAILURE_LIMIT a minute per client): a failed log-in
// counts, and so does every request that sends mail (sign-up, reset, e-mail change), so one
// visitor cannot spray mail at many addresses faster than that.

export async function visitor(): Promise<string> {
  return `ip:${clientAddress(await headers(), env.TRUSTED_PROXY_HOPS).address}`;
}

/** True when the visitor is over the limit this minute. */
export function overLimit(client: string): boolean {
  try {
    assertNotLimited(client);
    return false;
  } catch {
    return true;
  }
}

export const countAttempt = (client: string) => recordFailure(client);

export const TOO_MANY = "Too many attempts. Wait a minute, then try again.";
