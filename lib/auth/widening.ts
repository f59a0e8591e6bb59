import "server-only";

import { ApiError } from "@/lib/contract";

import type { Principal } from "./principal";
import { checkSession } from "./session-check";

/**
 * What a change that gives power (raising or removing a usage limit) asks of its caller, as
 * minting a key does: a signed-in session, re-checked with Supabase Auth (with its second factor
 * when the user has one: lib/auth/session-check.ts, "mint"). A key may only narrow: 403 naming the
 * field. Passed to the domain, which calls it inside the transaction once it knows the change widens.
 */
export function wideningCheck(principal: Principal): (field: string) => Promise<void> {
  return async (field) => {
    if (principal.type !== "session") {
      const message = `An API key can only lower ${field}; raising or removing them needs a signed-in session (the dashboard or \`tt\` logged in)`;
      throw new ApiError("forbidden", message, [{ path: field, message: "can only be lowered with an API key" }]);
    }
    await checkSession(principal.session, "mint");
  };
}
