"use client";

import { useState, type FormEvent } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { Alert } from "@/components/ui/alert";
import { Dialog, DialogFormActions } from "@/components/ui/dialog";
import { FieldError } from "@/components/ui/field";
import { TextField } from "@/components/ui/text-field";
import type { ServiceAccountRole } from "@/lib/contract/organizations";
import { SCOPE_DESCRIPTIONS, type Scope } from "@/lib/contract/scopes";
import { NUMERIC_CONDITIONS, REQUIRED_CONDITIONS, TRUST_POLICY_PROVIDERS, type TrustPolicy } from "@/lib/contract/trust-policies";
import { callApi } from "@/lib/ui/api";
import {
  CONDITION_LABELS,
  defaultIssuer,
  emptyPolicyForm,
  formConditions,
  policyBody,
  PROVIDER_LABELS,
  UNTRUSTED_EVENTS_WARNING,
  type PolicyForm,
  type PolicyFormErrors,
} from "@/lib/ui/trust-policies";
import { useCallFailure } from "@/lib/ui/use-call-failure";

/** Create trust policy: GitHub, GitLab or another issuer, its conditions (numeric ids required), scopes and lifetime. */
export function CreateTrustPolicyDialog({
  open,
  account,
  roleScopes,
  appUrl,
  onClose,
  onCreated,
}: {
  open: boolean;
  account: { id: string; name: string; role: ServiceAccountRole };
  roleScopes: Scope[];
  appUrl: string;
  onClose: () => void;
  onCreated: (policy: TrustPolicy) => void;
}) {
  const [form, setForm] = useState<PolicyForm>(() => ({ ...emptyPolicyForm(), scopes: roleScopes }));
  const [errors, setErrors] = useState<PolicyFormErrors>({});
  const [pending, setPending] = useState(false);
  const { failure, fail, clear } = useCallFailure();

  const edit = (patch: Partial<PolicyForm>, field?: string) => {
    setForm((f) => ({ ...f, ...patch }));
    if (field)
      setErrors((e) => {
        const next = { ...e };
        delete next[field];
        return next;
      });
  };

  function close() {
    setForm({ ...emptyPolicyForm(), scopes: roleScopes });
    setErrors({});
    clear();
    setPending(false);
    onClose();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    clear();
    // All of the role's scopes: sent as none, so the policy follows the role.
    const checked = { ...form, scopes: form.scopes.length === roleScopes.length ? [] : form.scopes };
    if (form.scopes.length === 0) return setErrors({ scopes: "Choose at least one scope." });
    const built = policyBody(checked);
    if (!built.ok) {
      setErrors(built.errors);
      const first = Object.keys(built.errors)[0];
      if (first) document.getElementById(`tp-${first}`)?.focus();
      return;
    }
    setPending(true);
    const result = await callApi("createTrustPolicy", { params: { id: account.id }, body: built.body });
    setPending(false);
    if (!result.ok) return fail(result);
    setForm({ ...emptyPolicyForm(), scopes: roleScopes });
    onCreated(result.data);
  }

  const provider = form.provider;
  const issuer = defaultIssuer(provider);
  return (
    <Dialog open={open} onClose={close} dismissible={!pending} title={`Create a trust policy for “${account.name}”`} size="lg">
      <form onSubmit={submit} noValidate className="space-y-5">
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-neutral-900 dark:text-neutral-100">CI provider</legend>
          <div className="grid gap-2 sm:grid-cols-3">
            {TRUST_POLICY_PROVIDERS.map((choice) => (
              <label
                key={choice}
                htmlFor={`tp-provider-${choice}`}
                className="flex cursor-pointer items-center gap-2 rounded-md border border-neutral-200 p-2.5 text-sm has-[:checked]:border-neutral-900 dark:border-neutral-800 dark:has-[:checked]:border-neutral-300"
              >
                <input
                  type="radio"
                  id={`tp-provider-${choice}`}
                  name="tp-provider"
                  checked={provider === choice}
                  onChange={() => {
                    setForm((f) => ({ ...f, provider: choice, issuer: "", conditions: {} }));
                    setErrors({});
                  }}
                />
                {PROVIDER_LABELS[choice]}
              </label>
            ))}
          </div>
        </fieldset>

        {provider === "github" ? (
          <Alert tone="warning">{UNTRUSTED_EVENTS_WARNING}</Alert>
        ) : null}

        <TextField
          id="tp-name"
          label="Name"
          data-autofocus
          value={form.name}
          onValue={(name) => edit({ name }, "name")}
          maxLength={100}
          autoComplete="off"
          placeholder="e.g. deploy from main"
          error={errors.name}
        />
        <TextField
          id="tp-issuer"
          label="Issuer"
          optional={issuer !== null}
          value={form.issuer}
          onValue={(value) => edit({ issuer: value }, "issuer")}
          placeholder={issuer ?? "https://oidc.example.com"}
          hint={
            provider === "github"
              ? `GitHub Actions' issuer, ${issuer}, unless you use GitHub Enterprise's own.`
              : provider === "gitlab"
                ? `Leave empty for gitlab.com; a self-managed GitLab: its URL.`
                : "The issuer's URL, exactly as the token's iss claim says; its keys are found by OIDC discovery."
          }
          inputMode="url"
          autoComplete="off"
          error={errors.issuer}
        />
        <TextField
          id="tp-audience"
          label="Audience"
          optional
          value={form.audience}
          onValue={(audience) => edit({ audience }, "audience")}
          placeholder={appUrl}
          hint={`The token's aud. Leave empty for this app's URL (${appUrl}), which tt asks for by default.`}
          autoComplete="off"
          error={errors.audience}
        />

        <fieldset className="space-y-3">
          <legend className="text-sm font-medium text-neutral-900 dark:text-neutral-100">Conditions on the token&apos;s claims</legend>
          <p className="text-xs text-neutral-500 dark:text-neutral-400">
            Compared exactly. Use numeric ids, not names: a name can be registered again by someone else, an id cannot.
          </p>
          <div className="grid gap-4 sm:grid-cols-2">
            {formConditions(provider).map((claim) => (
              <TextField
                key={`${provider}-${claim}`}
                id={`tp-condition-${claim}`}
                label={CONDITION_LABELS[claim]?.label ?? claim}
                optional={!REQUIRED_CONDITIONS[provider].includes(claim)}
                hint={CONDITION_LABELS[claim]?.hint}
                value={form.conditions[claim] ?? ""}
                onValue={(value) => edit({ conditions: { ...form.conditions, [claim]: value } }, `condition-${claim}`)}
                inputMode={NUMERIC_CONDITIONS.includes(claim) ? "numeric" : undefined}
                autoComplete="off"
                error={errors[`condition-${claim}`]}
              />
            ))}
          </div>
          <FieldError id="tp-conditions-error">{errors.conditions}</FieldError>
        </fieldset>

        <fieldset className="space-y-2" aria-describedby={errors.scopes ? "tp-scopes-error" : undefined}>
          <legend className="text-sm font-medium text-neutral-900 dark:text-neutral-100">What its keys may do</legend>
          <div className="grid gap-1.5 sm:grid-cols-2">
            {roleScopes.map((scope, i) => (
              <label key={scope} htmlFor={i === 0 ? "tp-scopes" : `tp-scope-${scope}`} className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  id={i === 0 ? "tp-scopes" : `tp-scope-${scope}`}
                  className="mt-0.5"
                  checked={form.scopes.includes(scope)}
                  onChange={(e) => edit({ scopes: e.target.checked ? [...form.scopes, scope] : form.scopes.filter((s) => s !== scope) }, "scopes")}
                />
                <span>
                  <code className="font-mono text-xs">{scope}</code>
                  <span className="block text-xs text-neutral-500 dark:text-neutral-400">{SCOPE_DESCRIPTIONS[scope]}</span>
                </span>
              </label>
            ))}
          </div>
          <FieldError id="tp-scopes-error">{errors.scopes}</FieldError>
        </fieldset>

        <TextField
          id="tp-lifetime"
          label="Key lifetime, in minutes"
          value={form.lifetimeMinutes}
          onValue={(lifetimeMinutes) => edit({ lifetimeMinutes }, "lifetime")}
          inputMode="numeric"
          hint="1 to 60. A key lives this long after the job gets it; disabling the policy stops it sooner."
          autoComplete="off"
          error={errors.lifetime}
        />
        {errors.form ? <Alert tone="error">{errors.form}</Alert> : null}
        <ApiErrorAlert error={failure} />
        <DialogFormActions onCancel={close} pending={pending} label="Create trust policy" pendingLabel="Creating…" />
      </form>
    </Dialog>
  );
}
