import type { ApiKey } from "@/lib/contract/api-keys";
import { READ_ONLY_SCOPES, SCOPES, type Scope } from "@/lib/contract/scopes";

// How the dashboard speaks of a key's scopes (lib/contract/scopes.ts): the three choices of
// the create dialog, a key's access in a few words, and whether to suggest narrowing it.
// Pure, unit-tested.

export type AccessChoice = "full" | "read" | "custom";

export const ACCESS_CHOICES: { value: AccessChoice; label: string; hint: string }[] = [
  { value: "full", label: "Full access", hint: "Everything you can do in this organization (your role and its policy decide)." },
  { value: "read", label: "Read only", hint: "Only the reading you can do: specs, keys and what else your role reads; every change is refused." },
  { value: "custom", label: "Custom", hint: "Choose the scopes one by one." },
];

/**
 * The scopes to send for a choice, within `allowed` (what the user's role and the
 * organization's policy let a new key hold; every scope by default): full, all of them; read,
 * the reading ones; custom, the ones ticked. In the contract's order.
 */
export function scopesFor(choice: AccessChoice, custom: readonly Scope[], allowed: readonly Scope[] = SCOPES): Scope[] {
  const within = SCOPES.filter((scope) => allowed.includes(scope));
  if (choice === "full") return within;
  if (choice === "read") return within.filter((scope) => READ_ONLY_SCOPES.includes(scope));
  return within.filter((scope) => custom.includes(scope));
}

const same = (a: readonly Scope[], b: readonly Scope[]) => a.length === b.length && a.every((s) => b.includes(s));

/** A key's access in words: "Full access", "Read only", or its scopes. */
export function accessLabel(scopes: readonly Scope[]): string {
  if (same(scopes, SCOPES)) return "Full access";
  if (same(scopes, READ_ONLY_SCOPES)) return "Read only";
  return scopes.join(", ");
}

/**
 * The scopes to narrow an active key to, when in the last 30 days it used some of its scopes
 * but not all; null when there is nothing to suggest (unused keys included: nothing to go by).
 */
export function narrowingFor(key: Pick<ApiKey, "scopes" | "scopes_used" | "revoked_at">): Scope[] | null {
  if (key.revoked_at) return null;
  const used = key.scopes.filter((scope) => key.scopes_used.includes(scope));
  return used.length > 0 && used.length < key.scopes.length ? used : null;
}
