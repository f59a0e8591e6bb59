import { z } from "zod";

import type { Principal } from "./principal";

export const meOutput = z.object({
  user: z.object({ id: z.uuid(), email: z.string().nullable() }),
  authentication: z.discriminatedUnion("method", [
    z.object({ method: z.literal("api_key"), key_id: z.uuid(), key_prefix: z.string() }),
    z.object({ method: z.literal("session") }),
  ]),
});

export function describePrincipal(principal: Principal): z.output<typeof meOutput> {
  return meOutput.parse({
    user: { id: principal.userId, email: principal.email },
    authentication:
      principal.type === "api_key" ? { method: "api_key", key_id: principal.keyId, key_prefix: principal.keyPrefix } : { method: "session" },
  });
}
