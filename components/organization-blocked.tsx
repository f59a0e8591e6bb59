import Link from "next/link";

import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";

/**
 * In place of a page's data while the organization requires two-factor authentication and
 * this session has not passed it (PageWorkspace.blocked): why, and where to set it up. The
 * API refuses the same session the same data, so nothing is hidden here that it would give.
 */
export function OrganizationBlocked({ title, reason }: { title: string; reason: string }) {
  return (
    <div className="space-y-6">
      <PageHeader title={title} />
      <div data-testid="organization-blocked">
        <Alert tone="warning" title="Two-factor authentication required">
          <p>{reason}.</p>
          <p className="mt-1">
            <Link href="/settings/security" className="font-medium underline underline-offset-2">
              Set up two-factor authentication in Settings → Security
            </Link>
            , then sign in again with your code. Until then you can switch to another organization.
          </p>
        </Alert>
      </div>
    </div>
  );
}
