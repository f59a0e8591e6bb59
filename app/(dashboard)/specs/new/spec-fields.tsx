import type { ReactNode } from "react";

import { FieldError, FieldHint, Label, describedBy, inputClasses } from "@/components/ui/field";
import { BEHAVIOR_SPEC_LIMITS as L, DEFAULT_BASE_MODEL, SUPPORTED_BASE_MODELS } from "@/lib/contract/behavior-specs";
import { cx } from "@/lib/ui/cx";

import { SpecCard } from "./spec-card";
import type { SpecDraft } from "./use-spec-draft";

type TextFieldName = "description" | "system_prompt" | "guidelines" | "constraints";

/** One optional multi-line field: label, textarea, hint and error wired to each other. */
function TextField({
  draft,
  field,
  label,
  rows,
  placeholder,
  hint,
  extra,
}: {
  draft: SpecDraft;
  field: TextFieldName;
  label: string;
  rows: number;
  placeholder: string;
  hint?: ReactNode;
  extra?: string;
}) {
  const id = `spec-${field.replace("_", "-")}`;
  const error = draft.fieldError(field);
  return (
    <div className="space-y-1.5">
      <Label htmlFor={id} optional>
        {label}
      </Label>
      <textarea
        id={id}
        rows={rows}
        value={draft.values[field]}
        onChange={(e) => draft.update(field, e.target.value)}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? `${id}-hint` : undefined, error && `${id}-error`)}
        className={inputClasses(Boolean(error), cx("min-h-24 resize-y", extra))}
      />
      {hint ? <FieldHint id={`${id}-hint`}>{hint}</FieldHint> : null}
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </div>
  );
}

/** Name, description and base model. */
export function BasicsFields({ draft }: { draft: SpecDraft }) {
  const { values, fieldError, update } = draft;
  return (
    <SpecCard title="Basics">
      <div className="space-y-1.5">
        <Label htmlFor="spec-name">Name</Label>
        <input
          id="spec-name"
          value={values.name}
          onChange={(e) => update("name", e.target.value)}
          maxLength={L.name}
          autoComplete="off"
          placeholder="e.g. Support triage"
          aria-invalid={fieldError("name") ? true : undefined}
          aria-describedby={describedBy(fieldError("name") && "spec-name-error")}
          className={inputClasses(Boolean(fieldError("name")))}
        />
        <FieldError id="spec-name-error">{fieldError("name")}</FieldError>
      </div>
      <TextField draft={draft} field="description" label="Description" rows={2} placeholder="What the spec is for" extra="min-h-16" />
      <div className="space-y-1.5">
        <Label htmlFor="spec-base-model">Base model</Label>
        <select
          id="spec-base-model"
          value={values.base_model}
          onChange={(e) => update("base_model", e.target.value)}
          aria-invalid={fieldError("base_model") ? true : undefined}
          aria-describedby={describedBy("spec-base-model-hint", fieldError("base_model") && "spec-base-model-error")}
          className={inputClasses(Boolean(fieldError("base_model")), "font-mono text-[0.8125rem]")}
        >
          {SUPPORTED_BASE_MODELS.map((model) => (
            <option key={model} value={model}>
              {model}
              {model === DEFAULT_BASE_MODEL ? " (default)" : ""}
            </option>
          ))}
        </select>
        <FieldHint id="spec-base-model-hint">The small model that will be fine-tuned to follow this spec.</FieldHint>
        <FieldError id="spec-base-model-error">{fieldError("base_model")}</FieldError>
      </div>
    </SpecCard>
  );
}

/** System prompt, guidelines and constraints. */
export function InstructionsFields({ draft }: { draft: SpecDraft }) {
  return (
    <SpecCard title="Instructions" description="All optional. Guidelines and constraints take one item per line.">
      <TextField draft={draft} field="system_prompt" label="System prompt" rows={4} placeholder="You are a support assistant for…" extra="font-mono text-[0.8125rem]" />
      <div className="grid gap-5 lg:grid-cols-2">
        <TextField
          draft={draft}
          field="guidelines"
          label="Guidelines"
          rows={4}
          placeholder={"Be concise\nAsk for the order number"}
          hint={<>What the model should do. One per line, up to {L.listItems}.</>}
        />
        <TextField
          draft={draft}
          field="constraints"
          label="Constraints"
          rows={4}
          placeholder={"Never promise refunds\nNo legal advice"}
          hint={<>What the model must not do. One per line, up to {L.listItems}.</>}
        />
      </div>
    </SpecCard>
  );
}
