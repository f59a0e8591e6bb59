"use client";

import { useRef, useState } from "react";

import { emptySpecForm, type MappedErrors, type SpecFormValues } from "@/lib/ui/spec-form";

// Field key → the element to focus for it, in the order the form shows them.
const FIELD_IDS: [string, string][] = [
  ["name", "spec-name"],
  ["description", "spec-description"],
  ["base_model", "spec-base-model"],
  ["system_prompt", "spec-system-prompt"],
  ["guidelines", "spec-guidelines"],
  ["constraints", "spec-constraints"],
];

function fieldId(key: string): string | undefined {
  const direct = FIELD_IDS.find(([field]) => field === key)?.[1];
  if (direct) return direct;
  const example = /^examples\.(.+)\.(input|output)$/.exec(key);
  if (example) return `example-${example[1]}-${example[2]}`;
  return key === "examples" ? "add-example" : undefined;
}

/** Moves focus to the control of a field key (`name`, `examples.e3.output`, …). */
export function focusField(key: string) {
  const id = fieldId(key);
  if (id) document.getElementById(id)?.focus();
}

const NO_ERRORS: MappedErrors = { fields: {}, general: [] };

/** The form's values and their errors, and every way to change them. */
export function useSpecDraft() {
  const [values, setValues] = useState<SpecFormValues>(() => emptySpecForm("e0"));
  const [errors, setErrors] = useState<MappedErrors>(NO_ERRORS);
  const nextKey = useRef(1);
  const summary = useRef<HTMLDivElement>(null);

  function clearError(key: string) {
    setErrors((e) => {
      if (!(key in e.fields)) return e;
      const fields = { ...e.fields };
      delete fields[key];
      return { ...e, fields };
    });
  }

  return {
    values,
    errors,
    summary,
    fieldError: (key: string): string | undefined => errors.fields[key],
    problemCount: Object.keys(errors.fields).length + errors.general.length,

    update<K extends keyof SpecFormValues>(field: K, value: SpecFormValues[K]) {
      setValues((v) => ({ ...v, [field]: value }));
      clearError(field);
    },

    updateExample(key: string, part: "input" | "output", value: string) {
      setValues((v) => ({ ...v, examples: v.examples.map((e) => (e.key === key ? { ...e, [part]: value } : e)) }));
      clearError(`examples.${key}.${part}`);
      clearError("examples");
    },

    addExample() {
      const key = `e${nextKey.current++}`;
      setValues((v) => ({ ...v, examples: [...v.examples, { key, input: "", output: "" }] }));
      clearError("examples");
      requestAnimationFrame(() => document.getElementById(`example-${key}-input`)?.focus());
    },

    removeExample(key: string) {
      setValues((v) => ({ ...v, examples: v.examples.filter((e) => e.key !== key) }));
      clearError(`examples.${key}.input`);
      clearError(`examples.${key}.output`);
      requestAnimationFrame(() => document.getElementById("add-example")?.focus());
    },

    /** Shows the errors and moves focus to the first field that has one (else the summary). */
    showErrors(mapped: MappedErrors) {
      setErrors(mapped);
      const first = [...FIELD_IDS.map(([f]) => f), ...values.examples.flatMap((e) => [`examples.${e.key}.input`, `examples.${e.key}.output`]), "examples"].find(
        (key) => key in mapped.fields,
      );
      requestAnimationFrame(() => (first ? focusField(first) : summary.current?.focus()));
    },

    clearErrors: () => setErrors(NO_ERRORS),
  };
}

export type SpecDraft = ReturnType<typeof useSpecDraft>;
