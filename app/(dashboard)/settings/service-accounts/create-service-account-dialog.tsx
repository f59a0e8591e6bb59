"use client";

import { useState, type FormEvent } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { Dialog, DialogFormActions } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/text-field";
import { createServiceAccountInput, ROLE_DESCRIPTIONS, SERVICE_ACCOUNT_ROLES, type ServiceAccount, type ServiceAccountRole } from "@/lib/contract/organizations";
import { callApi } from "@/lib/ui/api";
import { ROLE_LABELS } from "@/lib/ui/organizations";
import { useCallFailure } from "@/lib/ui/use-call-failure";

/** Create service account: a name and a role; POST /api/v1/organization/service-accounts. */
export function CreateServiceAccountDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (account: ServiceAccount) => void }) {
  const [name, setName] = useState("");
  const [role, setRole] = useState<ServiceAccountRole>("developer");
  const [nameError, setNameError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const { failure, fail, clear } = useCallFailure();

  function close() {
    setName("");
    setRole("developer");
    setNameError(null);
    clear();
    setPending(false);
    onClose();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    clear();
    const parsed = createServiceAccountInput.safeParse({ name: name.trim(), role });
    if (!parsed.success) {
      setNameError("Give it a name of one line, up to 100 characters, e.g. “CI deploys”.");
      document.getElementById("sa-name")?.focus();
      return;
    }
    setPending(true);
    const result = await callApi("createServiceAccount", { body: parsed.data });
    setPending(false);
    if (!result.ok) {
      if (result.code === "conflict") return setNameError("A service account already has that name. Choose another.");
      return fail(result);
    }
    setName("");
    setRole("developer");
    onCreated(result.data);
  }

  return (
    <Dialog open={open} onClose={close} dismissible={!pending} title="Create service account">
      <form onSubmit={submit} noValidate className="space-y-5">
        <TextField
          id="sa-name"
          label="Name"
          data-autofocus
          value={name}
          onValue={(value) => {
            setName(value);
            setNameError(null);
          }}
          maxLength={100}
          autoComplete="off"
          placeholder="e.g. CI deploys"
          error={nameError}
        />
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-neutral-900 dark:text-neutral-100">Role</legend>
          {SERVICE_ACCOUNT_ROLES.map((choice) => (
            <label
              key={choice}
              htmlFor={`sa-role-${choice}`}
              className="flex cursor-pointer items-start gap-2 rounded-md border border-neutral-200 p-2.5 text-sm has-[:checked]:border-neutral-900 dark:border-neutral-800 dark:has-[:checked]:border-neutral-300"
            >
              <input type="radio" id={`sa-role-${choice}`} name="sa-role" checked={role === choice} onChange={() => setRole(choice)} className="mt-0.5" />
              <span>
                <span className="font-medium">{ROLE_LABELS[choice]}</span>
                <span className="block text-xs text-neutral-500 dark:text-neutral-400">{ROLE_DESCRIPTIONS[choice]}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <ApiErrorAlert error={failure} />
        <DialogFormActions onCancel={close} pending={pending} label="Create service account" pendingLabel="Creating…" />
      </form>
    </Dialog>
  );
}
