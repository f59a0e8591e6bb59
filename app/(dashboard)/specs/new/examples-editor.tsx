import { Button } from "@/components/ui/button";
import { FieldError, Label, describedBy, inputClasses } from "@/components/ui/field";
import { BEHAVIOR_SPEC_LIMITS as L } from "@/lib/contract/behavior-specs";
import type { ExampleDraft } from "@/lib/ui/spec-form";

import { SpecCard } from "./spec-card";
import type { SpecDraft } from "./use-spec-draft";

function ExampleText({ draft, example, part, n }: { draft: SpecDraft; example: ExampleDraft; part: "input" | "output"; n: number }) {
  const id = `example-${example.key}-${part}`;
  const error = draft.fieldError(`examples.${example.key}.${part}`);
  return (
    <div className="space-y-1.5">
      <Label htmlFor={id}>
        {part === "input" ? "Input" : "Output"} {n}
      </Label>
      <textarea
        id={id}
        rows={3}
        value={example[part]}
        onChange={(e) => draft.updateExample(example.key, part, e.target.value)}
        placeholder={part === "input" ? "What the user says" : "What the model should answer"}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(error && `${id}-error`)}
        className={inputClasses(Boolean(error), "min-h-20 resize-y")}
      />
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </div>
  );
}

/** The input/output pairs: add, edit, remove. */
export function ExamplesEditor({ draft }: { draft: SpecDraft }) {
  const { values, fieldError } = draft;
  return (
    <SpecCard
      title="Examples"
      description={`Input/output pairs that show the behaviour you want: at least ${L.minExamples}, up to ${L.maxExamples}. Whitespace is kept as typed.`}
    >
      <ol className="space-y-4">
        {values.examples.map((example, i) => (
          <li key={example.key} className="rounded-lg border border-neutral-200 bg-neutral-50/60 p-4 dark:border-neutral-800 dark:bg-neutral-900/40">
            <div className="mb-3 flex items-center justify-between gap-2">
              <h3 className="text-sm font-medium">Example {i + 1}</h3>
              <Button size="sm" variant="ghost" onClick={() => draft.removeExample(example.key)} aria-label={`Remove example ${i + 1}`}>
                Remove
              </Button>
            </div>
            <div className="grid gap-4 md:grid-cols-2">
              <ExampleText draft={draft} example={example} part="input" n={i + 1} />
              <ExampleText draft={draft} example={example} part="output" n={i + 1} />
            </div>
          </li>
        ))}
      </ol>
      {values.examples.length === 0 ? <p className="text-sm text-neutral-500 dark:text-neutral-400">No examples yet.</p> : null}
      <FieldError id="spec-examples-error">{fieldError("examples")}</FieldError>
      <div className="flex items-center justify-between gap-3">
        <Button
          id="add-example"
          variant="secondary"
          size="sm"
          onClick={draft.addExample}
          disabled={values.examples.length >= L.maxExamples}
          aria-describedby={describedBy(fieldError("examples") && "spec-examples-error")}
        >
          <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 fill-current">
            <path d="M7.25 2.75a.75.75 0 0 1 1.5 0v4.5h4.5a.75.75 0 0 1 0 1.5h-4.5v4.5a.75.75 0 0 1-1.5 0v-4.5h-4.5a.75.75 0 0 1 0-1.5h4.5v-4.5Z" />
          </svg>
          Add example
        </Button>
        <span className="text-xs text-neutral-500 tabular-nums dark:text-neutral-400">
          {values.examples.length} of {L.maxExamples}
        </span>
      </div>
    </SpecCard>
  );
}
