import "server-only";

import type { AuditActor } from "@/lib/activity/audit-actor";
import { requestOrigin } from "@/lib/http/request-origin";

import type { Principal } from "./principal";

/** Who made this request, for the audit trail: the user by their session, or by which key. */
export function requestActor(principal: Principal, request: Request): AuditActor {
  const origin = requestOrigin(request);
  return principal.type === "api_key"
    ? { type: "api_key", keyId: principal.keyId, keyPrefix: principal.keyPrefix, ...origin }
    : { type: "session", ...origin };
}
