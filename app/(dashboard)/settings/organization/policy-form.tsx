"use client";

import { useState, type FormEvent } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { Button } from "@/components/ui/button";
import { FieldError, FieldHint, Label, describedBy, inputClasses } from "@/components/ui/field";
import { ROLES, type Organization, type Role, type UpdateOrganizationPolicyInput } from "@/lib/contract/organizations";
import { SCOPE_DESCRIPTIONS, SCOPES, type Scope } from "@/lib/contract/scopes";
import { callApi } from "@/lib/ui/api";
import { ROLE_LABELS } from "@/lib/ui/organizations";
import { useCallFailure } from "@/lib/ui/use-call-failure";

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * The organization's policies: PATCH /api/v1/organization/policy with what changed. A
 * fieldset disabled for roles without org:write, so they read the same form. Tightening takes
 * effect for every key and session when the API answers; keys that outlive a new maximum
 * lifetime are marked out of policy in Settings → API Keys, not revoked.
 */
export function PolicyForm({ organization, canWrite, onSaved }: { organization: Organization; canWrite: boolean; onSaved: (notice: string) => void }) {
  const policy = organization.policy;
  const [requireTwoFactor, setRequireTwoFactor] = useState(policy.require_two_factor);
  const [maxDays, setMaxDays] = useState(policy.max_key_lifetime_days === null ? "" : String(policy.max_key_lifetime_days));
  const [creatorRoles, setCreatorRoles] = useState<Role[]>(policy.key_creator_roles);
  const [memberScopes, setMemberScopes] = useState<Scope[]>(policy.member_key_scopes);
  const [daysError, setDaysError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const { failure, fail, clear } = useCallFailure();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    clear();
    const days = maxDays.trim() === "" ? null : Number(maxDays);
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650)) {
      setDaysError("Enter a whole number of days from 1 to 3650, or leave it empty for no limit.");
      document.getElementById("policy-max-days")?.focus();
      return;
    }
    setDaysError(null);
    const patch: UpdateOrganizationPolicyInput = {
      ...(requireTwoFactor !== policy.require_two_factor ? { require_two_factor: requireTwoFactor } : {}),
      ...(days !== policy.max_key_lifetime_days ? { max_key_lifetime_days: days } : {}),
      ...(!sameSet(creatorRoles, policy.key_creator_roles) ? { key_creator_roles: ROLES.filter((r) => creatorRoles.includes(r)) } : {}),
      ...(!sameSet(memberScopes, policy.member_key_scopes) ? { member_key_scopes: SCOPES.filter((s) => memberScopes.includes(s)) } : {}),
    };
    if (Object.keys(patch).length === 0) return onSaved("Nothing to save: the policies are unchanged.");
    setPending(true);
    const result = await callApi("updateOrganizationPolicy", { body: patch });
    setPending(false);
    if (!result.ok) return fail(result);
    onSaved("Saved the policies. They apply to every key and session from now on.");
  }

  const box = "flex cursor-pointer items-start gap-2 text-sm";
  return (
    <section aria-labelledby="policies-heading" className="space-y-4">
      <h2 id="policies-heading" className="text-base font-semibold">
        Policies
      </h2>
      <form onSubmit={submit} noValidate className="max-w-2xl">
        <fieldset disabled={!canWrite} className="space-y-6">
          <legend className="sr-only">The organization&apos;s policies</legend>
          <div className={box}>
            <input
              type="checkbox"
              id="policy-two-factor"
              checked={requireTwoFactor}
              onChange={(e) => setRequireTwoFactor(e.target.checked)}
              aria-describedby="policy-two-factor-hint"
              className="mt-0.5"
            />
            <label htmlFor="policy-two-factor">
              <span className="font-medium">Require two-factor authentication</span>
              <span id="policy-two-factor-hint" className="block text-xs text-neutral-500 dark:text-neutral-400">
                Members without it cannot reach the organization&apos;s specs and keys, nor make keys, until they set it up and sign in with it.
              </span>
            </label>
          </div>

          <div className="max-w-xs space-y-1.5">
            <Label htmlFor="policy-max-days" optional>
              Maximum key lifetime (days)
            </Label>
            <input
              id="policy-max-days"
              inputMode="numeric"
              value={maxDays}
              onChange={(e) => {
                setMaxDays(e.target.value);
                setDaysError(null);
              }}
              placeholder="No limit"
              aria-invalid={daysError ? true : undefined}
              aria-describedby={describedBy("policy-max-days-hint", daysError && "policy-max-days-error")}
              className={inputClasses(Boolean(daysError))}
            />
            <FieldHint id="policy-max-days-hint">New keys must expire within it. Existing keys that outlive it are marked out of policy, not revoked.</FieldHint>
            <FieldError id="policy-max-days-error">{daysError}</FieldError>
          </div>

          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">Who may create API keys</legend>
            <div className="flex flex-wrap gap-x-6 gap-y-2">
              {ROLES.map((role) => (
                <div key={role} className={box}>
                  <input
                    type="checkbox"
                    id={`policy-creator-${role}`}
                    checked={creatorRoles.includes(role)}
                    onChange={(e) => setCreatorRoles((list) => (e.target.checked ? [...list, role] : list.filter((r) => r !== role)))}
                  />
                  <label htmlFor={`policy-creator-${role}`}>{ROLE_LABELS[role]}s</label>
                </div>
              ))}
            </div>
          </fieldset>

          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">Scopes members&apos; keys may hold</legend>
            <p className="text-xs text-neutral-500 dark:text-neutral-400">
              A member&apos;s key never holds more than their role allows either. Service accounts&apos; keys are bounded by their role alone.
            </p>
            <div className="grid gap-2 sm:grid-cols-2">
              {SCOPES.map((scope) => (
                <div key={scope} className={box}>
                  <input
                    type="checkbox"
                    id={`policy-scope-${scope}`}
                    checked={memberScopes.includes(scope)}
                    onChange={(e) => setMemberScopes((list) => (e.target.checked ? [...list, scope] : list.filter((s) => s !== scope)))}
                    aria-describedby={`policy-scope-${scope}-hint`}
                    className="mt-0.5"
                  />
                  <label htmlFor={`policy-scope-${scope}`} className="min-w-0">
                    <code className="font-mono text-[0.8125rem]">{scope}</code>
                    <span id={`policy-scope-${scope}-hint`} className="block text-xs text-neutral-500 dark:text-neutral-400">
                      {SCOPE_DESCRIPTIONS[scope]}
                    </span>
                  </label>
                </div>
              ))}
            </div>
          </fieldset>

          <ApiErrorAlert error={failure} />
          {canWrite ? (
            <Button type="submit" variant="primary" disabled={pending}>
              {pending ? "Saving…" : "Save policies"}
            </Button>
          ) : null}
        </fieldset>
      </form>
    </section>
  );
}
