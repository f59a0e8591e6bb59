import { z } from "zod";

import "./jitless.ts";
import { distinctList } from "./distinct-list.ts";
import { SCOPES, scope, scopeList, type Scope } from "./scopes.ts";
import { plainText } from "./text.ts";
import { sharedLimits, usageLimits } from "./usage-limits.ts";

// Organizations: who owns work and credentials. Every user has a personal workspace (an
// organization with one member, its owner); teams make more. A role is a set of the scopes
// keys use: a session in an organization has its role's scopes, a member's key at most those
// (and at most what the organization's policy lets member keys hold), a service account's key
// at most its service account's role. The database keeps the same table in
// public.role_scopes (supabase/migrations/20261207000100_organizations.sql), which a test
// compares with this one.

export const ROLES = ["owner", "admin", "developer", "viewer"] as const;
export type Role = (typeof ROLES)[number];
export const role = z.enum(ROLES);

const EVERY_SCOPE: readonly Scope[] = SCOPES;
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  owner: EVERY_SCOPE,
  admin: EVERY_SCOPE,
  developer: ["specs:read", "specs:write", "keys:read", "keys:write", "members:read"],
  viewer: ["specs:read", "keys:read", "members:read"],
};

/** For people: what each role is for. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: "Everything, including deleting the organization and making or removing owners",
  admin: "Everything but deleting the organization and changing owners: members, service accounts, policies, every key",
  developer: "Read and write behaviour specs, make and revoke their own keys, see the members",
  viewer: "Read behaviour specs, their own keys and the members",
};

/** The roles a service account can have: an organization's owners are people. */
export const SERVICE_ACCOUNT_ROLES = ["admin", "developer", "viewer"] as const;
export type ServiceAccountRole = (typeof SERVICE_ACCOUNT_ROLES)[number];

/** Whether `role` has `needed`. */
export const roleAllows = (held: Role, needed: Scope) => ROLE_SCOPES[held].includes(needed);

/** Roles that may manage the given role (change it, remove it, invite with it): owners any; admins all but owners. */
export const canManageRole = (actor: Role, target: Role) => actor === "owner" || (actor === "admin" && target !== "owner");

/** `Tt-Organization: <slug or id>`: the organization a session's request is about (a key's is its own). */
export const ORGANIZATION_HEADER = "tt-organization";

/** How long an invitation can be accepted. */
export const INVITATION_TTL_DAYS = 7;

// A slug as GitHub's: lower-case letters, digits and inner hyphens, at most 40; `p-` followed
// by 32 hex digits is a personal workspace's, never chosen.
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const PERSONAL_SLUG = /^p-[0-9a-f]{32}$/;
export const organizationSlug = z
  .string()
  .regex(SLUG, { message: "must be 1–40 lower-case letters, digits and hyphens, starting and ending with a letter or digit" })
  .refine((slug) => !PERSONAL_SLUG.test(slug), { message: "is reserved for personal workspaces" });

const orgName = plainText({ max: 100, singleLine: true });
const timestamp = z.iso.datetime({ offset: true });

export const organizationPolicy = z.object({
  require_two_factor: z.boolean().describe("Members must have two-factor authentication to reach the organization's data or make keys there"),
  max_key_lifetime_days: z
    .int()
    .min(1)
    .max(3650)
    .nullable()
    .describe("New keys must expire within this many days; null: no limit. Existing keys beyond it are listed as out of policy, not revoked"),
  key_creator_roles: z.array(role).describe("The roles whose members may make keys"),
  member_key_scopes: z.array(scope).describe("The scopes members' keys may hold (service accounts' keys are bounded by their role)"),
  default_key_limits: usageLimits
    .nullable()
    .describe("The limits of every key without its own (applied per key, not shared); null: none"),
});
export type OrganizationPolicy = z.output<typeof organizationPolicy>;

export const updateOrganizationPolicyInput = z
  .strictObject({
    require_two_factor: z.boolean().optional(),
    max_key_lifetime_days: z.int().min(1).max(3650).nullable().optional(),
    key_creator_roles: distinctList(z.array(role).max(ROLES.length), "a role").optional(),
    member_key_scopes: scopeList.optional(),
    default_key_limits: sharedLimits
      .optional()
      .describe("Lowering them needs org:write; raising or removing them needs a signed-in session (with its second factor when the user has one)"),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: "must contain at least one field to change",
    when: (payload) => payload.issues.length === 0,
  })
  .meta({ minProperties: 1 })
  .describe("The policies to change; the others keep their values");
export type UpdateOrganizationPolicyInput = z.output<typeof updateOrganizationPolicyInput>;

export const organizationOutput = z.object({
  id: z.uuid(),
  slug: z.string().describe("URL-safe; what `Tt-Organization` and `--org` take (the id works too)"),
  name: z.string(),
  personal: z.boolean().describe("The caller's personal workspace: one member, made with the account"),
  role: role.nullable().describe("The caller's role here (null for a service account's key, whose role is its service account's)"),
  created_at: timestamp,
  policy: organizationPolicy,
});
export type Organization = z.output<typeof organizationOutput>;

export const createOrganizationInput = z.strictObject({
  name: orgName.describe("The organization's name"),
  slug: organizationSlug.optional().describe("URL-safe name; omitted, made from the name"),
});
export type CreateOrganizationInput = z.output<typeof createOrganizationInput>;

export const updateOrganizationInput = z
  .strictObject({ name: orgName.optional(), slug: organizationSlug.optional() })
  .refine((patch) => patch.name !== undefined || patch.slug !== undefined, {
    message: "must contain at least one field to change",
    when: (payload) => payload.issues.length === 0,
  })
  .meta({ minProperties: 1 })
  .describe("The fields to change; the others keep their values");
export type UpdateOrganizationInput = z.output<typeof updateOrganizationInput>;

export const deleteOrganizationInput = z.strictObject({
  confirm: z.string().max(40).describe("The organization's slug, typed again"),
  code: z
    .string()
    .regex(/^\d{6}$/, { message: "must be the 6-digit code from your authenticator app" })
    .optional()
    .describe("The current code from your authenticator app: needed when you have two-factor authentication"),
});
export type DeleteOrganizationInput = z.output<typeof deleteOrganizationInput>;

export const memberOutput = z.object({
  user: z.object({ id: z.uuid(), email: z.string().nullable() }),
  role,
  joined_at: timestamp,
  two_factor: z.boolean().describe("Has two-factor authentication"),
});
export type Member = z.output<typeof memberOutput>;

export const userIdParam = z.object({ user_id: z.guid({ message: "must be a UUID" }) });

export const updateMemberInput = z.strictObject({ role: role.describe("The member's new role") });
export type UpdateMemberInput = z.output<typeof updateMemberInput>;

// The address as the document describes it (its pattern included): a schema-valid request is
// never refused as malformed (found by `npm run fuzz`, which sent any string of 320 when the
// format sat behind a pipe the document could not show).
const email = z
  .email({ message: "must be an e-mail address" })
  .max(320)
  .transform((value) => value.toLowerCase());

export const createInvitationInput = z.strictObject({
  email: email.describe("Who to invite: the mail goes there, and only an account with this confirmed address can accept"),
  role: role.describe("Their role once they accept"),
});
export type CreateInvitationInput = z.output<typeof createInvitationInput>;

export const invitationOutput = z.object({
  id: z.uuid(),
  email: z.string(),
  role,
  invited_by: z.object({ id: z.uuid(), email: z.string().nullable() }).nullable().describe("Who sent it (null once their account is gone)"),
  created_at: timestamp,
  expires_at: timestamp,
  status: z.enum(["pending", "accepted", "revoked", "expired"]),
  accepted_by: z.object({ id: z.uuid(), email: z.string().nullable() }).nullable(),
});
export type Invitation = z.output<typeof invitationOutput>;

export const acceptInvitationInput = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, { message: "must be the token from the invitation's link" }).describe("The token from the invitation's link"),
});
export type AcceptInvitationInput = z.output<typeof acceptInvitationInput>;

export const serviceAccountOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  role: z.enum(SERVICE_ACCOUNT_ROLES),
  created_by: z.object({ id: z.uuid(), email: z.string().nullable() }).nullable(),
  created_at: timestamp,
  limits: usageLimits.nullable().describe("Limits shared by all its keys (one counter for the service account), on top of each key's; null: none"),
});
export type ServiceAccount = z.output<typeof serviceAccountOutput>;

export const createServiceAccountInput = z.strictObject({
  name: plainText({ max: 100, singleLine: true }).describe("What it is for, e.g. \"CI deploys\""),
  role: z.enum(SERVICE_ACCOUNT_ROLES).optional().default("developer").describe("What its keys may do at most; developer when omitted"),
});
export type CreateServiceAccountInput = z.output<typeof createServiceAccountInput>;

export const updateServiceAccountInput = z
  .strictObject({
    limits: sharedLimits.describe(
        "The limits its keys share; null: none. Lowering them (narrowing) needs members:write; raising or removing them (widening) " +
          "needs a signed-in session (with its second factor when the user has one)",
      ),
  })
  .describe("What to change");
export type UpdateServiceAccountInput = z.output<typeof updateServiceAccountInput>;
