import type { Metadata } from "next";

import { SubmitButton } from "@/components/submit-button";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { inputClasses, Label } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { getCurrentSession } from "@/lib/auth/current-user";
import { requirePageSession } from "@/lib/auth/page-session";
import { countAttempt, overLimit, visitor } from "@/lib/account/visitor-limit";
import { decideLoginAction } from "@/lib/account/cli-login-actions";
import { findPendingLogin } from "@/lib/cli-login/device-codes";
import { CLI_AUTHORIZE_PATH as AUTHORIZE_PATH, DEVICE_KEY_TTL_DAYS, formatUserCode, normalizeUserCode, SCOPE_DESCRIPTIONS } from "@/lib/contract";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "Authorize the CLI" };

const ERRORS: Record<string, string> = {
  unknown: "No login request is waiting with that code. It may have expired or been used: run tt auth login again.",
  limited: "Too many attempts. Wait a minute, then try again.",
  session: "Your session has ended. Log in again, then approve the request.",
};

type Search = { code?: string; done?: string; error?: string };

// /cli/authorize — where `tt auth login` sends the browser: compare the code, see what is
// asking and for what, then Authorize or Deny (lib/account/cli-login-actions.ts).
export default async function AuthorizeCliPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { code, done, error } = await searchParams;
  const typed = typeof code === "string" ? code : "";
  await requirePageSession(typed ? `${AUTHORIZE_PATH}?code=${encodeURIComponent(typed)}` : AUTHORIZE_PATH);

  if (done === "approved" || done === "denied") {
    return (
      <div className="max-w-xl space-y-6">
        <PageHeader title={done === "approved" ? "CLI authorized" : "CLI login denied"} />
        <Alert tone={done === "approved" ? "success" : "info"} live="polite">
          {done === "approved"
            ? "You can close this tab: your terminal is signed in within a few seconds."
            : "Nothing was created. Your terminal says the login was denied."}
        </Alert>
      </div>
    );
  }

  const pending = typed ? await lookUp(typed) : null;
  const problem = error && ERRORS[error] ? ERRORS[error] : typed && !pending ? ERRORS[(await limited()) ? "limited" : "unknown"] : null;

  return (
    <div className="max-w-xl space-y-6">
      <PageHeader title="Authorize the CLI" description="A terminal is asking to sign in to your account with tt auth login." />
      {problem ? (
        <Alert tone="error" live="assertive">
          {problem}
        </Alert>
      ) : null}
      {pending ? (
        <section aria-labelledby="request-heading" className="space-y-5">
          <h2 id="request-heading" className="sr-only">
            The login request
          </h2>
          <div className="space-y-1">
            <p className="text-sm text-neutral-600 dark:text-neutral-400">Check that your terminal shows the same code:</p>
            <p className="font-mono text-3xl font-semibold tracking-widest">
              {formatUserCode(pending.userCode)}
            </p>
          </div>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-neutral-600 dark:text-neutral-400">Computer</dt>
            <dd className="wrap-anywhere">{pending.hostname}</dd>
            <dt className="text-neutral-600 dark:text-neutral-400">System</dt>
            <dd className="wrap-anywhere">{pending.os}</dd>
            <dt className="text-neutral-600 dark:text-neutral-400">CLI version</dt>
            <dd className="wrap-anywhere">{pending.version}</dd>
          </dl>
          <div className="space-y-2">
            <h3 className="text-sm font-medium">It will get an API key that can</h3>
            <ul className="list-disc space-y-1 pl-5 text-sm">
              {pending.scopes.map((scope) => (
                <li key={scope}>
                  <code className="font-mono">{scope}</code>: {SCOPE_DESCRIPTIONS[scope]}
                </li>
              ))}
            </ul>
            <p className="text-sm text-neutral-600 dark:text-neutral-400">
              The key is named “tt CLI on {pending.hostname}” and stops working after {DEVICE_KEY_TTL_DAYS} days; revoke it any time in Settings → API Keys.
            </p>
          </div>
          <form action={decideLoginAction} className="flex flex-wrap gap-3">
            <input type="hidden" name="code" value={formatUserCode(pending.userCode)} />
            <button type="submit" name="intent" value="approve" className={buttonClasses({ variant: "primary" })}>
              Authorize
            </button>
            <button type="submit" name="intent" value="deny" className={buttonClasses({ variant: "secondary" })}>
              Deny
            </button>
          </form>
        </section>
      ) : (
        <form method="get" action={AUTHORIZE_PATH} className="space-y-3">
          <Label htmlFor="code">Code shown in your terminal</Label>
          <input id="code" name="code" autoComplete="off" autoCapitalize="characters" spellCheck={false} placeholder="ABCD-EFGH" className={inputClasses(false, "font-mono uppercase")} />
          <SubmitButton label="Continue" pendingLabel="Checking…" />
        </form>
      )}
    </div>
  );
}

/** The pending request for a typed code; a wrong one counts, per client and per session, in the failed-authentication limit. */
async function lookUp(typed: string) {
  if (await limited()) return null;
  const userCode = normalizeUserCode(typed);
  const pending = userCode ? await findPendingLogin(db, userCode) : null;
  if (!pending) (await clients()).forEach(countAttempt);
  return pending;
}

async function clients(): Promise<string[]> {
  const session = await getCurrentSession();
  return [await visitor(), ...(session ? [`session:${session.sessionId ?? session.id}`] : [])];
}

const limited = async () => (await clients()).some(overLimit);
