// The key's expiry, as the server says it on every answer (`Tt-Key-Expires-At`, which the
// SDK reads and reports): a warning on stderr when the SDK says it is soon (under 7 days),
// at most once a day per key (remembered in the config directory, next to the credentials),
// and a line in `tt auth status`.
//
// The clock is injectable for tests: TUNED_TENSOR_NOW (ISO 8601) stands in for "now".
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { EXPIRY_WARNING_MS, type KeyExpiry } from "../../sdk/src/index.js";
import { configDir } from "../../sdk/src/node.js";
import { warn } from "./output.js";

const DAY_MS = 86_400_000;
const STATE_FILE = "expiry-warnings.json";

export function now(env: NodeJS.ProcessEnv = process.env): number {
  const injected = env.TUNED_TENSOR_NOW;
  const parsed = injected ? Date.parse(injected) : NaN;
  return Number.isNaN(parsed) ? Date.now() : parsed;
}

/** "in 3 days", "in 5 hours", "in less than an hour". */
export function describeLeft(expiresAt: number, at: number): string {
  const ms = expiresAt - at;
  if (ms >= DAY_MS) {
    const days = Math.floor(ms / DAY_MS);
    return `in ${days} day${days === 1 ? "" : "s"}`;
  }
  const hours = Math.floor(ms / 3_600_000);
  return hours >= 1 ? `in ${hours} hour${hours === 1 ? "" : "s"}` : "in less than an hour";
}

type State = Record<string, string>;

function readState(path: string): State {
  try {
    const value: unknown = JSON.parse(readFileSync(path, "utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as State) : {};
  } catch {
    return {};
  }
}

/**
 * Warns on stderr when the key (named by its prefix, never the key) expires soon and it was
 * not warned about in the last 24 hours. Best effort: a state file that cannot be written
 * costs a repeated warning, never a failed command.
 */
export function warnIfExpiringSoon(keyPrefix: string, expiry: KeyExpiry, env: NodeJS.ProcessEnv = process.env): void {
  if (!expiry.soon) return;
  const at = now(env);
  const expiresAt = Date.parse(expiry.expiresAt);
  const dir = configDir(env);
  const path = join(dir, STATE_FILE);
  const state = readState(path);
  const last = Date.parse(state[keyPrefix] ?? "");
  if (!Number.isNaN(last) && at - last < DAY_MS && at >= last) return;
  warn(
    `this API key (${keyPrefix}…) expires ${describeLeft(expiresAt, at)}, at ${new Date(expiresAt).toISOString()}. ` +
      "Roll it in the dashboard (Settings → API Keys) and log in with the new key: tt auth login",
  );
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Forget keys whose warning is over a week old: the file stays small.
    const kept = Object.fromEntries(Object.entries(state).filter(([, iso]) => at - Date.parse(iso) < EXPIRY_WARNING_MS));
    writeFileSync(path, `${JSON.stringify({ ...kept, [keyPrefix]: new Date(at).toISOString() }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
  } catch {
    // Best effort.
  }
}
