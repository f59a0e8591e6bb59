"use client";

import { useId, useRef, useState, type FormEvent } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FieldError, FieldHint, Label, describedBy, inputClasses } from "@/components/ui/field";
import type { TrustPolicyTest } from "@/lib/contract/trust-policies";
import { callApi } from "@/lib/ui/api";
import { checkInput, conditionLabel } from "@/lib/ui/trust-policies";
import { useCallFailure } from "@/lib/ui/use-call-failure";

const SIGNATURE: Record<TrustPolicyTest["signature"], string> = {
  verified: "The token's signature verifies against its issuer's keys.",
  invalid: "The token's signature or times do not verify: no policy would mint a key for it.",
  not_checked: "Claims were matched as they are; no signature was checked.",
};

/**
 * The live check: a CI token, or its claims as JSON, matched against every trust policy of
 * the organization (POST /api/v1/organization/trust-policies/test), each with its reasons.
 * Mints nothing and spends no token.
 */
export function TrustPolicyCheck() {
  const id = useId();
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [answer, setAnswer] = useState<TrustPolicyTest | null>(null);
  const results = useRef<HTMLDivElement>(null);
  const { failure, fail, clear } = useCallFailure();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    clear();
    const input = checkInput(text);
    if (!input.ok) {
      setError(input.error);
      document.getElementById(`${id}-input`)?.focus();
      return;
    }
    setPending(true);
    const result = await callApi("testTrustPolicies", { body: input.body });
    setPending(false);
    if (!result.ok) return fail(result);
    setAnswer(result.data);
    results.current?.focus();
  }

  const matching = answer?.results.filter((r) => r.matches) ?? [];
  return (
    <section aria-labelledby={`${id}-title`} className="space-y-4 rounded-lg border border-neutral-200 p-4 sm:p-6 dark:border-neutral-800">
      <div className="space-y-1">
        <h2 id={`${id}-title`} className="text-lg font-semibold text-neutral-900 dark:text-neutral-50">
          Live check
        </h2>
        <p className="text-sm text-neutral-600 dark:text-neutral-400">
          Paste a CI token, or its claims as JSON, to see which of the organization&apos;s trust policies would match it and why. Nothing is minted.
        </p>
      </div>
      <form onSubmit={submit} noValidate className="space-y-3">
        <div className="space-y-1.5">
          <Label htmlFor={`${id}-input`}>Token or claims</Label>
          <textarea
            id={`${id}-input`}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setError(null);
            }}
            rows={5}
            spellCheck={false}
            autoComplete="off"
            placeholder={'eyJhbGciOi…  or  {"iss": "https://token.actions.githubusercontent.com", "repository_id": "123", …}'}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy(`${id}-hint`, error && `${id}-error`)}
            className={inputClasses(Boolean(error), "font-mono text-xs")}
          />
          <FieldHint id={`${id}-hint`}>A token&apos;s signature and times are checked too; claims are matched without them.</FieldHint>
          <FieldError id={`${id}-error`}>{error}</FieldError>
        </div>
        <ApiErrorAlert error={failure} />
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? "Checking…" : "Check"}
        </Button>
      </form>

      <div ref={results} tabIndex={-1} aria-live="polite" className="space-y-4 focus:outline-none">
        {answer ? (
          <>
            <p className="text-sm font-medium text-neutral-900 dark:text-neutral-100">
              {matching.length === 0
                ? "No policy matches."
                : matching.length === 1
                  ? `Matches “${matching[0]!.name}”${matching[0]!.enabled ? "" : " (disabled: it mints nothing)"}.`
                  : `Matches ${matching.length} policies: the job must name one (TUNED_TENSOR_OIDC_POLICY).`}{" "}
              <span className="font-normal text-neutral-600 dark:text-neutral-400">{SIGNATURE[answer.signature]}</span>
            </p>
            {answer.signature_error ? <p className="text-sm text-red-700 dark:text-red-400">{answer.signature_error}</p> : null}
            {answer.results.length === 0 ? <p className="text-sm text-neutral-600 dark:text-neutral-400">The organization has no trust policies yet.</p> : null}
            <ul className="space-y-3">
              {answer.results.map((result) => (
                <li key={result.policy_id} data-check-result={result.name} className="rounded-md border border-neutral-200 p-3 dark:border-neutral-800">
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-medium wrap-anywhere text-neutral-900 dark:text-neutral-100">{result.name}</span>
                    {result.matches ? <Badge tone="green">Matches</Badge> : <Badge tone="red">Does not match</Badge>}
                    {result.enabled ? null : <Badge tone="neutral">Disabled</Badge>}
                  </div>
                  <div className="mt-2 overflow-x-auto">
                    <table className="w-full text-left text-xs">
                      <caption className="sr-only">Why “{result.name}” {result.matches ? "matches" : "does not match"}</caption>
                      <thead className="text-neutral-500 dark:text-neutral-400">
                        <tr>
                          <th scope="col" className="py-1 pr-3 font-medium">
                            Claim
                          </th>
                          <th scope="col" className="py-1 pr-3 font-medium">
                            Expected
                          </th>
                          <th scope="col" className="py-1 pr-3 font-medium">
                            In the token
                          </th>
                          <th scope="col" className="py-1 font-medium">
                            Result
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {result.reasons.map((reason) => (
                          <tr key={reason.claim} className="border-t border-neutral-100 dark:border-neutral-800">
                            <th scope="row" className="py-1 pr-3 font-normal">
                              {conditionLabel(reason.claim)}
                            </th>
                            <td className="py-1 pr-3 font-mono wrap-anywhere">{reason.expected}</td>
                            <td className="py-1 pr-3 font-mono wrap-anywhere">{reason.actual ?? "—"}</td>
                            <td className={`py-1 ${reason.ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}`}>{reason.ok ? "✓ ok" : "✗ differs"}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
    </section>
  );
}
