// Runs once when the server starts, before it handles a request (Next's instrumentation hook).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // The environment is validated now (lib/env.ts parses it on import): a misconfigured
    // deployment — a public CRON_SECRET under `next start`, say — refuses to start, with a
    // message naming every bad variable, instead of failing on its first request.
    try {
      await import("./lib/env");
    } catch (error) {
      if ((error as Error).name !== "EnvError") throw error;
      console.error(`[env] ${(error as Error).message}`);
      process.exit(1);
    }
    // The address each request really came from, for the failed-authentication limit.
    const { installPeerAddressHook } = await import("./lib/http/peer-address-hook");
    installPeerAddressHook();
    // TRACE/TRACK: 405 in the API's envelope, not Next's 500 (lib/security/unsupported-methods.ts).
    const { installUnsupportedMethodGuard } = await import("./lib/security/unsupported-methods");
    installUnsupportedMethodGuard();
  }
}
