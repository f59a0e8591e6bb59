// The response headers a client reads, by name (lower case, as fetch's Headers gives them).
// lib/api/serve.ts and lib/api/envelope.ts set them; the SDK (sdk/) reads them.

/** Every response: the client's own request id when it sent a short token, else a UUID. */
export const REQUEST_ID_HEADER = "x-request-id";
/** `Tt-Key-Expires-At: <ISO 8601>` on every response to an API key that has an expiry. */
export const KEY_EXPIRES_HEADER = "tt-key-expires-at";
/** Seconds to wait before trying again (429, and 503 when a proxy sends it). */
export const RETRY_AFTER_HEADER = "retry-after";
/** The usage limits of the key (draft-ietf-httpapi-ratelimit-headers-11): each counter's limit and window. */
export const RATELIMIT_POLICY_HEADER = "ratelimit-policy";
/** The usage limits' state now: each counter's remaining requests and seconds to its reset. */
export const RATELIMIT_HEADER = "ratelimit";
/** The start (ISO 8601) of the rate window a request was admitted in, by its narrowest rate counter. */
export const RATELIMIT_WINDOW_HEADER = "tt-ratelimit-window";
