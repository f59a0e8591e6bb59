import type { Metadata } from "next";

import { LocalTime } from "@/components/local-time";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { listSessions } from "@/lib/account/sessions";
import { requirePageSession } from "@/lib/auth/page-session";
import { db } from "@/lib/db";
import { describeUserAgent } from "@/lib/ui/user-agent";

import { ChangeEmailForm, ChangePasswordForm, SignOutForms } from "./account-forms";

export const metadata: Metadata = { title: "Account" };

const PATH = "/settings/account";

function Section({ id, title, description, children }: { id: string; title: string; description: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-4 border-t border-neutral-200 pt-8 dark:border-neutral-800">
      <div className="space-y-1">
        <h2 id={id} className="text-base font-semibold">
          {title}
        </h2>
        <p className="text-sm text-neutral-600 dark:text-neutral-400">{description}</p>
      </div>
      {children}
    </section>
  );
}

export default async function AccountPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageSession(PATH);
  const [sessions, [pending]] = await Promise.all([
    listSessions(db, user.id, user.session.sessionId),
    db<{ email_change: string | null }[]>`select nullif(email_change, '') as email_change from auth.users where id = ${user.id}`,
  ]);
  const changed = (await searchParams).email === "changed";
  const others = sessions.filter((s) => !s.current).length;

  return (
    <div className="space-y-8">
      <PageHeader title="Account" description={`Signed in as ${user.email ?? "you"}.`} />
      {changed ? <Alert tone="success">Your email address is now {user.email}.</Alert> : null}

      <Section id="email-heading" title="Email" description={`Your address is ${user.email ?? "not set"}.`}>
        {pending?.email_change ? (
          <Alert tone="info">
            Waiting for confirmation of {pending.email_change}. Open the links in both inboxes.
          </Alert>
        ) : null}
        <ChangeEmailForm current={user.email} />
      </Section>

      <Section id="password-heading" title="Password" description="Changing it asks for the current one and signs out every other session.">
        <ChangePasswordForm />
      </Section>

      <Section id="sessions-heading" title="Sessions" description="Where your account is signed in: each browser that logged in, when it began and when it was last active.">
        <ul className="divide-y divide-neutral-200 rounded-lg border border-neutral-200 dark:divide-neutral-800 dark:border-neutral-800" aria-label="Active sessions">
          {sessions.map((s) => (
            <li key={s.id} className="flex flex-wrap items-baseline justify-between gap-2 px-4 py-3 text-sm">
              <span className="font-medium">
                {describeUserAgent(s.user_agent)}
                {s.current ? <span className="ml-2 rounded bg-emerald-100 px-1.5 py-0.5 text-xs text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-100">This browser</span> : null}
              </span>
              <span className="text-neutral-600 dark:text-neutral-400">
                Began <LocalTime iso={s.created_at.toISOString()} /> · active <LocalTime iso={s.last_active_at.toISOString()} format="relative" />
              </span>
            </li>
          ))}
        </ul>
        <SignOutForms others={others} />
      </Section>
    </div>
  );
}
