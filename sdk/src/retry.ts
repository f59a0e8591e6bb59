// When a failed attempt is tried again, and after how long. Only idempotent requests (GET,
// HEAD, PUT, DELETE) are ever retried — a POST that timed out may have been done — and only
// on 429, 503 or a network failure, at most `attempts` times in all, after the server's
// `Retry-After` when it sent one (never sooner), else an exponential backoff with jitter.
// Pure: the client injects the clock and the randomness.

export type RetryOptions = {
  /** Attempts in all, the first included (1: never retry). Default 3. */
  attempts?: number;
  /** The first backoff without a Retry-After, doubled per attempt. Default 500 ms. */
  baseDelayMs?: number;
  /** A longer wait than this (Retry-After included) is not waited for: the error is thrown. Default 30 s. */
  maxDelayMs?: number;
};

export const RETRY_DEFAULTS: Required<RetryOptions> = { attempts: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

/** The statuses worth trying again: the server asked to wait (429), or was briefly unavailable (503). */
export const RETRYABLE_STATUSES: readonly number[] = [429, 503];

/** `Retry-After` in seconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value == null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (Number.isNaN(at) || !/[a-z]/i.test(text)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/**
 * Whether attempt number `attempt` (1-based), which failed with `status` (null: a network
 * failure) and `retryAfter` seconds, is tried again, and after how long. `random` in [0, 1).
 */
export function retryDecision(
  attempt: number,
  failure: { idempotent: boolean; status: number | null; retryAfter: number | null },
  options: RetryOptions | undefined,
  random: number,
): RetryDecision {
  const { attempts, baseDelayMs, maxDelayMs } = { ...RETRY_DEFAULTS, ...options };
  if (!failure.idempotent || attempt >= attempts) return { retry: false };
  if (failure.status !== null && !RETRYABLE_STATUSES.includes(failure.status)) return { retry: false };
  const delayMs =
    failure.retryAfter !== null ? failure.retryAfter * 1000 : Math.round(baseDelayMs * 2 ** (attempt - 1) * (0.5 + random / 2));
  if (delayMs > maxDelayMs) return { retry: false };
  return { retry: true, delayMs };
}
