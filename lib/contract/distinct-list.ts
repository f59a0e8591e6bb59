import type { z } from "zod";

// Before any schema: no eval in the browser (./jitless.ts); a client component may import this module alone.
import "./jitless.ts";

/**
 * A list whose items may each appear once: a repeat is refused in words ("must not name a
 * role twice"), and the OpenAPI document says `uniqueItems: true`, so what the document calls
 * valid is what the API accepts (a client, or a generator such as Schemathesis, sends no list
 * with a repeat).
 */
export function distinctList<T extends z.ZodArray<z.ZodType>>(list: T, noun: string): T {
  return list.refine((items) => new Set(items).size === items.length, { message: `must not name ${noun} twice` }).meta({ uniqueItems: true });
}
