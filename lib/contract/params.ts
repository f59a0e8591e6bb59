import { z } from "zod";

// Before any schema: no eval in the browser (./jitless.ts); a client component may import this module alone.
import "./jitless.ts";

// Path parameters of the `/:id` routes. Pure, so the OpenAPI document can use it too.
// z.guid(), not z.uuid(): any well-formed 8-4-4-4-12 id is a lookup that finds nothing
// (404), not a malformed request; only a string that cannot be an id is a 400.
export const idParam = z.object({ id: z.guid({ message: "must be a UUID" }) });
