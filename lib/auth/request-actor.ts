import "server-only";

import { clipUserAgent, type AuditActor } from "@/lib/activity/audit-actor";
import { env } from "@/lib/env";

import { clientAddress } from "./client-address";
import type { Principal } from "./principal";

/**
 * The client's address (as the failed-authentication limit sees it) and user agent. Takes
 * anything with headers: a route's Request, or `{ headers: await headers() }` in a server
 * action (sign-in, sign-out, two-factor changes record their events with it).
 */
export function requestOrigin(request: { headers: { get(name: string): string | null } }): { ip: string | null; userAgent: string | null } {
  const { address } = clientAddress(request.headers, env.TRUSTED_PROXY_HOPS);
  return { ip: address === "unknown" ? null : address, userAgent: clipUserAgent(request.headers.get("user-agent")) };
}

/** Who made this request, for the audit trail: the user by their session, or by which key. */
export function requestActor(principal: Principal, request: Request): AuditActor {
  const origin = requestOrigin(request);
  return principal.type === "api_key"
    ? { type: "api_key", keyId: principal.keyId, keyPrefix: principal.keyPrefix, ...origin }
    : { type: "session", ...origin };
}
