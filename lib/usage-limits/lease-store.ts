import "server-only";

import type { Db } from "@/lib/db";

import type { GiveBack, LeaseRequest, LeaseResult, LeaseStore } from "./engine";

// The engine's shared store in Postgres (public.usage_limit_windows, one row per counter): one
// statement grants allowance for every counter of a request (public.usage_limit_lease, which
// locks the rows in a fixed order and keeps granted <= limit in each window), one statement
// gives back what an instance did not use. Both are one round trip.

type Row = { o_subject: string; o_kind: string; o_granted: number; o_total: number; o_warned: boolean; o_exhausted: boolean };

export function postgresLeaseStore(db: Db): LeaseStore {
  return {
    async lease(requests: readonly LeaseRequest[], maxFraction: number): Promise<LeaseResult[]> {
      const rows = await db<Row[]>`
        select * from public.usage_limit_lease(
          ${requests.map((r) => r.subjectId)}::uuid[], ${requests.map((r) => r.kind)}::text[],
          ${requests.map((r) => new Date(r.windowStart).toISOString())}::timestamptz[],
          ${requests.map((r) => r.limit)}::int[], ${requests.map((r) => r.want)}::int[], ${maxFraction}::float8)`;
      // The function answers in its locking order: match by counter.
      const byCounter = new Map(rows.map((row) => [`${row.o_subject}|${row.o_kind}`, row]));
      return requests.map((r) => {
        const row = byCounter.get(`${r.subjectId}|${r.kind}`);
        if (!row) return { granted: 0, total: r.limit, crossedWarning: false, crossedExhausted: false };
        return { granted: row.o_granted, total: row.o_total, crossedWarning: row.o_warned, crossedExhausted: row.o_exhausted };
      });
    },
    async giveBack(items: readonly GiveBack[]): Promise<void> {
      await db`
        update public.usage_limit_windows w
        set granted = greatest(0, w.granted - g.amount)
        from (select u.subject_id, u.kind, u.window_start, sum(u.amount)::int as amount
              from unnest(${items.map((i) => i.subjectId)}::uuid[], ${items.map((i) => i.kind)}::text[],
                          ${items.map((i) => new Date(i.windowStart).toISOString())}::timestamptz[], ${items.map((i) => i.amount)}::int[])
                   as u(subject_id, kind, window_start, amount)
              group by 1, 2, 3) g
        where w.subject_id = g.subject_id and w.kind = g.kind and w.window_start = g.window_start`;
    },
  };
}

/** The counters' current windows as the store has them, for a key's usage page. One query. */
export async function readWindows(db: Db, subjects: readonly string[]) {
  if (subjects.length === 0) return [];
  return db<{ subject_id: string; kind: string; window_start: Date; granted: number }[]>`
    select subject_id, kind, window_start, granted from public.usage_limit_windows where subject_id = any(${subjects as string[]}::uuid[])`;
}
