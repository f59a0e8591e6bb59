import "server-only";

import { z } from "zod";

import type { Db } from "@/lib/db";

// A person's own signed-in sessions, for Settings → Account. Supabase Auth has no endpoint
// that lists them for a user, so they are read from its table (auth.sessions) here on the
// server — always by the owner's id, never by a session id alone — and only the fields a
// person needs to recognise one: when it began, when it was last refreshed, the browser and
// the address it signed in from. Ending sessions goes through Supabase Auth (logout scopes).

export const accountSessionOutput = z.object({
  id: z.uuid(),
  created_at: z.date(),
  last_active_at: z.date(),
  user_agent: z.string().nullable(),
  ip: z.string().nullable(),
  current: z.boolean(),
});
export type AccountSession = z.infer<typeof accountSessionOutput>;

const MAX_LISTED = 50;

/** The owner's live sessions, newest first; `currentId` marks the one asking. */
export async function listSessions(db: Db, ownerId: string, currentId: string | null): Promise<AccountSession[]> {
  const rows = await db<{ id: string; created_at: Date; last_active_at: Date; user_agent: string | null; ip: string | null }[]>`
    select s.id, s.created_at, coalesce(s.refreshed_at at time zone 'utc', s.updated_at, s.created_at) as last_active_at,
           s.user_agent, host(s.ip) as ip
    from auth.sessions s
    where s.user_id = ${ownerId}
      and (s.not_after is null or s.not_after > now())
      and exists (select 1 from auth.refresh_tokens r where r.session_id = s.id and r.revoked is not true)
    order by s.created_at desc
    limit ${MAX_LISTED}`;
  return rows.map((r) => accountSessionOutput.parse({ ...r, current: r.id === currentId }));
}
