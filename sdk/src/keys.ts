// API keys on the client side: the key format (shape and checksum, checked offline, so a
// mistyped key never leaves the machine), the prefix lists show, a key's status, and its
// expiry as the server announces it on every answer (`Tt-Key-Expires-At`).
import type { ApiKey } from "./generated/contract.ts";

import { API_KEY_LENGTH, KEY_PREFIX, KEY_PREFIX_LENGTH } from "../../lib/api-keys/key-format.ts";

export { API_KEY_LENGTH, KEY_PREFIX, KEY_PREFIX_LENGTH, keyPrefix, parseApiKey, type ParsedApiKey } from "../../lib/api-keys/key-format.ts";

const DAY_MS = 86_400_000;

export const API_KEY_STATUSES = ["active", "rolled", "expired", "revoked"] as const;
export type ApiKeyStatus = (typeof API_KEY_STATUSES)[number];

type StatusFields = Pick<ApiKey, "revoked_at" | "expires_at"> & Partial<Pick<ApiKey, "replaced_by">>;

/**
 * The status a person sees: revoked wins over expired, as the API answers 403 before 401;
 * a rolled key still in its grace window is "rolled" (it works until `expires_at`).
 */
export function apiKeyStatus(key: StatusFields, now: number): ApiKeyStatus {
  if (key.revoked_at) return "revoked";
  if (key.expires_at && Date.parse(key.expires_at) <= now) return "expired";
  if (key.replaced_by) return "rolled";
  return "active";
}

/** How long before its expiry a key is flagged: the dashboard's banner, the CLI's warning. */
export const EXPIRY_WARNING_DAYS = 7;
export const EXPIRY_WARNING_MS = EXPIRY_WARNING_DAYS * DAY_MS;

/** What the answers say about the calling key's expiry. */
export type KeyExpiry = {
  /** `Tt-Key-Expires-At`, ISO 8601. */
  expiresAt: string;
  /** Milliseconds left at `now` (negative once past). */
  remainingMs: number;
  /** Less than EXPIRY_WARNING_DAYS left, not yet expired: time to roll the key. */
  soon: boolean;
};

/** The expiry as of `now`, or null for a value that is not a date. */
export function keyExpiry(expiresAt: string, now: number): KeyExpiry | null {
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) return null;
  const remainingMs = at - now;
  return { expiresAt, remainingMs, soon: remainingMs > 0 && remainingMs < EXPIRY_WARNING_MS };
}

const SHOWN = new RegExp(`^${KEY_PREFIX}[0-9A-Za-z]{${KEY_PREFIX_LENGTH - KEY_PREFIX.length}}`);
// A whole key, or most of one, anywhere in a text (at least its prefix and 35 more characters).
const FULL_KEY = new RegExp(`(${KEY_PREFIX}[0-9A-Za-z]{${KEY_PREFIX_LENGTH - KEY_PREFIX.length}})[0-9A-Za-z]{${API_KEY_LENGTH - KEY_PREFIX_LENGTH - 6},}`, "g");

/** The part of a key that is safe to show, `tt_AbCdEfGh…`; null for a string that does not start like a key. */
export function maskKey(key: string): string | null {
  const shown = SHOWN.exec(key);
  return shown ? `${shown[0]}…` : null;
}

/** `text` with every full key in it cut to its prefix (`tt_AbCdEfGh…`): for logs and messages. */
export const redactKeys = (text: string): string => text.replace(FULL_KEY, "$1…");
