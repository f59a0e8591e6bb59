import type { Me } from "@/lib/contract";

import type { Principal } from "./principal";

// Built from a principal whose fields are typed as the contract's (`satisfies Me` checks
// it at compile time), so the answer is not parsed again on every request.
export function describePrincipal(principal: Principal): Me {
  return {
    user: { id: principal.userId, email: principal.email },
    authentication:
      principal.type === "api_key"
        ? { method: "api_key", key_id: principal.keyId, key_prefix: principal.keyPrefix, scopes: [...principal.scopes], scopes_used: [...principal.scopesUsed] }
        : { method: "session" },
  } satisfies Me;
}
