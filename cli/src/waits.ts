// What tt says about waiting: the line on stderr before it tries a read again (the SDK's
// onRetry: a 429 for a limit, a 503, a network failure), and the hint after an error the
// server asked to wait for but tt did not retry (a create or an update is never repeated: it
// may have been done; a wait longer than tt waits for). Pure.
import { describePolicy, type RateLimitPolicy, type RetryEvent } from "../../sdk/src/index.js";

/** "0.5 s", "12 s", "4 min", "2 h 5 min", "3 days": a wait as people read it. */
export function formatWait(seconds: number): string {
  if (seconds < 10 && !Number.isInteger(seconds)) return `${Math.round(seconds * 10) / 10} s`;
  if (seconds < 90) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ""}`;
  return `${Math.round(hours / 24)} days`;
}

/** What a 429's code says was reached, with the limit when the answer named it. */
function limitReached(code: string | null, policy: RateLimitPolicy | null): string {
  const limit = policy ? ` (${describePolicy(policy)})` : "";
  if (code === "quota_exceeded") return `Quota used up${limit}`;
  return `Rate limited${limit}`;
}

/** The line tt prints before it tries a request again, saying what it waits for. */
export function retryNotice(event: Pick<RetryEvent, "status" | "code" | "delayMs" | "policy">): string {
  const wait = `retrying in ${formatWait(event.delayMs / 1000)}…`;
  if (event.status === 429) return `${limitReached(event.code, event.policy)}; ${wait}`;
  if (event.status === null) return `Could not reach the server; ${wait}`;
  return `The server is unavailable (${event.status}); ${wait}`;
}

/**
 * The hint after an error the server said to wait for (`Retry-After`), which tt did not
 * retry: when to try again, as a wait and a UTC time. Null without a Retry-After.
 */
export function retryLaterHint(
  failure: { status: number; code: string; retryAfter: number | null; policy: RateLimitPolicy | null; method: string | undefined },
  nowMs: number,
): string | null {
  if (failure.retryAfter === null) return null;
  // Retry-After is whole seconds rounded up, and the answer took a while to arrive: now plus
  // it can be a second or two past the refill. A wait said in minutes (formatWait) gets its
  // time to the nearest minute too, so a quota's refill reads 00:00:00, as it is.
  const atMs = nowMs + failure.retryAfter * 1000;
  const shown = failure.retryAfter >= 90 ? Math.round(atMs / 60_000) * 60_000 : atMs;
  const at = new Date(shown).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
  const when = `try again in ${formatWait(failure.retryAfter)} (at ${at})`;
  const notRepeated = failure.method && !["GET", "HEAD", "PUT", "DELETE"].includes(failure.method) ? " tt does not repeat a request that changes something." : "";
  if (failure.status === 429) {
    const what = failure.code === "quota_exceeded" ? "The key's quota" : "The key's rate limit";
    const limit = failure.policy ? ` (${describePolicy(failure.policy)})` : "";
    return `${what}${limit} is used up: ${when}.${notRepeated} See the key's limits with: tt keys show <id>`;
  }
  return `The server asked to wait: ${when}.${notRepeated}`;
}
