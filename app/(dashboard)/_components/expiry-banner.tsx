import Link from "next/link";

import { LocalTime } from "@/components/local-time";
import { Alert } from "@/components/ui/alert";
import { expiringSoon } from "@/lib/api-keys/service";
import type { PageWorkspace } from "@/lib/auth/page-session";
import { keyReach } from "@/lib/auth/reach";
import { db } from "@/lib/db";
import { EXPIRY_WARNING_DAYS } from "@/lib/ui/api-key-status";

/**
 * On every dashboard page while any live key expires within 7 days: how many, the first
 * expiry, and where to roll them. Rendered on the server (no client JavaScript).
 */
export async function ExpiryBanner({ workspace }: { workspace: PageWorkspace }) {
  if (workspace.blocked) return null;
  const { count, soonest } = await expiringSoon(db, { reach: keyReach(workspace), days: EXPIRY_WARNING_DAYS });
  if (count === 0 || !soonest) return null;
  return (
    <div className="mb-6" data-testid="expiry-banner">
      <Alert tone="warning" title={count === 1 ? "An API key expires soon" : `${count} API keys expire soon`}>
        {count === 1 ? "It stops working" : "The first stops working"} <LocalTime iso={soonest} format="datetime" />.{" "}
        <Link href="/settings/api-keys" className="font-medium underline underline-offset-2">
          Roll {count === 1 ? "it" : "them"} in Settings → API Keys
        </Link>{" "}
        to replace {count === 1 ? "it" : "them"} without downtime.
      </Alert>
    </div>
  );
}
