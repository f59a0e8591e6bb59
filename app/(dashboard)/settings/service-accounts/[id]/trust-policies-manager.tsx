"use client";

import { useEffect, useRef, useState } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { LocalTime } from "@/components/local-time";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { TableSkeleton } from "@/components/ui/skeleton";
import { ACTIONS_COLUMN, Table, cellClasses } from "@/components/ui/table";
import type { ServiceAccountRole } from "@/lib/contract/organizations";
import type { Scope } from "@/lib/contract/scopes";
import type { TrustPolicy } from "@/lib/contract/trust-policies";
import { callApi } from "@/lib/ui/api";
import { ROLE_LABELS } from "@/lib/ui/organizations";
import { conditionLabel, PROVIDER_LABELS } from "@/lib/ui/trust-policies";
import { useCallFailure } from "@/lib/ui/use-call-failure";

import { CreateTrustPolicyDialog } from "./create-trust-policy-dialog";
import { TrustPolicyCheck } from "./trust-policy-check";

const td = cellClasses;
type Account = { id: string; name: string; role: ServiceAccountRole };

/** A service account's trust policies: listed, created, enabled/disabled, deleted; and the live check. */
export function TrustPoliciesManager({ account, roleScopes, canManage, appUrl }: { account: Account; roleScopes: Scope[]; canManage: boolean; appUrl: string }) {
  const [policies, setPolicies] = useState<TrustPolicy[] | null>(null);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<TrustPolicy | null>(null);
  const [toggling, setToggling] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ text: string; warnings: string[] } | null>(null);
  const notices = useRef<HTMLDivElement>(null);
  const { failure, fail, clear } = useCallFailure();

  // Bumped after every change: the list is asked for again.
  const [version, setVersion] = useState(0);

  useEffect(() => {
    // The list is the API's (owners and admins only); nothing to ask for anyone else.
    if (!canManage) return;
    let current = true;
    void callApi("listTrustPolicies", { params: { id: account.id } }).then((result) => {
      if (!current) return;
      if (!result.ok) fail(result);
      else setPolicies(result.data);
    });
    return () => {
      current = false;
    };
  }, [account.id, canManage, fail, version]);

  function announce(text: string, warnings: string[] = []) {
    setNotice({ text, warnings });
    notices.current?.focus();
    setVersion((v) => v + 1);
  }

  async function toggle(policy: TrustPolicy) {
    clear();
    setToggling(policy.id);
    const result = await callApi("updateTrustPolicy", { params: { id: policy.id }, body: { enabled: !policy.enabled } });
    setToggling(null);
    if (!result.ok) return fail(result);
    announce(
      result.data.enabled
        ? `Enabled “${result.data.name}”: CI jobs that match it can get keys again.`
        : `Disabled “${result.data.name}”: every key it minted stopped working, and it mints no more.`,
    );
  }

  const createButton = canManage ? (
    <Button variant="primary" onClick={() => setCreating(true)}>
      Create trust policy
    </Button>
  ) : null;

  return (
    <div className="space-y-8">
      <div>
        <PageHeader
          eyebrow={`Service account · ${ROLE_LABELS[account.role]}`}
          title={account.name}
          description="Trust policies let CI jobs — GitHub Actions, GitLab CI, any OIDC issuer — trade the token their CI signs for a short-lived key of this service account, with no secret stored in the CI. Disabling or deleting a policy stops every key it minted at once."
          actions={policies && policies.length > 0 ? createButton : undefined}
        />
        <div ref={notices} tabIndex={-1} role="status" className="mt-6 space-y-3 focus:outline-none empty:mt-0">
          {notice ? <Alert tone="success">{notice.text}</Alert> : null}
          {notice?.warnings.map((w) => (
            <Alert key={w} tone="warning">
              {w}
            </Alert>
          ))}
        </div>
        {failure ? (
          <div className="mt-6">
            <ApiErrorAlert error={failure} />
          </div>
        ) : null}
        {canManage ? null : (
          <Alert tone="info" className="mt-6">
            Only owners and admins can see and manage trust policies.
          </Alert>
        )}
      </div>

      {!canManage ? null : policies === null ? (
        <TableSkeleton label="Loading trust policies" />
      ) : policies.length === 0 ? (
        <EmptyState title="No trust policies yet" action={createButton}>
          Make one for each repository or project whose CI jobs should act as {account.name}. See docs/CI.md for the workflow files.
        </EmptyState>
      ) : (
        <Table
          caption={`Trust policies of ${account.name}`}
          columns={[{ label: "Policy" }, { label: "Conditions", className: "hidden md:table-cell" }, { label: "Status" }, ACTIONS_COLUMN]}
        >
          {policies.map((policy) => (
            <tr key={policy.id} data-trust-policy={policy.name}>
              <td className={td}>
                <div className="font-medium wrap-anywhere text-neutral-900 dark:text-neutral-100">{policy.name}</div>
                <div className="mt-0.5 text-xs wrap-anywhere text-neutral-500 dark:text-neutral-400">
                  {PROVIDER_LABELS[policy.provider]} · keys live {Math.round(policy.token_lifetime_seconds / 60)} min · id <code className="font-mono">{policy.id}</code>
                </div>
                <div className="mt-0.5 text-xs text-neutral-500 dark:text-neutral-400">
                  {policy.last_used_at ? (
                    <>
                      Last minted a key <LocalTime iso={policy.last_used_at} />
                    </>
                  ) : (
                    "Has not minted a key yet"
                  )}
                </div>
                <Conditions policy={policy} className="mt-2 md:hidden" />
                {policy.warnings.map((w) => (
                  <p key={w} className="mt-1 text-xs text-amber-800 dark:text-amber-300">
                    ⚠ {w}
                  </p>
                ))}
              </td>
              <td className={`${td} hidden md:table-cell`}>
                <Conditions policy={policy} />
              </td>
              <td className={td}>{policy.enabled ? <Badge tone="green">Enabled</Badge> : <Badge tone="neutral">Disabled</Badge>}</td>
              <td className={`${td} text-right`}>
                <div className="flex flex-col items-end gap-1 sm:flex-row sm:justify-end">
                  <Button size="sm" variant="ghost" disabled={toggling === policy.id} onClick={() => void toggle(policy)} aria-label={`${policy.enabled ? "Disable" : "Enable"} ${policy.name}`}>
                    {toggling === policy.id ? "Saving…" : policy.enabled ? "Disable" : "Enable"}
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost-danger"
                    onClick={() => setDeleting(policy)}
                    aria-label={`Delete ${policy.name}`}
                  >
                    Delete
                  </Button>
                </div>
              </td>
            </tr>
          ))}
        </Table>
      )}

      {canManage ? <TrustPolicyCheck /> : null}

      <CreateTrustPolicyDialog
        open={creating}
        account={account}
        roleScopes={roleScopes}
        appUrl={appUrl}
        onClose={() => setCreating(false)}
        onCreated={(policy) => {
          setCreating(false);
          announce(`Created the trust policy “${policy.name}”. Set TUNED_TENSOR_OIDC_POLICY=${policy.id} in the CI job.`, policy.warnings);
        }}
      />
      <ConfirmDialog
        target={deleting}
        title={deleting ? `Delete “${deleting.name}”?` : "Delete trust policy"}
        action="Delete trust policy"
        pendingAction="Deleting…"
        finalFocus={notices}
        onClose={() => setDeleting(null)}
        run={(policy) => callApi("deleteTrustPolicy", { params: { id: policy.id } })}
        onDone={(policy) => {
          setDeleting(null);
          announce(`Deleted the trust policy “${policy.name}”. Every key it minted stopped working.`);
        }}
      >
        {(policy) => (
          <>
            CI jobs can no longer get keys through <strong className="font-medium text-neutral-900 dark:text-neutral-100">{policy.name}</strong>, and{" "}
            <strong className="font-medium text-neutral-900 dark:text-neutral-100">every key it minted stops working at once</strong>, even those still in
            their lifetime: requests that use them are refused with <code className="font-mono text-xs">403 forbidden</code>. This can&apos;t be undone.
          </>
        )}
      </ConfirmDialog>
    </div>
  );
}

function Conditions({ policy, className }: { policy: TrustPolicy; className?: string }) {
  return (
    <dl className={`space-y-0.5 text-xs ${className ?? ""}`}>
      <div className="flex flex-wrap gap-x-1">
        <dt className="text-neutral-500 dark:text-neutral-400">Issuer</dt>
        <dd className="font-mono wrap-anywhere">{policy.issuer}</dd>
      </div>
      {Object.entries(policy.conditions).map(([claim, value]) => (
        <div key={claim} className="flex flex-wrap gap-x-1">
          <dt className="text-neutral-500 dark:text-neutral-400">{conditionLabel(claim)}</dt>
          <dd className="font-mono wrap-anywhere">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
