import type { Metadata } from "next";
import Link from "next/link";

import { LocalTime } from "@/components/local-time";
import { LogoutButton } from "@/components/logout-button";
import { Alert } from "@/components/ui/alert";
import { requirePageSession } from "@/lib/auth/page-session";
import { db } from "@/lib/db";
import { previewInvitation } from "@/lib/organizations/invitation-preview";
import { ROLE_LABELS } from "@/lib/ui/organizations";

import { AuthCard, linkClasses } from "../../auth-card";
import { AcceptInvitationButton } from "./accept-invitation-button";

export const metadata: Metadata = { title: "Accept invitation" };

const PATH = "/invitations/accept";

// /invitations/accept?token=… — where an invitation's mail links. Signed out: to /login and
// back here (proxy.ts and requirePageSession). Signed in: the organization and the role,
// and Accept (POST /api/v1/invitations/accept, then switch to it) — or, plainly, why not.
export default async function AcceptInvitationPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = (await searchParams).token;
  const token = typeof raw === "string" ? raw : "";
  const user = await requirePageSession(token ? `${PATH}?token=${encodeURIComponent(token)}` : PATH);
  const invitation = token ? await previewInvitation(db, token) : null;
  const footer = (
    <Link href="/specs" className={linkClasses}>
      Go to the dashboard
    </Link>
  );

  if (!invitation) {
    return (
      <AuthCard title="Invitation" footer={footer}>
        <Alert tone="error" title="This invitation is no longer valid">
          It may have expired (invitations last 7 days), been revoked, or been used already. Ask whoever invited you for a new one.
        </Alert>
      </AuthCard>
    );
  }

  const signedInAs = (user.email ?? "").toLowerCase();
  if (signedInAs !== invitation.email) {
    return (
      <AuthCard title={`Join ${invitation.organizationName}`} footer={footer}>
        <div className="space-y-4">
          <Alert tone="warning" title="This invitation is for another address">
            It was sent to <strong className="font-medium wrap-anywhere">{invitation.email}</strong>, and you are signed in as{" "}
            <strong className="font-medium wrap-anywhere">{user.email ?? "another account"}</strong>. Log out, sign in (or sign up) with{" "}
            {invitation.email}, then open the link in the mail again.
          </Alert>
          <LogoutButton />
        </div>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title={`Join ${invitation.organizationName}`}
      subtitle={
        invitation.invitedBy ? (
          <>
            <span className="wrap-anywhere">{invitation.invitedBy}</span> invited you to this organization.
          </>
        ) : (
          "You were invited to this organization."
        )
      }
      footer={footer}
    >
      <dl className="mb-6 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        <dt className="text-neutral-600 dark:text-neutral-400">Organization</dt>
        <dd className="wrap-anywhere" data-testid="invitation-organization">
          {invitation.organizationName}
        </dd>
        <dt className="text-neutral-600 dark:text-neutral-400">Your role</dt>
        <dd data-testid="invitation-role">{ROLE_LABELS[invitation.role]}</dd>
        <dt className="text-neutral-600 dark:text-neutral-400">For</dt>
        <dd className="wrap-anywhere">{invitation.email}</dd>
        <dt className="text-neutral-600 dark:text-neutral-400">Expires</dt>
        <dd>
          <LocalTime iso={invitation.expiresAt.toISOString()} format="datetime" />
        </dd>
      </dl>
      <AcceptInvitationButton token={token} organizationName={invitation.organizationName} />
    </AuthCard>
  );
}
