// Organizations as the dashboard words them. Pure; runs in the browser too.
import { ROLE_DESCRIPTIONS, ROLES, type Role } from "@/lib/contract/organizations";

export const ROLE_LABELS: Record<Role, string> = { owner: "Owner", admin: "Admin", developer: "Developer", viewer: "Viewer" };

/** The roles, each with its label and what it may do, for selects and radio groups. */
export const ROLE_CHOICES = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role], description: ROLE_DESCRIPTIONS[role] }));

/**
 * Where the dashboard goes after switching organization: the section the user was in, not
 * a page of the organization left behind (a spec's or a key's id means nothing in the next).
 */
export function sectionPath(pathname: string): string {
  const [first, second] = pathname.split("/").filter(Boolean);
  if (!first) return "/specs";
  if (first === "settings" && second) return `/settings/${second}`;
  if (first === "cli") return pathname;
  return `/${first}`;
}

/** The words for a failed invitation, by what the API said (acceptInvitation). */
export function invitationProblem(status: number, code: string, message: string): string {
  if (status === 404 || code === "not_found") return "This invitation is no longer valid. It may have expired, been revoked or been used already; ask for a new one.";
  // lib/ui/api.ts words every 403 alike; here it can only mean the account is not the invited one.
  if (status === 403) return "This account can't accept the invitation: sign in with the invited address, confirmed, then open the link again.";
  return message;
}
