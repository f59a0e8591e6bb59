// Who is calling, by network address, for the failed-authentication limit. Pure, so the
// rules are unit-tested without a server.
//
// `next start` does not append to X-Forwarded-For: it sets the header to the socket's
// address only when the request has none (`??=` in next/dist/server/base-server.js) and
// otherwise passes the client's value through unchanged — so on a server reached
// directly, every entry of that header is whatever the client wrote, and Next offers no
// other way to learn the socket's address (NextRequest.ip is gone since Next 15).
// instrumentation.ts therefore records the address the server itself saw in
// PEER_ADDRESS_HEADER on every request, before Next reads it, overwriting anything a
// client sent under that name (lib/http/peer-address-hook.ts).
//
// With TRUSTED_PROXY_HOPS = N, the address chain is the X-Forwarded-For entries followed
// by the peer address, and the client is the entry N places left of the peer: N = 0 (no
// proxy) is the peer itself; N = 1 (one load balancer, which appends the address it saw)
// is the right-most X-Forwarded-For entry; entries further left were written by the
// client or by proxies we do not trust, and never decide.

export const PEER_ADDRESS_HEADER = "x-tt-peer-address";

type Headers = { get(name: string): string | null };

/** `::ffff:127.0.0.1` (an IPv4 client of a dual-stack socket) and `127.0.0.1` are one client. */
export function normalizeAddress(address: string): string {
  const a = address.trim().toLowerCase();
  return a.startsWith("::ffff:") && a.includes(".") ? a.slice(7) : a;
}

/**
 * The client's address for counting, `hops` trusted proxies in front. When the peer
 * address was not recorded (the hook did not run: not `next start`), the right-most
 * X-Forwarded-For entry stands in for it, as Next set it from the socket when absent.
 */
export function clientAddress(headers: Headers, hops: number): { address: string; peerKnown: boolean } {
  const peer = headers.get(PEER_ADDRESS_HEADER);
  const forwarded = headers.get("x-forwarded-for");
  const chain = forwarded === null ? [] : forwarded.split(",");
  if (peer !== null) chain.push(peer);
  // Without the peer, the right-most entry is the peer's stand-in: hop 0 and hop 1 are both it.
  const index = chain.length - 1 - (peer !== null ? hops : Math.max(hops - 1, 0));
  // A chain shorter than the trusted hops did not come through every proxy: its left-most
  // entry is the furthest address anyone we trust vouched for.
  const entry = chain[Math.max(index, 0)];
  return { address: normalizeAddress(entry ?? "").slice(0, 100) || "unknown", peerKnown: peer !== null };
}
