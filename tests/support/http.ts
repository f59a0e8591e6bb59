// The one way the tests call the app over HTTP, and wait for something to become true.
// Every integration, CLI and fault test file uses `api` (or `eventually`) from here.
import { request as httpRequest } from "node:http";

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
  /**
   * Send from this loopback address (127.0.0.x) instead of 127.0.0.1: a client of its own
   * for the app's per-client limits, so a file that sends many requests counts against no
   * other file's. (node:http, which can choose the local address; fetch cannot.)
   */
  from?: string;
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
  if (call.from) return record(method, path, await fromAddress(`${call.base ?? APP_URL}${path}`, method, headers, body, call.from));
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

function record(method: string, path: string, res: { status: number; text: string; headers: Headers }): Res {
  let parsed: Json = {};
  try {
    parsed = JSON.parse(res.text) as Json;
  } catch {
    // Not JSON: the assertions on `body` fail and show `text`.
  }
  if (res.status >= 500) serverErrors.push(`${method} ${path} → ${res.status} ${res.text.slice(0, 300)}`);
  return { ...res, body: parsed };
}

function fromAddress(url: string, method: string, headers: Headers, body: BodyInit | undefined, localAddress: string) {
  return new Promise<{ status: number; text: string; headers: Headers }>((resolve, reject) => {
    const target = new URL(url);
    // An IPv4 local address needs an IPv4 destination (localhost may resolve to ::1).
    if (target.hostname === "localhost") target.hostname = "127.0.0.1";
    // A connection per request (agent: false): Node's global agent keeps sockets alive, and one
    // reused just as the server closes it for being idle (Next's keep-alive timeout, 5 s, easily
    // passed while a file waits out T) fails with "socket hang up" — the request never arrived.
    const req = httpRequest(target, { method, headers: Object.fromEntries(headers), localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const out = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) out.set(name, Array.isArray(value) ? value.join(", ") : value);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), headers: out });
      });
    });
    req.on("error", reject);
    if (typeof body === "string") req.end(body);
    else if (body === undefined) req.end();
    else reject(new Error("`from` sends string bodies only"));
  });
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
