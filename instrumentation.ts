// Runs once when the server starts, before it handles a request (Next's instrumentation hook).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // The address each request really came from, for the failed-authentication limit.
    const { installPeerAddressHook } = await import("./lib/auth/peer-address-hook");
    installPeerAddressHook();
    // TRACE/TRACK: 405 in the API's envelope, not Next's 500 (lib/security/unsupported-methods.ts).
    const { installUnsupportedMethodGuard } = await import("./lib/security/unsupported-methods");
    installUnsupportedMethodGuard();
  }
}
