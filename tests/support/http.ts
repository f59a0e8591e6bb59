// The one way the tests call the app over HTTP, and wait for something to become true.
// Every integration, CLI and fault test file uses `api` (or `eventually`) from here.
import { APP_URL } from "./stack";

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type Res = { status: number; body: Json; text: string; headers: Headers };
export type Call = {
  method?: string;
  /** An API key: sent as `Authorization: Bearer <key>`. */
  key?: string;
  cookie?: string;
  origin?: string;
  /** Sent as JSON, with `Content-Type: application/json` unless `headers` set one. */
  json?: unknown;
  /** A raw body (for what is not JSON, or not valid JSON). */
  body?: BodyInit;
  headers?: HeadersInit;
  /** Another app instance than the suite's own. */
  base?: string;
  signal?: AbortSignal;
};

/** Every 5xx any `api` call of this test file saw, for a file that asserts there were none. */
export const serverErrors: string[] = [];

/** One request; the body parsed as JSON when it is JSON (`{}` otherwise, with `text` kept). */
export async function api(path: string, call: Call = {}): Promise<Res> {
  const headers = new Headers(call.headers);
  if (call.key !== undefined) headers.set("authorization", `Bearer ${call.key}`);
  if (call.cookie) headers.set("cookie", call.cookie);
  if (call.origin) headers.set("origin", call.origin);
  let body = call.body;
  if (call.json !== undefined) {
    body = JSON.stringify(call.json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const method = call.method ?? "GET";
  const res = await fetch(`${call.base ?? APP_URL}${path}`, { method, headers, body, redirect: "manual", signal: call.signal });
  const text = await res.text();
  let parsed: Json = {};
  try {
    parsed = JSON.parse(text) as Json;
  } catch {
    // Not JSON: the assertions on `body` fail and show `text`.
  }
  if (res.status >= 500) serverErrors.push(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/**
 * Awaits a condition instead of sleeping for a guessed time: calls `fn` until `ok` holds
 * for its value (a throw counts as "not yet"), every `everyMs`, failing after `timeoutMs`.
 */
export async function eventually<T>(fn: () => Promise<T>, ok: (value: T) => boolean, { timeoutMs = 20_000, everyMs = 100 } = {}): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await fn().catch(() => undefined);
    if (last !== undefined && ok(last)) return last;
    if (performance.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
