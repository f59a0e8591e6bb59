import type { ApiKey } from "@/lib/contract";

export type ApiKeyStatus = "active" | "expired" | "revoked";

/** The status a person sees: revoked wins over expired, as the API answers 403 before 401. */
export function apiKeyStatus(key: Pick<ApiKey, "revoked_at" | "expires_at">, now: number): ApiKeyStatus {
  if (key.revoked_at) return "revoked";
  if (key.expires_at && Date.parse(key.expires_at) <= now) return "expired";
  return "active";
}

export const EXPIRY_CHOICES = [
  { value: "never", label: "Never" },
  { value: "7", label: "7 days" },
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "custom", label: "Custom date…" },
] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]["value"];

const DAY_MS = 86_400_000;

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

/** Each key with its status as of `now` (by default, the moment of the call). */
export function withStatus<K extends Pick<ApiKey, "revoked_at" | "expires_at">>(keys: K[], now = Date.now()): (K & { status: ApiKeyStatus })[] {
  return keys.map((key) => ({ ...key, status: apiKeyStatus(key, now) }));
}
