import "server-only";

import { env } from "@/lib/env";

import { clientAddress } from "./client-address";
import { clipUserAgent } from "./user-agent";

/**
 * The client's address (as the failed-authentication limit sees it) and user agent. Takes
 * anything with headers: a route's Request, or `{ headers: await headers() }` in a server
 * action (sign-in, sign-out, two-factor changes record their events with it).
 */
export function requestOrigin(request: { headers: { get(name: string): string | null } }): { ip: string | null; userAgent: string | null } {
  const { address } = clientAddress(request.headers, env.TRUSTED_PROXY_HOPS);
  return { ip: address === "unknown" ? null : address, userAgent: clipUserAgent(request.headers.get("user-agent")) };
}
