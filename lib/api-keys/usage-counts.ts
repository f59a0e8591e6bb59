import "server-only";

import type { UsageCounts } from "@/lib/contract";
import { COUNTER_CAPS } from "@/lib/cache-caps";
import type { Db } from "@/lib/db";

// Requests per key per hour by outcome, with the last address and user agent seen: counted
// in memory on the request path (a Map increment, no I/O) and added to public.api_key_usage
// by one statement per instance per flush (USAGE_FLUSH_MS, a minute) — never a write per
// request. This is the once-a-minute cadence of `last_used_at` (usage.ts), but a flush of
// its own: that write is skipped when another instance wrote the key this minute, which is
// right for a timestamp and wrong for counts, which must all arrive. Each instance adds its
// own counts (`on conflict … do update set n = n + excluded.n`), so several instances add
// up exactly. What an instance counted since its last flush is lost if it is killed before
// the next one: at most one flush interval of its counts (docs/ARCHITECTURE.md). A flush
// that fails keeps its counts for the next one.

export type Outcome = keyof UsageCounts;

/**
 * 2xx success, 401/403 the key refused, other 4xx, 5xx; nothing else is answered by /api/v1 with a
 * key. (A 429 of a usage limit is `limited`: countKeyResponse is told so.)
 */
export function outcomeOf(status: number): Outcome {
  if (status === 401 || status === 403) return "refused";
  if (status >= 500) return "server_error";
  if (status >= 400) return "client_error";
  return "success";
}

export const HOUR_MS = 3_600_000;

type Entry = UsageCounts & { keyId: string; hour: number; lastSeenAt: number; lastIp: string | null; lastUserAgent: string | null };

// A counter, not a cache (docs/ARCHITECTURE.md, "In-process state"): an entry may only go
// once it has been added to Postgres, so at COUNTER_CAPS.keyUsageCounts distinct key-hours
// the flush is brought forward instead of anything being forgotten.
type Counter = { entries: Map<string, Entry>; timer?: ReturnType<typeof setInterval>; flushing?: Promise<void> };
// On globalThis, like the pool: one counter per process, whatever re-evaluates modules.
const globalForUsage = globalThis as typeof globalThis & { __ttUsage?: Counter };
const counter: Counter = (globalForUsage.__ttUsage ??= { entries: new Map() });

// The entry counted last, so that a busy key's requests find it without building its id
// (a string with the hour in it) and hashing that again each time.
let last: { keyId: string; hour: number; id: string; entry: Entry } | undefined;

/**
 * Counts the answer to a request made with the key `keyId` (the caller passes only a key
 * that was found, refused or not). `ip` and `userAgent` are the request's; the flush starts
 * on first use.
 */
export function countKeyResponse(
  db: Db,
  flushMs: number,
  keyId: string,
  status: number,
  origin: () => { ip: string | null; userAgent: string | null },
  now = Date.now(),
  limited = false,
): void {
  const hour = now - (now % HOUR_MS);
  let entry: Entry | undefined;
  let id: string;
  if (last && last.keyId === keyId && last.hour === hour && counter.entries.get(last.id) === last.entry) {
    entry = last.entry;
    id = last.id;
  } else {
    id = `${keyId}|${hour}`;
    entry = counter.entries.get(id);
  }
  if (!entry) {
    entry = { keyId, hour, success: 0, client_error: 0, server_error: 0, refused: 0, limited: 0, lastSeenAt: now, lastIp: null, lastUserAgent: null };
    counter.entries.set(id, entry);
  }
  if (last?.entry !== entry) last = { keyId, hour, id, entry };
  entry[limited && status === 429 ? "limited" : outcomeOf(status)] += 1;
  const { ip, userAgent } = origin();
  entry.lastSeenAt = now;
  entry.lastIp = ip;
  entry.lastUserAgent = userAgent;
  if (!counter.timer) {
    counter.timer = setInterval(() => void flushUsageCounts(db), flushMs);
    counter.timer.unref?.();
  }
  if (counter.entries.size >= COUNTER_CAPS.keyUsageCounts) void flushUsageCounts(db);
}

/** Adds everything counted since the last flush in one statement. One flush at a time. */
export function flushUsageCounts(db: Db): Promise<void> {
  counter.flushing ??= writeCounts(db).finally(() => (counter.flushing = undefined));
  return counter.flushing;
}

async function writeCounts(db: Db): Promise<void> {
  if (counter.entries.size === 0) return;
  // Take what is there; requests counted meanwhile start a fresh map.
  const batch = [...counter.entries.values()];
  counter.entries = new Map();
  try {
    await db`
      insert into public.api_key_usage as u
        (key_id, organization_id, user_id, hour, success, client_error, server_error, refused, limited, last_seen_at, last_ip, last_user_agent)
      select v.key_id, k.organization_id, k.user_id, v.hour, v.success, v.client_error, v.server_error, v.refused, v.limited, v.last_seen_at, nullif(v.last_ip, ''), nullif(v.last_user_agent, '')
      from unnest(${batch.map((e) => e.keyId)}::uuid[], ${batch.map((e) => new Date(e.hour).toISOString())}::timestamptz[],
                  ${batch.map((e) => e.success)}::int[], ${batch.map((e) => e.client_error)}::int[],
                  ${batch.map((e) => e.server_error)}::int[], ${batch.map((e) => e.refused)}::int[], ${batch.map((e) => e.limited)}::int[],
                  ${batch.map((e) => new Date(e.lastSeenAt).toISOString())}::timestamptz[],
                  ${batch.map((e) => e.lastIp ?? "")}::text[], ${batch.map((e) => e.lastUserAgent ?? "")}::text[])
           as v(key_id, hour, success, client_error, server_error, refused, limited, last_seen_at, last_ip, last_user_agent)
      -- a key deleted meanwhile (its owner's account was) has nowhere to go
      join public.api_keys k on k.id = v.key_id
      on conflict (key_id, hour) do update set
        success = u.success + excluded.success,
        client_error = u.client_error + excluded.client_error,
        server_error = u.server_error + excluded.server_error,
        refused = u.refused + excluded.refused,
        limited = u.limited + excluded.limited,
        last_seen_at = greatest(u.last_seen_at, excluded.last_seen_at),
        last_ip = case when excluded.last_seen_at >= u.last_seen_at then nullif(excluded.last_ip, '') else u.last_ip end,
        last_user_agent = case when excluded.last_seen_at >= u.last_seen_at then nullif(excluded.last_user_agent, '') else u.last_user_agent end`;
  } catch (error) {
    console.error("[api] writing API key usage failed; keeping the counts for the next flush:", error);
    for (const e of batch) {
      const id = `${e.keyId}|${e.hour}`;
      const now = counter.entries.get(id);
      if (!now) counter.entries.set(id, e);
      else {
        for (const outcome of ["success", "client_error", "server_error", "refused", "limited"] as const) now[outcome] += e[outcome];
      }
    }
  }
}
