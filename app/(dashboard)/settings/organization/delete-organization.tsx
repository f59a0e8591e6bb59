"use client";

import { useState, type FormEvent } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFormActions } from "@/components/ui/dialog";
import { FieldHint, Label, describedBy, inputClasses } from "@/components/ui/field";
import { switchOrganization } from "@/lib/account/switch-organization";
import type { Organization } from "@/lib/contract";
import { callApi } from "@/lib/ui/api";
import { useCallFailure } from "@/lib/ui/use-call-failure";

/**
 * Delete the organization: owners only, never a personal workspace (it says why). The
 * slug typed again and, for an owner with two-factor sign-in, the current code; DELETE
 * /api/v1/organization, then back to the personal workspace.
 */
export function DeleteOrganization({ organization, hasTwoFactor }: { organization: Organization; hasTwoFactor: boolean }) {
  const [open, setOpen] = useState(false);
  const [confirm, setConfirm] = useState("");
  const [code, setCode] = useState("");
  const [pending, setPending] = useState(false);
  const { failure, fail, clear } = useCallFailure();

  if (organization.personal) {
    return (
      <section aria-labelledby="delete-heading" className="space-y-3">
        <h2 id="delete-heading" className="text-base font-semibold">
          Delete
        </h2>
        <p className="text-sm text-neutral-600 dark:text-neutral-400">
          Your personal workspace can&apos;t be deleted: every account has one, and it goes only with the account itself.
        </p>
      </section>
    );
  }
  if (organization.role !== "owner") return null;

  function close() {
    setOpen(false);
    setConfirm("");
    setCode("");
    clear();
    setPending(false);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    clear();
    if (confirm !== organization.slug) return fail(`Type ${organization.slug} to confirm.`);
    if (hasTwoFactor && !/^\d{6}$/.test(code.trim())) return fail("Enter the 6-digit code from your authenticator app.");
    setPending(true);
    const result = await callApi("deleteOrganization", { body: { confirm, ...(hasTwoFactor ? { code: code.trim() } : {}) } });
    if (!result.ok) {
      setPending(false);
      return fail(result);
    }
    await switchOrganization("", "/specs");
  }

  return (
    <section aria-labelledby="delete-heading" className="space-y-3 rounded-xl border border-red-200 p-4 dark:border-red-900/60">
      <h2 id="delete-heading" className="text-base font-semibold">
        Delete this organization
      </h2>
      <p className="text-sm text-neutral-600 dark:text-neutral-400">
        Deletes {organization.name} with its behaviour specs, API keys, service accounts, invitations and security log. Every key it held stops
        working at once. This can&apos;t be undone.
      </p>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Delete organization
      </Button>
      <Dialog open={open} onClose={close} dismissible={!pending} title={`Delete ${organization.name}?`}>
        <form onSubmit={submit} noValidate className="space-y-4 text-sm">
          <Alert tone="warning">Everything in it is deleted and its keys stop working. This can&apos;t be undone.</Alert>
          <div className="space-y-1.5">
            <Label htmlFor="delete-confirm">
              Type <code className="font-mono">{organization.slug}</code> to confirm
            </Label>
            <input
              id="delete-confirm"
              data-autofocus
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              className={inputClasses(false, "font-mono")}
            />
          </div>
          {hasTwoFactor ? (
            <div className="space-y-1.5">
              <Label htmlFor="delete-code">Code from your authenticator app</Label>
              <input
                id="delete-code"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                value={code}
                onChange={(e) => setCode(e.target.value)}
                aria-describedby={describedBy("delete-code-hint")}
                className={inputClasses(false, "max-w-40 font-mono tracking-widest")}
              />
              <FieldHint id="delete-code-hint">Your account has two-factor sign-in: deleting an organization needs a current code.</FieldHint>
            </div>
          ) : null}
          <ApiErrorAlert error={failure} />
          <DialogFormActions onCancel={close} pending={pending} label="Delete organization" pendingLabel="Deleting…" variant="danger" disabled={confirm !== organization.slug} />
        </form>
      </Dialog>
    </section>
  );
}
