// The security log's filter, from the page's query string (`?key=<id>&from=YYYY-MM-DD&to=YYYY-MM-DD`),
// in the API's terms: key id, `since` (the start of `from`, UTC) and `until` (the end of `to`).
// Pure. Anything malformed is dropped with a message rather than failing the page.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
const validDay = (value: string | undefined) => (value && DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? value : undefined);

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
    until: to ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString() : undefined,
    active: Boolean(keyId || from || to),
    invalid: problems.length ? `Ignored ${problems.join(" and ")}: not a valid value.` : null,
    basePath: (path: string) => (query ? `${path}?${query}` : path),
  };
}
