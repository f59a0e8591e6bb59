// The response headers a client reads, by name (lower case, as fetch's Headers gives them).
// lib/api/serve.ts and lib/api/envelope.ts set them; the SDK (sdk/) reads them.

/** Every response: the client's own request id when it sent a short token, else a UUID. */
export const REQUEST_ID_HEADER = "x-request-id";
/** `Tt-Key-Expires-At: <ISO 8601>` on every response to an API key that has an expiry. */
export const KEY_EXPIRES_HEADER = "tt-key-expires-at";
/** Seconds to wait before trying again (429, and 503 when a proxy sends it). */
export const RETRY_AFTER_HEADER = "retry-after";
