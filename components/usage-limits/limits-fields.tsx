"use client";

import { FieldError, FieldHint, Label, describedBy, inputClasses } from "@/components/ui/field";
import type { LimitsDraft, LimitsErrors } from "@/lib/ui/usage-limits";

/**
 * A rate limit and a quota as form fields: the number of requests (empty: none) and its
 * window; a burst (requests in any one second) for a rate per minute. Each input has its
 * label, hint and error linked, so a screen reader reads what is wrong where it is.
 * `id` prefixes the inputs' ids (`${id}-rate`, `${id}-burst`, `${id}-quota`).
 */
export function LimitsFields({
  id,
  draft,
  onDraft,
  errors,
  legend = "Usage limits",
  autoFocus = false,
}: {
  id: string;
  draft: LimitsDraft;
  onDraft: (draft: LimitsDraft) => void;
  errors: LimitsErrors;
  legend?: string;
  /** The rate field takes focus when its dialog opens. */
  autoFocus?: boolean;
}) {
  const set = (patch: Partial<LimitsDraft>) => onDraft({ ...draft, ...patch });
  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium text-neutral-900 dark:text-neutral-100">{legend}</legend>
      <p className="text-xs text-neutral-500 dark:text-neutral-400">Windows are UTC seconds, minutes, days and months. Leave a number empty for no limit of that kind.</p>
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="space-y-1.5">
          <Label htmlFor={`${id}-rate`} optional>
            Rate limit (requests)
          </Label>
          <div className="flex gap-2">
            <input
              id={`${id}-rate`}
              {...(autoFocus ? { "data-autofocus": true } : {})}
              inputMode="numeric"
              autoComplete="off"
              value={draft.rateRequests}
              onChange={(e) => set({ rateRequests: e.target.value })}
              placeholder="No limit"
              aria-invalid={errors.rate ? true : undefined}
              aria-describedby={describedBy(errors.rate && `${id}-rate-error`)}
              className={inputClasses(Boolean(errors.rate), "min-w-0")}
            />
            <select
              aria-label="Rate limit window"
              id={`${id}-rate-per`}
              value={draft.ratePer}
              onChange={(e) => set({ ratePer: e.target.value as LimitsDraft["ratePer"] })}
              className={inputClasses(false, "w-auto pr-8")}
            >
              <option value="second">a second</option>
              <option value="minute">a minute</option>
            </select>
          </div>
          <FieldError id={`${id}-rate-error`}>{errors.rate}</FieldError>
        </div>
        {draft.ratePer === "minute" ? (
          <div className="space-y-1.5">
            <Label htmlFor={`${id}-burst`} optional>
              Burst (requests in any second)
            </Label>
            <input
              id={`${id}-burst`}
              inputMode="numeric"
              autoComplete="off"
              value={draft.burst}
              onChange={(e) => set({ burst: e.target.value })}
              placeholder="No cap"
              aria-invalid={errors.burst ? true : undefined}
              aria-describedby={describedBy(`${id}-burst-hint`, errors.burst && `${id}-burst-error`)}
              className={inputClasses(Boolean(errors.burst))}
            />
            <FieldHint id={`${id}-burst-hint`}>Caps any one second inside the minute.</FieldHint>
            <FieldError id={`${id}-burst-error`}>{errors.burst}</FieldError>
          </div>
        ) : null}
        <div className="space-y-1.5 sm:col-start-1">
          <Label htmlFor={`${id}-quota`} optional>
            Quota (requests)
          </Label>
          <div className="flex gap-2">
            <input
              id={`${id}-quota`}
              inputMode="numeric"
              autoComplete="off"
              value={draft.quotaRequests}
              onChange={(e) => set({ quotaRequests: e.target.value })}
              placeholder="No quota"
              aria-invalid={errors.quota ? true : undefined}
              aria-describedby={describedBy(`${id}-quota-hint`, errors.quota && `${id}-quota-error`)}
              className={inputClasses(Boolean(errors.quota), "min-w-0")}
            />
            <select
              aria-label="Quota period"
              id={`${id}-quota-per`}
              value={draft.quotaPer}
              onChange={(e) => set({ quotaPer: e.target.value as LimitsDraft["quotaPer"] })}
              className={inputClasses(false, "w-auto pr-8")}
            >
              <option value="day">a day</option>
              <option value="month">a month</option>
            </select>
          </div>
          <FieldHint id={`${id}-quota-hint`}>Refilled at 00:00 UTC (the 1st, for a month).</FieldHint>
          <FieldError id={`${id}-quota-error`}>{errors.quota}</FieldError>
        </div>
      </div>
    </fieldset>
  );
}
