// tt activity — the security log (the API's listAuditEvents); tt keys usage <id> — one key's
// requests per day or hour (getApiKeyUsage). In a file of their own, with
// one registration line each in index.ts, so the keys command file stays as it was.
import { InvalidArgumentError, type Command } from "commander";

import type { AuditEvent, KeyUsage } from "../../../sdk/src/index.js";
import type { GlobalOptions } from "../config.js";
import { describeLimits, type Limits } from "../limits.js";
import { connect, pageOptions, parseId, wholeNumber, type PageOptions } from "../context.js";
import { clean, formatDate, out, pageFooter, printJson, table } from "../output.js";

const BLOCKS = "▁▂▃▄▅▆▇█";

/** One character per bucket, scaled to the busiest; a space for none at all. Pure. */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values.map((v) => (v <= 0 || max === 0 ? " " : BLOCKS[Math.min(BLOCKS.length - 1, Math.floor((v / max) * (BLOCKS.length - 1)))])).join("");
}

const failedOf = (b: { client_error: number; server_error: number; refused: number }) => b.client_error + b.server_error + b.refused;

function isoTime(name: string) {
  return (value: string): string => {
    if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) || Number.isNaN(Date.parse(value))) {
      throw new InvalidArgumentError(`${name} must be a date (2026-11-30) or an ISO 8601 time with a zone (2026-11-30T12:00:00Z)`);
    }
    return value.length === 10 ? `${value}T00:00:00Z` : value;
  };
}

function actorOf(e: AuditEvent): string {
  if (e.actor.type === "session") return "you (session)";
  if (e.actor.type === "api_key") return `key ${e.actor.key?.key_prefix ?? "?"}…`;
  if (e.actor.type === "cli_login") return "tt auth login";
  return "tuned tensor";
}

function detailsOf(e: AuditEvent): string {
  const d = e.details;
  const list = (v: unknown) => (Array.isArray(v) ? v.join(",") : String(v));
  if (e.type === "key.renamed") return `"${String(d.from)}" -> "${String(d.to)}"`;
  if (e.type === "key.narrowed") return `${list(d.from)} -> ${list(d.to)}`;
  if (e.type === "key.revoked") return `by ${String(d.by)}`;
  if (e.type === "key.created") return `"${String(d.name)}"`;
  const limits = (v: unknown, none: string) => {
    if (!v || typeof v !== "object") return none;
    const words = describeLimits(v as Limits);
    return `rate ${words.rate}, quota ${words.quota}`;
  };
  if (e.type === "key.limits_changed") return `${limits(d.from, "org default")} -> ${limits(d.to, "org default")}`;
  if (e.type === "service_account.limits_changed") return `"${String(d.name)}": ${limits(d.from, "none")} -> ${limits(d.to, "none")}`;
  if (e.type === "quota.warning" || e.type === "quota.exhausted") {
    return `${d.threshold === 100 ? "all" : `${String(d.threshold)}%`} of ${String(d.limit)}/${String(d.per)}${d.subject === "service_account" ? " (service account)" : ""}`;
  }
  return "";
}

export function registerActivity(program: Command): void {
  pageOptions(
    program
      .command("activity")
      .description("your security log, newest first: keys created, renamed, narrowed, rolled and revoked, and by whom")
      .option("--key <id>", "only the events about this key", parseId)
      .option("--since <time>", "only events at or after this date or time", isoTime("--since"))
      .option("--until <time>", "only events before this date or time", isoTime("--until")),
  ).action(async (_options: unknown, command: Command) =>
    activity(command.optsWithGlobals<GlobalOptions & PageOptions & { key?: string; since?: string; until?: string }>()),
  );
}

/** `tt keys usage <id>`, added to the existing `keys` command. */
export function registerKeyUsage(program: Command): void {
  const keys = program.commands.find((c) => c.name() === "keys");
  if (!keys) throw new Error("tt keys usage: the keys command is not registered");
  keys
    .command("usage")
    .description("a key's requests per day (or hour): successes and failures, a sparkline, last address and user agent")
    .argument("<id>", "the key's ID (see tt keys list)", parseId)
    .option("--days <n>", "how many days back, 1–90 (default 30)", wholeNumber("--days", 90))
    .option("--hourly", "one row per hour instead of per day")
    .option("--json", "print the API's data as JSON (for scripts)")
    .action(async (id: string, _options: unknown, command: Command) =>
      usage(id, command.optsWithGlobals<GlobalOptions & { days?: number; hourly?: boolean; json?: boolean }>()),
    );
}

async function activity(options: GlobalOptions & PageOptions & { key?: string; since?: string; until?: string }): Promise<void> {
  const { client } = await connect(options);
  const page = await client.call("listAuditEvents", {
    query: { page: options.page, per_page: options.perPage, key_id: options.key, since: options.since, until: options.until },
  });
  if (options.json) return printJson(page);
  if (page.data.length === 0) out(page.meta.total === 0 ? "No events." : "No events on this page.");
  else {
    out(
      table(
        [
          { header: "TIME", value: (e: AuditEvent) => formatDate(e.occurred_at) },
          { header: "EVENT", value: (e) => e.type },
          { header: "KEY", value: (e) => (e.key ? `${e.key.key_prefix}…` : "-") },
          { header: "BY", value: actorOf },
          { header: "FROM", value: (e) => e.ip ?? "-" },
          { header: "DETAILS", value: detailsOf, max: 48 },
        ],
        page.data,
      ),
    );
  }
  out();
  out(pageFooter(page.meta, "tt activity"));
}

async function usage(id: string, options: GlobalOptions & { days?: number; hourly?: boolean; json?: boolean }): Promise<void> {
  const { client } = await connect(options);
  const data = await client.call("getApiKeyUsage", { params: { id }, query: { days: options.days, granularity: options.hourly ? "hour" : undefined } });
  if (options.json) return printJson(data);
  const t = data.totals;
  out(`Key ${clean(data.key.key_prefix)}…, last ${data.days} day${data.days === 1 ? "" : "s"}: ${t.success} succeeded, ${failedOf(t)} failed (${t.client_error} 4xx, ${t.server_error} 5xx, ${t.refused} refused)`);
  out(`  ${sparkline(data.buckets.map((b) => b.success + failedOf(b)))}  requests per ${data.granularity}`);
  out(`  last seen ${formatDate(data.last_seen_at, "never")}${data.last_ip ? ` from ${clean(data.last_ip)}` : ""}${data.last_user_agent ? ` (${clean(data.last_user_agent)})` : ""}`);
  out();
  const rows = [...data.buckets].reverse().filter((b) => b.success + failedOf(b) > 0);
  if (rows.length === 0) out("No requests in this window.");
  else
    out(
      table(
        [
          { header: data.granularity === "day" ? "DAY (UTC)" : "HOUR (UTC)", value: (b: KeyUsage["buckets"][number]) => (data.granularity === "day" ? b.start.slice(0, 10) : b.start.slice(0, 13).replace("T", " ") + ":00") },
          { header: "OK", value: (b) => String(b.success) },
          { header: "4XX", value: (b) => String(b.client_error) },
          { header: "5XX", value: (b) => String(b.server_error) },
          { header: "REFUSED", value: (b) => String(b.refused) },
        ],
        rows,
      ),
    );
}
