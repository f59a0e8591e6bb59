import { z } from "zod";

// Before any schema: no eval in the browser (./jitless.ts); a client component may import this module alone.
import "./jitless.ts";

// Every date-time the contract accepts, in one place. zod's ISO 8601 pattern already
// refuses days that do not exist (2026-02-30); on top of it an accepted value is one
// Postgres' timestamptz always takes: a date written from 1970-01-01 to 9999-12-31
// (Postgres refuses year 0), an offset of at most ±14:00 (the real ones; Postgres refuses
// past ±15:59), at most nanoseconds. Written as a pattern, so the OpenAPI document states
// exactly what is accepted. (The instant may fall a few hours outside those days —
// 9999-12-31T23:00:00-14:00 is in the year 10000 —, which Postgres takes; a date-time that
// is stored and answered has its own tighter bound, such as a key's expiry horizon.)

/** The first and last days a date-time (or the security log's filter) may name. */
export const EARLIEST_DAY = "1970-01-01";
export const LATEST_DAY = "9999-12-31";
/** The last instant of LATEST_DAY in UTC: the latest JavaScript writes as an ISO 8601 year of four digits. */
export const LATEST_INSTANT = "9999-12-31T23:59:59.999Z";
const EARLIEST_MS = Date.parse(`${EARLIEST_DAY}T00:00:00Z`);
const LATEST_MS = Date.parse(LATEST_INSTANT);
/** `2026-01-01T00:00:00.123456789+14:00`: the longest accepted form. */
export const MAX_DATETIME_LENGTH = 35;

const WITHIN_REACH = /^(?:19[7-9]\d|[2-9]\d{3})-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))$/;

// One problem, one message: the range is checked only on a well-formed date-time. Every
// zod check honours `when`; the types of string-format checks just do not list it.
const ONLY_WHEN_WELL_FORMED = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 } as object;

/**
 * An ISO 8601 date-time with a time zone (`Z` or an offset), naming a real calendar date
 * from 1970-01-01 to 9999-12-31, an offset within ±14:00, at most nanoseconds.
 * `message`: the whole field's message for a malformed value.
 */
export function isoDateTime(message = "must be an ISO 8601 date-time with a time zone, e.g. 2026-11-30T00:00:00Z") {
  return z.iso
    .datetime({ offset: true, message })
    .max(MAX_DATETIME_LENGTH, { message: "must have at most nanosecond precision" })
    .regex(WITHIN_REACH, {
      message: `must be a date from ${EARLIEST_DAY} to ${LATEST_DAY}, with at most nanoseconds and a time zone offset between -14:00 and +14:00`,
      ...ONLY_WHEN_WELL_FORMED,
    })
    .meta({ format: "date-time" });
}

/** Within EARLIEST_DAY's start and LATEST_INSTANT (ms since the epoch). */
const instantInRange = (ms: number) => Number.isFinite(ms) && ms >= EARLIEST_MS && ms <= LATEST_MS;

/** `YYYY-MM-DD` naming a real calendar day from 1970-01-01 to 9999-12-31; else null. */
export function calendarDay(value: string | undefined): string | null {
  const match = value ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const at = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2026-02-30 over to 2 March and maps years 0–99 onto 1900–1999: only a
  // date that comes back as written is real.
  if (at.getUTCFullYear() !== year || at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day) return null;
  return instantInRange(at.getTime()) ? value! : null;
}
