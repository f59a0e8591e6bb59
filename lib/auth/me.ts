import type { Me } from "@/lib/contract";

import type { Principal } from "./principal";

// Built from a principal whose fields are typed as the contract's (`satisfies Me` checks
// it at compile time), so the answer is not parsed again on every request.
export function describePrincipal(principal: Principal): Me {
  const { organization } = principal;
  return {
    user: principal.userId === null ? null : { id: principal.userId, email: principal.email },
    organization: { id: organization.id, slug: organization.slug, name: organization.name, personal: organization.personal, role: principal.role },
    service_account: principal.serviceAccount,
    authentication:
      principal.type === "api_key"
        ? { method: "api_key", key_id: principal.keyId, key_prefix: principal.keyPrefix, scopes: [...principal.scopes], scopes_used: [...principal.scopesUsed] }
        : { method: "session", scopes: [...principal.scopes] },
  } satisfies Me;
}
