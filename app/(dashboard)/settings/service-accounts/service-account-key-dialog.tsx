"use client";

import { useState, type FormEvent } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { KeyCodePrompt, useKeyCodePrompt } from "@/components/key-code-prompt";
import { Dialog, DialogFormActions } from "@/components/ui/dialog";
import { FieldHint, Label, inputClasses } from "@/components/ui/field";
import { TextField } from "@/components/ui/text-field";
import { createApiKeyInput, type CreatedApiKey } from "@/lib/contract/api-keys";
import type { ServiceAccount } from "@/lib/contract/organizations";
import { callApi } from "@/lib/ui/api";
import { EXPIRY_CHOICES, expiresAtFor, type ExpiryChoice } from "@/lib/ui/api-key-status";
import { useCallFailure } from "@/lib/ui/use-call-failure";

import { NewKeyStep } from "../api-keys/new-key-reveal";

const CHOICES = EXPIRY_CHOICES.filter((choice) => choice.value !== "custom");

/**
 * A key for a service account: a name and an expiry (its scopes: its role's), then the key,
 * shown once as in Settings → API Keys. POST …/service-accounts/:id/keys; the full key lives
 * only in this dialog's state. A second factor asked for by the API is asked for here.
 */
export function ServiceAccountKeyDialog({ target, onClose, onCreated }: { target: ServiceAccount | null; onClose: () => void; onCreated: () => void }) {
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState<ExpiryChoice>("90");
  const [nameError, setNameError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const stepUp = useKeyCodePrompt();
  const { failure, fail, clear } = useCallFailure();

  function close() {
    setCreated(null);
    setName("");
    setExpiry("90");
    setNameError(null);
    stepUp.reset();
    clear();
    setPending(false);
    onClose();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!target) return;
    clear();
    const input = { name: name.trim(), expires_at: expiresAtFor(expiry, "", Date.now()) ?? null };
    const parsed = createApiKeyInput.safeParse(input);
    if (!parsed.success) {
      setNameError("Give the key a name of one line, up to 100 characters.");
      document.getElementById("sa-key-name")?.focus();
      return;
    }
    setPending(true);
    if (!(await stepUp.verify())) {
      setPending(false);
      return;
    }
    const result = await callApi("createServiceAccountKey", { params: { id: target.id }, body: parsed.data });
    setPending(false);
    if (!result.ok && result.secondFactor) {
      stepUp.ask();
      return;
    }
    if (!result.ok) return fail(result);
    setCreated(result.data);
    onCreated();
  }

  return (
    <Dialog
      open={target !== null}
      onClose={close}
      dismissible={!pending}
      size={created ? "lg" : "md"}
      title={created ? "Save the service account's key" : target ? `Create a key for “${target.name}”` : "Create a key"}
    >
      {created ? (
        <NewKeyStep created={created} onDone={close} />
      ) : (
        <form onSubmit={submit} noValidate className="space-y-5">
          <p className="text-sm text-neutral-600 dark:text-neutral-400">
            The key acts as the service account: it may do what the account&apos;s role allows, and keeps working whoever leaves the organization.
          </p>
          <TextField
            id="sa-key-name"
            label="Key name"
            data-autofocus
            value={name}
            onValue={(value) => {
              setName(value);
              setNameError(null);
            }}
            maxLength={100}
            autoComplete="off"
            placeholder="e.g. GitHub Actions"
            error={nameError}
          />
          <div className="space-y-1.5">
            <Label htmlFor="sa-key-expiry">Expiration</Label>
            <select id="sa-key-expiry" value={expiry} onChange={(e) => setExpiry(e.target.value as ExpiryChoice)} aria-describedby="sa-key-expiry-hint" className={inputClasses(false, "pr-8")}>
              {CHOICES.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
            <FieldHint id="sa-key-expiry-hint">The organization may limit how long keys live; roll the key before it expires.</FieldHint>
          </div>
          {stepUp.asking ? (
            <KeyCodePrompt id="sa-key-code" {...stepUp.field} />
          ) : null}
          <ApiErrorAlert error={failure} />
          <DialogFormActions onCancel={close} pending={pending} label={stepUp.asking ? "Verify and create key" : "Create key"} pendingLabel="Creating…" />
        </form>
      )}
    </Dialog>
  );
}
