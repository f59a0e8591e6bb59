import type { ApiKey } from "@/lib/contract";
import { apiKeyStatus, EXPIRY_WARNING_DAYS, type ApiKeyStatus } from "@/sdk/src/index.ts";

// A key's status and the expiry warning window are the SDK's (sdk/src/keys.ts), shared with
// the CLI; what is here is how the dashboard shows them and the choices its forms offer.
export { apiKeyStatus, EXPIRY_WARNING_DAYS, type ApiKeyStatus };

const DAY_MS = 86_400_000;

type StatusFields = Pick<ApiKey, "revoked_at" | "expires_at"> & Partial<Pick<ApiKey, "replaced_by">>;

/** How each status reads as a badge, on the keys list and on a key's own page alike. */
export const STATUS_BADGE: Record<ApiKeyStatus, { label: string; tone: "green" | "amber" | "neutral" }> = {
  active: { label: "Active", tone: "green" },
  rolled: { label: "Rolled", tone: "amber" },
  expired: { label: "Expired", tone: "amber" },
  revoked: { label: "Revoked", tone: "neutral" },
};

/** Whole days left (rounded up: "in 1 day" until the last moment) for an active key expiring within 7 days; else null. */
export function expiresInDays(key: StatusFields, now: number): number | null {
  if (apiKeyStatus(key, now) !== "active" || !key.expires_at) return null;
  const left = Date.parse(key.expires_at) - now;
  return left <= EXPIRY_WARNING_DAYS * DAY_MS ? Math.max(1, Math.ceil(left / DAY_MS)) : null;
}

/** The grace windows the dashboard offers when rolling a key. */
export const GRACE_CHOICES = [
  { seconds: 0, label: "Now" },
  { seconds: 3_600, label: "In 1 hour" },
  { seconds: 86_400, label: "In 24 hours" },
  { seconds: 604_800, label: "In 7 days" },
] as const;

export const EXPIRY_CHOICES = [
  { value: "never", label: "Never" },
  { value: "7", label: "7 days" },
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "custom", label: "Custom date…" },
] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]["value"];


/**
 * The `expires_at` to send for a choice: null for never; N days from now; or the end
 * of the chosen local calendar day ("YYYY-MM-DD" from <input type="date">), so a key
 * set to expire "on 1 March" works through all of 1 March where the person is.
 * Returns undefined when a custom date is missing or malformed.
 */
export function expiresAtFor(choice: ExpiryChoice, customDate: string, now: number): string | null | undefined {
  if (choice === "never") return null;
  if (choice === "custom") {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(customDate);
    if (!match) return undefined;
    const end = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 59, 999);
    return Number.isNaN(end.getTime()) ? undefined : end.toISOString();
  }
  return new Date(now + Number(choice) * DAY_MS).toISOString();
}

/** "YYYY-MM-DD" of a local day `days` from now, for <input type="date" min>. */
export function localDateInput(now: number, days = 0): string {
  const d = new Date(now + days * DAY_MS);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Each key with its status as of `now` (by default, the moment of the call), and its days left when within 7. */
export function withStatus<K extends StatusFields>(keys: K[], now = Date.now()): (K & { status: ApiKeyStatus; expiresInDays: number | null })[] {
  return keys.map((key) => ({ ...key, status: apiKeyStatus(key, now), expiresInDays: expiresInDays(key, now) }));
}
