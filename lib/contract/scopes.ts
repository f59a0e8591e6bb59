import { z } from "zod";

// Before any schema: no eval in the browser (./jitless.ts); a client component may import this module alone.
import "./jitless.ts";
import { distinctList } from "./distinct-list.ts";

// What an API key may do: the scopes, in one place. Every operation of the contract names
// the scope a key needs (or none, `null`); a session has every scope; a key has the
// scopes it was created with, or fewer (it can be narrowed, never widened). The database
// keeps the same list in a CHECK (supabase/migrations/*_api_key_scopes.sql), which a test
// compares with this one.

// New scopes go last: the stored order is this order, and rows stored before a scope existed
// keep theirs (a new scope is given to no existing key: a stored list is never widened).
// The organization's scopes (members:*, org:write) came with organizations
// (supabase/migrations/20261207000100_organizations.sql).
export const SCOPES = [
  "specs:read",
  "specs:write",
  "keys:read",
  "keys:write",
  "activity:read",
  "members:read",
  "members:write",
  "org:write",
] as const;
export type Scope = (typeof SCOPES)[number];

/** One line per scope: what it allows, for people (the dashboard, the document). */
export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  "specs:read": "List and read behaviour specs",
  "specs:write": "Create, change and delete behaviour specs",
  "keys:read": "List API keys (their prefixes, never a key)",
  "keys:write": "Revoke API keys",
  "activity:read": "Read the security log and keys' usage (sign-ins with their addresses and browsers)",
  "members:read": "List the organization's members, invitations and service accounts",
  "members:write": "Invite and remove members, change their roles, manage service accounts and every key in the organization",
  "org:write": "Rename the organization and change its policies",
};

/** The scopes that only read: a "read only" key (it changes nothing; it reads the security log too). */
export const READ_ONLY_SCOPES: readonly Scope[] = SCOPES.filter((scope) => scope.endsWith(":read"));

export const scope = z.enum(SCOPES);

/** Scopes in the contract's order, each once: how they are stored and answered. */
export const canonicalScopes = (scopes: Iterable<string>): Scope[] => {
  const set = new Set(scopes);
  return SCOPES.filter((s) => set.has(s));
};

/** A non-empty list of known, distinct scopes (what a key can be given). */
export const scopeList = distinctList(z.array(scope).min(1, { message: "must name at least one scope" }).max(SCOPES.length), "a scope");

/** `Bearer error="insufficient_scope", scope="specs:write"` (RFC 6750 §3.1). */
export const insufficientScopeChallenge = (needed: Scope) => `Bearer error="insufficient_scope", scope="${needed}"`;
