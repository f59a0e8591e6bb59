// Date formatting for the dashboard. Pure; the server formats in UTC (it cannot know the
// reader's time zone), the browser re-formats in local time after hydration
// (components/local-time.tsx).

export type TimeFormat = "date" | "datetime" | "relative";

const DATE: Intl.DateTimeFormatOptions = { year: "numeric", month: "short", day: "numeric" };
const DATETIME: Intl.DateTimeFormatOptions = { ...DATE, hour: "numeric", minute: "2-digit" };

export function formatAbsolute(date: Date, format: "date" | "datetime", timeZone?: string, locale?: string): string {
  const options = { ...(format === "date" ? DATE : DATETIME), ...(timeZone ? { timeZone } : {}) };
  const text = new Intl.DateTimeFormat(locale ?? "en-US", options).format(date);
  return timeZone === "UTC" && format === "datetime" ? `${text} UTC` : text;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["week", 7 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/** "just now", "5 minutes ago", "in 3 days"; past a month, the date itself. */
export function formatRelative(date: Date, now: number, locale?: string): string {
  const diff = date.getTime() - now;
  const abs = Math.abs(diff);
  if (abs < 60_000) return "just now";
  if (abs >= 30 * 86_400_000) return formatAbsolute(date, "date", undefined, locale);
  const rtf = new Intl.RelativeTimeFormat(locale ?? "en-US", { numeric: "auto" });
  for (const [unit, ms] of UNITS) {
    if (abs >= ms) return rtf.format(Math.round(diff / ms), unit);
  }
  return "just now";
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
}
