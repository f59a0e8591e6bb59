// Mailpit — the mail catcher of the Supabase CLI's own local stack: a real SMTP server
// (LOCAL.smtpPort) that keeps every message, with a web UI and an HTTP API
// (LOCAL.mailWebPort) that the tests read mail through. Supabase Auth sends its
// confirmation and reset mail to it, the app its own (lib/mail/mailer.ts).
//
// The binary, in this order:
//   1. TT_MAILPIT_BIN — a binary you have;
//   2. `mailpit` on PATH;
//   3. the cached `go install` (~/.cache/tuned-tensor/bin/mailpit, shared by every clone);
//   4. `go install github.com/axllent/mailpit@MAILPIT_VERSION` into that cache (≈ 1–5 min
//      the first time, from the Go module proxy).
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

import { onPath, run } from "./binaries.ts";
import { CACHE_DIR, HOST } from "./config.ts";
import { LOCAL } from "../../lib/local-defaults.ts";

export const MAILPIT_MODULE = "github.com/axllent/mailpit";
export const MAILPIT_VERSION = "v1.33.1";
const CACHED_BIN = join(CACHE_DIR, "bin", "mailpit");

export class MailpitError extends Error {}

/** The Mailpit binary to run, installing it into the cache when needed; throws one sentence when it cannot be had. */
export function mailpitBinary(say: (msg: string) => void): string {
  const fromEnv = process.env.TT_MAILPIT_BIN;
  if (fromEnv) {
    const bin = resolve(fromEnv);
    if (!existsSync(bin)) throw new MailpitError(`TT_MAILPIT_BIN points at ${bin}, which does not exist.`);
    return bin;
  }
  const path = onPath("mailpit");
  if (path) return path;
  if (existsSync(CACHED_BIN)) return CACHED_BIN;
  if (!onPath("go")) {
    throw new MailpitError(
      `Mailpit is not installed and Go is not on PATH to build it; install Go and run \`GOBIN=${dirname(CACHED_BIN)} go install ${MAILPIT_MODULE}@${MAILPIT_VERSION}\`, or set TT_MAILPIT_BIN to a mailpit binary.`,
    );
  }
  say(`installing Mailpit: go install ${MAILPIT_MODULE}@${MAILPIT_VERSION} → ${CACHED_BIN} (a few minutes, once per machine)`);
  const go = run("go", ["install", `${MAILPIT_MODULE}@${MAILPIT_VERSION}`], { ...process.env, GOBIN: dirname(CACHED_BIN), GOFLAGS: "-buildvcs=false" });
  if (go.ok && existsSync(CACHED_BIN)) return CACHED_BIN;
  const why = go.out.split("\n").map((l) => l.trim()).filter(Boolean).slice(-2).join(" — ");
  throw new MailpitError(`go install ${MAILPIT_MODULE}@${MAILPIT_VERSION} failed: ${why.slice(-300)}`);
}

export const MAIL_WEB_URL = `http://${HOST}:${LOCAL.mailWebPort}`;

/** Mailpit's arguments: loopback only, messages in memory (a restart empties the inbox), no update check. */
export function mailpitArgs(): string[] {
  return [
    "--listen", `${HOST}:${LOCAL.mailWebPort}`,
    "--smtp", `${HOST}:${LOCAL.smtpPort}`,
    // Local and loopback-only: accept mail without SMTP authentication or TLS, as the
    // Supabase CLI's Mailpit does.
    "--smtp-auth-accept-any", "--smtp-auth-allow-insecure",
    "--max", "5000",
    "--disable-version-check",
    "--quiet",
  ];
}
