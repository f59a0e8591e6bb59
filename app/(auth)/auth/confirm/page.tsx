import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";

import { Button } from "@/components/ui/button";
import { linkAccount, readMailedLink, type LinkType } from "@/lib/account/mailed-link";

import { AuthCard, linkClasses } from "../../auth-card";

export const metadata: Metadata = { title: "Confirm", robots: { index: false } };

const WHAT: Record<LinkType, { title: string; action: string; button: string }> = {
  signup: { title: "Confirm your email address", action: "confirms the address of", button: "Confirm and log in" },
  invite: { title: "Accept the invitation", action: "accepts the invitation to", button: "Accept and log in" },
  email: { title: "Log in to Tuned Tensor", action: "logs you in as", button: "Log in" },
  recovery: { title: "Reset your password", action: "lets you choose a new password for", button: "Continue" },
  email_change: { title: "Confirm your new email address", action: "confirms the change of address of", button: "Confirm the change" },
};

// GET /auth/confirm — where every mailed link lands. Opening it changes nothing: it says
// which account the link is for, and the button exchanges it (POST /auth/confirm/accept,
// lib/account/mailed-link.ts), so another site cannot sign this browser into someone else's
// account by sending it here, and a mail scanner fetching the link does not use it up.
export default async function ConfirmLinkPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  const link = readMailedLink({ get: (name) => (typeof query[name] === "string" ? query[name] : null) });
  if (!link) redirect("/auth/link-error?reason=invalid");
  const account = await linkAccount(link);
  const what = WHAT[link.type];

  return (
    <AuthCard
      title={what.title}
      subtitle={
        account?.email ? (
          <>
            This link {what.action} <strong className="font-medium text-neutral-900 dark:text-neutral-100">{account.email}</strong>
            {account.newEmail ? (
              <>
                {" "}to <strong className="font-medium text-neutral-900 dark:text-neutral-100">{account.newEmail}</strong>
              </>
            ) : null}
            .
          </>
        ) : (
          `A link to log in to Tuned Tensor (${what.title.toLowerCase()}). Continue only if you asked for it.`
        )
      }
      footer={
        <>
          Not you, or didn&apos;t ask for this?{" "}
          <Link href="/login" className={linkClasses}>
            Close it and log in
          </Link>
        </>
      }
    >
      <form method="post" action="/auth/confirm/accept" className="space-y-4">
        <input type="hidden" name="token_hash" value={link.token} />
        <input type="hidden" name="type" value={link.type} />
        {link.redirectTo ? <input type="hidden" name="redirect_to" value={link.redirectTo} /> : null}
        <p className="text-sm text-neutral-600 dark:text-neutral-400">
          {link.type === "email_change"
            ? "Nothing changes until you confirm."
            : account?.email
              ? `You will be logged in as ${account.email} in this browser.`
              : "You will be logged in to the account it was sent for, in this browser."}
        </p>
        <Button type="submit" variant="primary" className="w-full">
          {what.button}
        </Button>
      </form>
    </AuthCard>
  );
}
