import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, Server, ServerResponse } from "node:http";

// TRACE is a method the Fetch standard forbids: `new Request(url, { method:
// "TRACE" })` throws, and Next builds a Request for every page, proxy and route handler, so
// without this a TRACE to any path is a 500 with a stack trace in the log. nginx answers 405
// in the production shape; `next start`, `next dev` or a container without it do not. This
// answers them 405 in the API's envelope before Next sees them, wherever the app runs.
// The other forbidden methods never reach a 'request' listener: Node hands CONNECT to
// 'connect' (and closes the socket when nobody listens), and its parser answers TRACK 400.

/** Methods undici's Request refuses that reach Next. */
export const UNSUPPORTED_METHODS: ReadonlySet<string> = new Set(["TRACE"]);

const ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

type Listener = (request: IncomingMessage, response: ServerResponse) => void;

export function refuseUnsupportedMethod(request: IncomingMessage, response: ServerResponse): boolean {
  if (!UNSUPPORTED_METHODS.has((request.method ?? "").toUpperCase())) return false;
  const body = JSON.stringify({ error: { code: "method_not_allowed", message: `Method ${request.method} is not allowed` } });
  response.writeHead(405, {
    allow: ALLOW,
    "content-type": "application/json",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "content-length": Buffer.byteLength(body),
  });
  response.end(body);
  request.resume();
  return true;
}

// Node publishes each request on this channel synchronously, before it emits 'request':
// the first time a server shows up, its 'request' listeners (Next's handler) are wrapped,
// this very request included (emit reads the listener list after the publish).
const CHANNEL = "http.server.request.start";
const guarded = new WeakSet<Server>();
let installed = false;

export function installUnsupportedMethodGuard(): void {
  if (installed) return;
  installed = true;
  subscribe(CHANNEL, (message) => {
    const { server } = message as { server?: Server };
    if (!server || guarded.has(server)) return;
    guarded.add(server);
    const listeners = server.listeners("request") as Listener[];
    server.removeAllListeners("request");
    for (const listener of listeners) {
      server.on("request", (request: IncomingMessage, response: ServerResponse) => {
        if (response.headersSent || response.writableEnded) return;
        if (refuseUnsupportedMethod(request, response)) return;
        listener.call(server, request, response);
      });
    }
  });
}
