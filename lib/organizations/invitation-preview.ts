import "server-only";

import { acceptInvitationInput, type Role } from "@/lib/contract";
import type { Db } from "@/lib/db";

import { hashToken } from "./invitations";

export type InvitationPreview = {
  email: string;
  role: Role;
  organizationName: string;
  invitedBy: string | null;
  expiresAt: Date;
};

/**
 * What the accept page shows before anyone accepts: the pending invitation a link's token
 * leads to (its organization, role, address and sender), or null for a malformed, unknown,
 * expired, revoked or used link — one answer for all, as POST /api/v1/invitations/accept
 * gives. Reads only; accepting goes through the API. The token is looked up by its SHA-256,
 * the only form the database keeps.
 */
export async function previewInvitation(db: Db, token: string, now: Date = new Date()): Promise<InvitationPreview | null> {
  if (!acceptInvitationInput.safeParse({ token }).success) return null;
  const hash = hashToken(token);
  const [row] = await db<{ email: string; role: Role; organization_name: string; invited_by: string | null; expires_at: Date }[]>`
    select i.email, i.role, o.name as organization_name, u.email as invited_by, i.expires_at
    from public.organization_invitations i
    join public.organizations o on o.id = i.organization_id
    left join auth.users u on u.id = i.invited_by
    where i.token_hash = ${hash} and i.accepted_at is null and i.revoked_at is null and i.expires_at > ${now}`;
  return row
    ? { email: row.email, role: row.role, organizationName: row.organization_name, invitedBy: row.invited_by, expiresAt: row.expires_at }
    : null;
}
