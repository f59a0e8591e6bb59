"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";

import { LocalTime } from "@/components/local-time";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { ACTIONS_COLUMN, Table, cellClasses } from "@/components/ui/table";
import { LimitsDialog } from "@/components/usage-limits/limits-dialog";
import type { ServiceAccount } from "@/lib/contract";
import { callApi } from "@/lib/ui/api";
import { ROLE_LABELS } from "@/lib/ui/organizations";
import { limitsText } from "@/lib/ui/usage-limits";

import { CreateServiceAccountDialog } from "./create-service-account-dialog";
import { DeleteServiceAccountDialog } from "./delete-service-account-dialog";
import { ServiceAccountKeyDialog } from "./service-account-key-dialog";

const td = cellClasses;

export function ServiceAccountsManager({
  organizationName,
  canManage,
  serviceAccounts,
  more,
}: {
  organizationName: string;
  canManage: boolean;
  serviceAccounts: ServiceAccount[];
  more: number;
}) {
  const router = useRouter();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<ServiceAccount | null>(null);
  const [keyFor, setKeyFor] = useState<ServiceAccount | null>(null);
  const [limitsFor, setLimitsFor] = useState<ServiceAccount | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const notices = useRef<HTMLDivElement>(null);

  function announce(text: string) {
    setNotice(text);
    notices.current?.focus();
    router.refresh();
  }

  const createButton = canManage ? (
    <Button variant="primary" onClick={() => setCreating(true)}>
      Create service account
    </Button>
  ) : null;

  return (
    <div className="space-y-8">
      <div>
        <PageHeader
          eyebrow="Settings"
          title="Service accounts"
          description={`A service account holds API keys on behalf of ${organizationName} — for CI, deploys, other machines — so they keep working when the people who made them leave. Its role bounds what its keys may do.`}
          actions={serviceAccounts.length > 0 ? createButton : undefined}
        />
        <div ref={notices} tabIndex={-1} role="status" className="mt-6 focus:outline-none empty:mt-0">
          {notice ? <Alert tone="success">{notice}</Alert> : null}
        </div>
        {canManage ? null : (
          <Alert tone="info" className="mt-6">
            Only owners and admins can create service accounts and their keys.
          </Alert>
        )}
      </div>

      {serviceAccounts.length === 0 ? (
        <EmptyState title="No service accounts yet" action={createButton}>
          Make one for each machine that calls the API, then create its keys here.
        </EmptyState>
      ) : (
        <Table
          caption={`Service accounts of ${organizationName}`}
          columns={[
            { label: "Name" },
            { label: "Role" },
            { label: "Limits (shared by its keys)", className: "hidden sm:table-cell" },
            { label: "Created", className: "hidden md:table-cell" },
            ...(canManage ? [ACTIONS_COLUMN] : []),
          ]}
        >
          {serviceAccounts.map((account) => (
            <tr key={account.id} data-service-account={account.name}>
              <td className={td}>
                <Link
                  href={`/settings/service-accounts/${account.id}`}
                  className="font-medium wrap-anywhere text-neutral-900 underline-offset-4 hover:underline dark:text-neutral-100"
                >
                  {account.name}
                </Link>
                <div className="mt-0.5 text-xs text-neutral-500 md:hidden dark:text-neutral-400">
                  Created <LocalTime iso={account.created_at} format="date" />
                </div>
                <div className="mt-0.5 text-xs text-neutral-500 sm:hidden dark:text-neutral-400">Limits: {limitsText(account.limits)}</div>
              </td>
              <td className={td}>{ROLE_LABELS[account.role]}</td>
              <td className={`${td} hidden sm:table-cell`} data-testid="service-account-limits">
                {limitsText(account.limits)}
              </td>
              <td className={`${td} hidden md:table-cell`}>
                <LocalTime iso={account.created_at} format="date" />
                {account.created_by?.email ? <div className="text-xs wrap-anywhere text-neutral-500 dark:text-neutral-400">by {account.created_by.email}</div> : null}
              </td>
              {canManage ? (
                <td className={`${td} text-right`}>
                  <div className="flex flex-col items-end gap-1 sm:flex-row sm:justify-end">
                    <Link href={`/settings/service-accounts/${account.id}`} aria-label={`Trust policies of ${account.name}`} className={buttonClasses({ size: "sm", variant: "ghost" })}>
                      Trust policies
                    </Link>
                    <Button size="sm" variant="ghost" onClick={() => setKeyFor(account)} aria-label={`Create key for ${account.name}`}>
                      Create key
                    </Button>
                    <Button size="sm" variant="ghost" onClick={() => setLimitsFor(account)} aria-label={`Limits of ${account.name}`}>
                      Limits
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost-danger"
                      onClick={() => setDeleting(account)}
                      aria-label={`Delete ${account.name}`}
                    >
                      Delete
                    </Button>
                  </div>
                </td>
              ) : null}
            </tr>
          ))}
        </Table>
      )}
      {more > 0 ? <p className="text-sm text-neutral-600 dark:text-neutral-400">And {more} more (the API lists them all).</p> : null}
      <p className="text-sm text-neutral-600 dark:text-neutral-400">
        Their keys are listed, rolled and revoked in Settings → API Keys. A service account&apos;s trust policies (on its page) let CI jobs get short-lived keys of it without a stored secret.
      </p>

      <CreateServiceAccountDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(account) => {
          setCreating(false);
          announce(`Created the service account “${account.name}” (${ROLE_LABELS[account.role].toLowerCase()}). Create a key for it next.`);
        }}
      />
      <DeleteServiceAccountDialog
        target={deleting}
        finalFocus={notices}
        onClose={() => setDeleting(null)}
        onDeleted={(account) => {
          setDeleting(null);
          announce(`Deleted the service account “${account.name}”. Its keys no longer work.`);
        }}
      />
      <ServiceAccountKeyDialog target={keyFor} onClose={() => setKeyFor(null)} onCreated={() => router.refresh()} />
      <LimitsDialog
        open={limitsFor !== null}
        id="service-account-limits"
        title={limitsFor ? `Limits of “${limitsFor.name}”` : "Limits"}
        description="Shared by all its keys (one counter), on top of each key's own. Lowering takes effect on every server when you save; raising or removing asks for your second factor if you have one."
        initial={limitsFor?.limits ?? null}
        save={(limits) => callApi("updateServiceAccount", { params: { id: limitsFor!.id }, body: { limits } })}
        onClose={() => setLimitsFor(null)}
        onSaved={(limits) => {
          const name = limitsFor?.name ?? "";
          setLimitsFor(null);
          announce(`Saved the limits of “${name}”: ${limitsText(limits)}.`);
        }}
      />
    </div>
  );
}
