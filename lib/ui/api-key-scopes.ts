import { READ_ONLY_SCOPES, SCOPES, type ApiKey, type Scope } from "@/lib/contract";

// How the dashboard speaks of a key's scopes (lib/contract/scopes.ts): the three choices of
// the create dialog, a key's access in a few words, and whether to suggest narrowing it.
// Pure, unit-tested.

export type AccessChoice = "full" | "read" | "custom";

export const ACCESS_CHOICES: { value: AccessChoice; label: string; hint: string }[] = [
  { value: "full", label: "Full access", hint: "Everything you can do: read and change specs, list and revoke keys, read the security log." },
  { value: "read", label: "Read only", hint: "Read specs, list keys and read the security log; every change is refused." },
  { value: "custom", label: "Custom", hint: "Choose the scopes one by one." },
];

/** The scopes to send for a choice (custom: the ones ticked, in the contract's order). */
export function scopesFor(choice: AccessChoice, custom: readonly Scope[]): Scope[] {
  if (choice === "full") return [...SCOPES];
  if (choice === "read") return [...READ_ONLY_SCOPES];
  return SCOPES.filter((scope) => custom.includes(scope));
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
