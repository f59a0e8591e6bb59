import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";

import { PEER_ADDRESS_HEADER } from "./client-address";

// Node publishes every HTTP request on this channel synchronously, before the server's
// 'request' listeners — Next's handler among them — see it. Recording the socket's
// address here, as a header Next copies into the Request our route handlers get, is how
// the app learns the address it was really connected from (see lib/http/client-address.ts).
// A client's own header of that name is replaced, never trusted.
const CHANNEL = "http.server.request.start";

let installed = false;

type RequestStart = { request: IncomingMessage; socket: Socket };

export function installPeerAddressHook(): void {
  if (installed) return;
  installed = true;
  subscribe(CHANNEL, (message) => {
    const { request, socket } = message as RequestStart;
    request.headers[PEER_ADDRESS_HEADER] = socket.remoteAddress ?? "unknown";
  });
}
