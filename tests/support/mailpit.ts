// Reading the local stack's mail the way a person would: through Mailpit's HTTP API, never
// a mock mailer. Each test uses its own fresh address, so tests running side by side never
// read each other's mail.
import { LOCAL } from "../../lib/local-defaults.ts";

export const MAILPIT_URL = process.env.TT_MAILPIT_URL ?? `http://${LOCAL.host}:${LOCAL.mailWebPort}`;

export type MailSummary = { ID: string; Subject: string; Created: string; To: { Address: string }[] };
export type Mail = { ID: string; Subject: string; Text: string; HTML: string; From: { Address: string; Name: string }; To: { Address: string }[]; Date: string };

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${MAILPIT_URL}${path}`, { ...init, signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`Mailpit ${init?.method ?? "GET"} ${path}: ${res.status}`);
  return (await res.json()) as T;
}

/** Every message sent to `address`, newest first (summaries). */
export async function inbox(address: string): Promise<MailSummary[]> {
  const query = encodeURIComponent(`to:"${address}"`);
  const body = await json<{ messages: MailSummary[] }>(`/api/v1/search?query=${query}&limit=200`);
  return body.messages;
}

/** One whole message: text, HTML, headers. */
export function readMail(id: string): Promise<Mail> {
  return json<Mail>(`/api/v1/message/${encodeURIComponent(id)}`);
}

/**
 * Waits (polling, at most `timeoutMs`) until `address` has `count` messages matching
 * `subject`, and returns the newest one in full. Mail delivery is asynchronous in
 * Supabase Auth and in the app, so a test waits for it rather than sleeping.
 */
export async function waitForMail(
  address: string,
  { subject, count = 1, timeoutMs = 10_000 }: { subject?: RegExp; count?: number; timeoutMs?: number } = {},
): Promise<Mail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const matching = (await inbox(address)).filter((m) => !subject || subject.test(m.Subject));
    if (matching.length >= count) return readMail(matching[0]!.ID);
    if (Date.now() > deadline) {
      throw new Error(`no${count > 1 ? ` ${count}th` : ""} mail${subject ? ` matching ${subject}` : ""} to ${address} within ${timeoutMs} ms (has ${matching.length})`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The http(s) links in a message's text part, in order (HTML entities undone). */
export function linksIn(mail: Pick<Mail, "Text" | "HTML">): string[] {
  const source = mail.Text || mail.HTML;
  return [...source.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0].replaceAll("&amp;", "&"));
}
