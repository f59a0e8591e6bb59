import { z } from "zod";

// Every date-time the contract accepts, in one place. zod's ISO 8601 pattern already
// refuses days that do not exist (2026-02-30); on top of it an accepted value must be one
// Postgres' timestamptz takes and JavaScript writes back in the same form: an instant from
// 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z (Postgres refuses year 0, and a year past
// 9999 reads back from JavaScript as "+010000-…", which is no ISO 8601 date-time the
// contract answers), an offset of at most ±14:00 (the real ones; Postgres refuses past
// ±15:59), and at most nanosecond precision (a string of bounded length).

/** The earliest instant any date-time field accepts. */
export const EARLIEST_INSTANT = "1970-01-01T00:00:00.000Z";
/** The latest instant any date-time field accepts. */
export const LATEST_INSTANT = "9999-12-31T23:59:59.999Z";
const EARLIEST_MS = Date.parse(EARLIEST_INSTANT);
const LATEST_MS = Date.parse(LATEST_INSTANT);
/** `2026-01-01T00:00:00.123456789+14:00`: the longest accepted form. */
export const MAX_DATETIME_LENGTH = 35;

const OFFSET = /([+-])(\d\d):(\d\d)$/;
const offsetWithinReach = (value: string) => {
  const match = OFFSET.exec(value);
  if (!match) return true; // Z
  return Number(match[2]) * 60 + Number(match[3]) <= 14 * 60;
};

/** An instant (ms since the epoch) a date-time field accepts. */
export const instantInRange = (ms: number) => Number.isFinite(ms) && ms >= EARLIEST_MS && ms <= LATEST_MS;

/**
 * An ISO 8601 date-time with a time zone (`Z` or an offset), naming a real calendar date,
 * within EARLIEST_INSTANT–LATEST_INSTANT. `message`: the whole field's message for a malformed value.
 */
export function isoDateTime(message = "must be an ISO 8601 date-time with a time zone, e.g. 2026-11-30T00:00:00Z") {
  // One problem, one message: the range is checked only on a well-formed date-time.
  const wellFormed = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };
  return z.iso
    .datetime({ offset: true, message })
    .max(MAX_DATETIME_LENGTH, { message: "must have at most nanosecond precision" })
    .refine((value) => !/\.\d{10}/.test(value), { message: "must have at most nanosecond precision", ...wellFormed })
    .refine(offsetWithinReach, { message: "must have a time zone offset between -14:00 and +14:00", ...wellFormed })
    .refine((value) => instantInRange(Date.parse(value)), { message: `must be between ${EARLIEST_INSTANT} and ${LATEST_INSTANT}`, ...wellFormed });
}

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
