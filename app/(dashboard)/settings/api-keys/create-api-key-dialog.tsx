"use client";

import { useRef, useState, type FormEvent, type RefObject } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { KeyCodePrompt, useKeyCodePrompt } from "@/components/key-code-prompt";
import { Dialog, DialogFormActions } from "@/components/ui/dialog";
import { FieldError, FieldHint, Label, describedBy, inputClasses } from "@/components/ui/field";
import { TextField } from "@/components/ui/text-field";
import { LimitsFields } from "@/components/usage-limits/limits-fields";
import { createApiKeyInput, type ApiKey, type CreatedApiKey } from "@/lib/contract/api-keys";
import { issueDetails } from "@/lib/contract/errors";
import { SCOPE_DESCRIPTIONS, SCOPES, type Scope } from "@/lib/contract/scopes";
import { ACCESS_CHOICES, scopesFor, type AccessChoice } from "@/lib/ui/api-key-scopes";
import { EXPIRY_CHOICES, expiresAtFor, localDateInput, type ExpiryChoice } from "@/lib/ui/api-key-status";
import { callApi, type ApiErrorDetail } from "@/lib/ui/api";
import { useCallFailure } from "@/lib/ui/use-call-failure";
import { draftOf, limitsOfDraft, type LimitsDraft, type LimitsErrors } from "@/lib/ui/usage-limits";

import { NewKeyStep } from "./new-key-reveal";

type Errors = { name?: string; expires_at?: string; scopes?: string };

function fieldErrors(details: readonly ApiErrorDetail[]): { fields: Errors; other: string | null } {
  const fields: Errors = {};
  let other: string | null = null;
  for (const { path, message } of details) {
    if (path === "name") fields.name ??= `Name ${message}.`;
    else if (path === "expires_at") fields.expires_at ??= `The expiry date ${message}.`;
    else if (path.startsWith("scopes")) fields.scopes ??= `Scopes ${message}.`;
    else other ??= `${path} ${message}.`;
  }
  return { fields, other };
}

/**
 * Create API key: a name and an expiry, then the new key, shown once. The full key
 * lives only in this component's state while the dialog is open and is dropped when it
 * closes — it is never put in a URL, web storage or a cookie.
 */
export function CreateApiKeyDialog({
  open,
  onClose,
  onCreated,
  finalFocus,
  allowed,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (key: ApiKey) => void;
  finalFocus: RefObject<HTMLElement | null>;
  /** The scopes the user's role and the organization's policy let a new key hold. */
  allowed: readonly Scope[];
}) {
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState<ExpiryChoice>("30");
  const [customDate, setCustomDate] = useState("");
  const [access, setAccess] = useState<AccessChoice>("full");
  const [customScopes, setCustomScopes] = useState<Scope[]>([]);
  const [minDate, setMinDate] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  // The key's own limits, only when some are typed; otherwise it follows the organization's default.
  const [limitsDraft, setLimitsDraft] = useState<LimitsDraft>(draftOf(null));
  const [limitsErrors, setLimitsErrors] = useState<LimitsErrors>({});
  const limitsBox = useRef<HTMLDetailsElement>(null);
  const { failure: formError, fail, clear: clearFailure } = useCallFailure();
  const [pending, setPending] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  // The API asked for the second factor (403 with the step-up challenge): the code is
  // asked for here, verified, and the creation retried — the form keeps everything typed so far.
  const stepUp = useKeyCodePrompt();

  function close() {
    // Forget everything, the key first.
    setCreated(null);
    setName("");
    setExpiry("30");
    setCustomDate("");
    setAccess("full");
    setCustomScopes([]);
    setErrors({});
    setLimitsDraft(draftOf(null));
    setLimitsErrors({});
    clearFailure();
    setPending(false);
    stepUp.reset();
    onClose();
  }

  function choose(choice: ExpiryChoice, date = customDate) {
    setExpiry(choice);
    setErrors((e) => ({ ...e, expires_at: undefined }));
    if (choice === "custom") {
      setMinDate(localDateInput(Date.now(), 1));
      setCustomDate(date);
    }
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    clearFailure();
    const expiresAt = expiresAtFor(expiry, customDate, Date.now());
    if (expiresAt === undefined) {
      setErrors({ expires_at: "Choose the date the key should expire." });
      document.getElementById("key-expiry-date")?.focus();
      return;
    }
    // The API's own schema, so the browser and the server agree on what is valid.
    const scopes = scopesFor(access, customScopes, allowed);
    const limits = limitsOfDraft(limitsDraft);
    if (!limits.ok) {
      setLimitsErrors(limits.errors);
      if (limitsBox.current) limitsBox.current.open = true;
      document.getElementById(limits.errors.rate ? "key-limits-rate" : limits.errors.burst ? "key-limits-burst" : "key-limits-quota")?.focus();
      return;
    }
    const own = limits.limits.rate || limits.limits.quota ? { limits: limits.limits } : {};
    const input = { name, expires_at: expiresAt, scopes, ...own };
    const parsed = createApiKeyInput.safeParse(input);
    if (!parsed.success) {
      const { fields } = fieldErrors(issueDetails(parsed.error, input));
      if (fields.scopes && scopes.length === 0) fields.scopes = "Choose at least one scope, or another kind of access.";
      setErrors(fields);
      const first = fields.name ? "key-name" : fields.expires_at ? "key-expiry" : access === "custom" ? `key-scope-${allowed[0] ?? SCOPES[0]}` : `key-access-${access}`;
      document.getElementById(first)?.focus();
      return;
    }
    setErrors({});
    setPending(true);
    if (!(await stepUp.verify())) {
      setPending(false);
      return;
    }
    const result = await callApi("createApiKey", { body: parsed.data });
    setPending(false);
    if (!result.ok && result.secondFactor) {
      stepUp.ask();
      return;
    }
    if (result.ok) {
      setCreated(result.data);
      const { key: _secret, ...listed } = result.data;
      void _secret;
      onCreated(listed);
      return;
    }
    if (result.code === "validation_error" && result.details.length > 0) {
      const { fields, other } = fieldErrors(result.details);
      setErrors(fields);
      if (other) fail(other);
      return;
    }
    fail(result);
  }

  const title = created ? "Save your API key" : "Create API key";
  const description = created
    ? undefined
    : "Give the key a name that says where it will be used, so you can tell your keys apart later.";

  return (
    <Dialog open={open} onClose={close} title={title} description={description} dismissible={!pending} finalFocus={finalFocus} size={created ? "lg" : "md"}>
      {created ? (
        <NewKeyStep created={created} onDone={close} />
      ) : (
        <form onSubmit={submit} noValidate className="space-y-5">
          <TextField
            id="key-name"
            label="Name"
            name="name"
            data-autofocus
            value={name}
            onValue={(value) => {
              setName(value);
              if (errors.name) setErrors((x) => ({ ...x, name: undefined }));
            }}
            maxLength={100}
            autoComplete="off"
            placeholder="e.g. CI deploy, laptop"
            error={errors.name}
          />

          <div className="space-y-1.5">
            <Label htmlFor="key-expiry">Expiration</Label>
            <select
              id="key-expiry"
              value={expiry}
              onChange={(e) => choose(e.target.value as ExpiryChoice)}
              aria-describedby="key-expiry-hint"
              className={inputClasses(false, "pr-8")}
            >
              {EXPIRY_CHOICES.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
            <FieldHint id="key-expiry-hint">
              {expiry === "never"
                ? "The key works until you revoke it. Prefer an expiry for keys used by machines."
                : expiry === "custom"
                  ? "The key stops working at the end of the chosen day, in your time zone."
                  : `The key stops working ${expiry} days after it is created.`}
            </FieldHint>
          </div>

          {expiry === "custom" ? (
            <div className="space-y-1.5">
              <Label htmlFor="key-expiry-date">Expiry date</Label>
              <input
                id="key-expiry-date"
                type="date"
                value={customDate}
                min={minDate || undefined}
                onChange={(e) => choose("custom", e.target.value)}
                aria-invalid={errors.expires_at ? true : undefined}
                aria-describedby={describedBy(errors.expires_at && "key-expiry-error")}
                className={inputClasses(Boolean(errors.expires_at))}
              />
            </div>
          ) : null}
          <FieldError id="key-expiry-error">{errors.expires_at}</FieldError>

          <fieldset className="space-y-2" aria-describedby={describedBy(errors.scopes && "key-scopes-error")}>
            <legend className="text-sm font-medium text-neutral-900 dark:text-neutral-100">Access</legend>
            <div className="grid gap-2 sm:grid-cols-3">
              {ACCESS_CHOICES.map((choice) => (
                <label
                  key={choice.value}
                  htmlFor={`key-access-${choice.value}`}
                  className="flex cursor-pointer items-start gap-2 rounded-md border border-neutral-200 p-2.5 text-sm has-[:checked]:border-neutral-900 dark:border-neutral-800 dark:has-[:checked]:border-neutral-300"
                >
                  <input
                    type="radio"
                    id={`key-access-${choice.value}`}
                    name="key-access"
                    value={choice.value}
                    checked={access === choice.value}
                    onChange={() => {
                      setAccess(choice.value);
                      setErrors((x) => ({ ...x, scopes: undefined }));
                    }}
                    aria-describedby={`key-access-${choice.value}-hint`}
                    className="mt-0.5"
                  />
                  <span>
                    <span className="block font-medium text-neutral-900 dark:text-neutral-100">{choice.label}</span>
                    <span id={`key-access-${choice.value}-hint`} className="block text-xs text-neutral-500 dark:text-neutral-400">
                      {choice.hint}
                    </span>
                  </span>
                </label>
              ))}
            </div>
            {access === "custom" ? (
              <fieldset className="space-y-1.5 rounded-md border border-neutral-200 p-3 dark:border-neutral-800">
                <legend className="px-1 text-xs font-medium text-neutral-700 dark:text-neutral-300">Scopes</legend>
                {SCOPES.filter((scope) => allowed.includes(scope)).map((scope) => (
                  <div key={scope} className="flex items-start gap-2 text-sm">
                    <input
                      type="checkbox"
                      id={`key-scope-${scope}`}
                      checked={customScopes.includes(scope)}
                      onChange={(e) => {
                        setCustomScopes((list) => (e.target.checked ? [...list, scope] : list.filter((s) => s !== scope)));
                        setErrors((x) => ({ ...x, scopes: undefined }));
                      }}
                      aria-describedby={`key-scope-${scope}-hint`}
                      aria-invalid={errors.scopes ? true : undefined}
                      className="mt-0.5"
                    />
                    <label htmlFor={`key-scope-${scope}`} className="min-w-0">
                      <code className="font-mono text-[0.8125rem] text-neutral-900 dark:text-neutral-100">{scope}</code>
                      <span id={`key-scope-${scope}-hint`} className="block text-xs text-neutral-500 dark:text-neutral-400">
                        {SCOPE_DESCRIPTIONS[scope]}
                      </span>
                    </label>
                  </div>
                ))}
              </fieldset>
            ) : null}
            <FieldError id="key-scopes-error">{errors.scopes}</FieldError>
          </fieldset>

          <details ref={limitsBox} className="rounded-md border border-neutral-200 p-3 dark:border-neutral-800">
            <summary className="cursor-pointer text-sm font-medium text-neutral-900 dark:text-neutral-100">Limits (optional)</summary>
            <p className="mt-2 text-xs text-neutral-500 dark:text-neutral-400">Without its own, the key follows the organization&apos;s default limits.</p>
            <div className="mt-3">
              <LimitsFields
                id="key-limits"
                draft={limitsDraft}
                onDraft={(next) => {
                  setLimitsDraft(next);
                  setLimitsErrors({});
                }}
                errors={limitsErrors}
                legend="The key's own limits"
              />
            </div>
          </details>

          {stepUp.asking ? (
            <KeyCodePrompt id="key-2fa-code" name="code" {...stepUp.field} />
          ) : null}

          <ApiErrorAlert error={formError} />

          <DialogFormActions onCancel={close} pending={pending} label={stepUp.asking ? "Verify and create key" : "Create key"} pendingLabel="Creating…" />
        </form>
      )}
    </Dialog>
  );
}
