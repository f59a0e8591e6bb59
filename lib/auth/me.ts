import type { z } from "zod";

import { meOutput } from "@/lib/contract/common";

import type { Principal } from "./principal";

export function describePrincipal(principal: Principal): z.output<typeof meOutput> {
  return meOutput.parse({
    user: { id: principal.userId, email: principal.email },
    authentication:
      principal.type === "api_key" ? { method: "api_key", key_id: principal.keyId, key_prefix: principal.keyPrefix } : { method: "session" },
  });
}
