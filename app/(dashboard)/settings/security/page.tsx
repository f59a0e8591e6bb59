import type { Metadata } from "next";

import { PageHeader } from "@/components/ui/page-header";
import { requirePageSession } from "@/lib/auth/page-session";
import { listTotpFactors } from "@/lib/account/totp-factors";

import { EnrolTotp } from "./enrol-totp";
import { FactorList } from "./factor-list";

export const metadata: Metadata = { title: "Security" };

const PATH = "/settings/security";

// Settings → Security: two-factor sign-in with an authenticator app (TOTP).
export default async function SecurityPage() {
  await requirePageSession(PATH);
  // Only verified factors count (and show); an abandoned enrolment is replaced by the next one.
  const factors = (await listTotpFactors()).filter((f) => f.verified);
  return (
    <div className="space-y-8">
      <PageHeader
        title="Security"
        description="Two-factor sign-in: after your password, log-in asks for a code from an authenticator app on your phone. Creating API keys asks for it too, so a stolen password alone cannot mint one."
      />
      <section aria-labelledby="two-factor-heading" className="space-y-4">
        <div className="space-y-1">
          <h2 id="two-factor-heading" className="text-lg font-semibold tracking-tight">
            Authenticator apps
          </h2>
          <p className="text-sm text-neutral-600 dark:text-neutral-400">
            {factors.length > 0
              ? "Two-factor sign-in is on. Any of these apps can give the code."
              : "Two-factor sign-in is off. Set up an app such as 1Password, Google Authenticator or Authy to turn it on."}
          </p>
        </div>
        <FactorList factors={factors} />
        <EnrolTotp another={factors.length > 0} />
      </section>
    </div>
  );
}
