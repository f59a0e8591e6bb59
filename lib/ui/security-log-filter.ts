// The security log's filter, from the page's query string (`?key=<id>&from=YYYY-MM-DD&to=YYYY-MM-DD`),
// in the API's terms: key id, `since` (the start of `from`, UTC) and `until` (the end of `to`).
// Pure. Anything malformed is dropped with a message rather than failing the page.

import { calendarDay, LATEST_INSTANT } from "@/lib/contract/dates";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
// A real calendar day the API's date-times reach (lib/contract/dates.ts): 2026-02-30 is not
// read as 2 March, and 0000-01-01 never reaches Postgres, which refuses year 0.
const validDay = (value: string | undefined) => calendarDay(value) ?? undefined;

export function securityLogFilter(params: Record<string, string | string[] | undefined>) {
  const rawKey = one(params.key);
  const rawFrom = one(params.from);
  const rawTo = one(params.to);
  const keyId = rawKey && UUID.test(rawKey) ? rawKey : undefined;
  const from = validDay(rawFrom);
  const to = validDay(rawTo);
  const problems = [
    rawKey && !keyId ? "the key" : null,
    rawFrom && !from ? "the From day" : null,
    rawTo && !to ? "the To day" : null,
  ].filter(Boolean);
  const query = new URLSearchParams({ ...(keyId ? { key: keyId } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) }).toString();
  return {
    keyId,
    from,
    to,
    since: from ? `${from}T00:00:00Z` : undefined,
    // The end of `to` (exclusive), or the last instant there is for 9999-12-31.
    until: to ? new Date(Math.min(Date.parse(`${to}T00:00:00Z`) + 86_400_000, Date.parse(LATEST_INSTANT))).toISOString() : undefined,
    active: Boolean(keyId || from || to),
    invalid: problems.length ? `Ignored ${problems.join(" and ")}: not a valid value.` : null,
    basePath: (path: string) => (query ? `${path}?${query}` : path),
  };
}
