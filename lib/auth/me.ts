import { meOutput, type Me } from "@/lib/contract";

import type { Principal } from "./principal";

export function describePrincipal(principal: Principal): Me {
  return meOutput.parse({
    user: { id: principal.userId, email: principal.email },
    authentication:
      principal.type === "api_key"
        ? { method: "api_key", key_id: principal.keyId, key_prefix: principal.keyPrefix, scopes: [...principal.scopes], scopes_used: [...principal.scopesUsed] }
        : { method: "session" },
  } satisfies Me);
}
