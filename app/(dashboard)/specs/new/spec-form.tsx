"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from "react";

import { ApiErrorAlert } from "@/components/api-error-alert";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { FieldError, FieldHint, Label, describedBy, inputClasses } from "@/components/ui/field";
import { BEHAVIOR_SPEC_LIMITS, DEFAULT_BASE_MODEL, SUPPORTED_BASE_MODELS, operations, type CreateBehaviorSpecInput } from "@/lib/contract";
import { callApi, type ApiErrorDetail } from "@/lib/ui/api";
import { cx } from "@/lib/ui/cx";
import { emptySpecForm, mapDetails, toSpecRequest, validateSpec, type MappedErrors, type SpecFormValues } from "@/lib/ui/spec-form";

type Tab = "form" | "json";

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

function focusField(key: string) {
  const id = fieldId(key);
  if (id) document.getElementById(id)?.focus();
}

function Card({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <section className="rounded-xl border border-neutral-200 dark:border-neutral-800">
      <div className="border-b border-neutral-200 px-5 py-4 dark:border-neutral-800">
        <h2 className="text-base font-semibold">{title}</h2>
        {description ? <p className="mt-0.5 text-sm text-neutral-600 dark:text-neutral-400">{description}</p> : null}
      </div>
      <div className="space-y-5 p-5">{children}</div>
    </section>
  );
}

/**
 * New behaviour spec: a form, or pasted JSON. Both are checked in the browser with the
 * API's own schema (createBehaviorSpecInput) before anything is sent, and the server's
 * validation `details` land on the same fields if it still disagrees.
 */
export function SpecForm() {
  const router = useRouter();
  const [tab, setTab] = useState<Tab>("form");
  const [values, setValues] = useState<SpecFormValues>(() => emptySpecForm("e0"));
  const [errors, setErrors] = useState<MappedErrors>({ fields: {}, general: [] });
  const [json, setJson] = useState("");
  const [jsonErrors, setJsonErrors] = useState<string[]>([]);
  const [formError, setFormError] = useState<{ message: string; login: boolean } | null>(null);
  const [pending, setPending] = useState(false);
  const nextKey = useRef(1);
  const summary = useRef<HTMLDivElement>(null);

  const fieldError = (key: string) => errors.fields[key];
  const problemCount = Object.keys(errors.fields).length + errors.general.length;

  function update<K extends keyof SpecFormValues>(field: K, value: SpecFormValues[K]) {
    setValues((v) => ({ ...v, [field]: value }));
    clearError(field);
  }

  function clearError(key: string) {
    setErrors((e) => {
      if (!(key in e.fields)) return e;
      const fields = { ...e.fields };
      delete fields[key];
      return { ...e, fields };
    });
  }

  function updateExample(key: string, part: "input" | "output", value: string) {
    setValues((v) => ({ ...v, examples: v.examples.map((e) => (e.key === key ? { ...e, [part]: value } : e)) }));
    clearError(`examples.${key}.${part}`);
    clearError("examples");
  }

  function addExample() {
    const key = `e${nextKey.current++}`;
    setValues((v) => ({ ...v, examples: [...v.examples, { key, input: "", output: "" }] }));
    clearError("examples");
    requestAnimationFrame(() => document.getElementById(`example-${key}-input`)?.focus());
  }

  function removeExample(key: string) {
    setValues((v) => ({ ...v, examples: v.examples.filter((e) => e.key !== key) }));
    clearError(`examples.${key}.input`);
    clearError(`examples.${key}.output`);
    requestAnimationFrame(() => document.getElementById("add-example")?.focus());
  }

  function showErrors(mapped: MappedErrors) {
    setErrors(mapped);
    const first = [...FIELD_IDS.map(([f]) => f), ...values.examples.flatMap((e) => [`examples.${e.key}.input`, `examples.${e.key}.output`]), "examples"].find(
      (key) => key in mapped.fields,
    );
    requestAnimationFrame(() => (first ? focusField(first) : summary.current?.focus()));
  }

  async function send(body: CreateBehaviorSpecInput, onDetails: (details: ApiErrorDetail[]) => void) {
    setPending(true);
    setFormError(null);
    const result = await callApi(operations.createBehaviorSpec, { body });
    if (result.ok) {
      // Stay "pending" while the spec's page loads.
      router.push(`/specs/${result.data.id}`);
      router.refresh();
      return;
    }
    setPending(false);
    if (result.code === "validation_error" && result.details.length > 0) onDetails(result.details);
    else setFormError({ message: result.message, login: result.status === 401 });
  }

  async function submitForm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { body, exampleKeys } = toSpecRequest(values);
    const checked = validateSpec(body);
    if (!checked.ok) {
      showErrors(mapDetails(checked.details, exampleKeys));
      return;
    }
    setErrors({ fields: {}, general: [] });
    await send(checked.data, (details) => showErrors(mapDetails(details, exampleKeys)));
  }

  async function submitJson(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      setJsonErrors([`This isn't valid JSON: ${error instanceof Error ? error.message : "it could not be parsed"}.`]);
      document.getElementById("spec-json")?.focus();
      return;
    }
    const describe = (details: readonly ApiErrorDetail[]) =>
      details.map(({ path, message }) => (path === "body" ? `The document ${message}.` : `${path} — ${message}`));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      setJsonErrors(["The document must be a JSON object: { \"name\": …, \"examples\": […] }."]);
      return;
    }
    const checked = validateSpec(parsed);
    if (!checked.ok) {
      setJsonErrors(describe(checked.details));
      document.getElementById("spec-json")?.focus();
      return;
    }
    setJsonErrors([]);
    await send(checked.data, (details) => setJsonErrors(describe(details)));
  }

  function selectTab(next: Tab) {
    if (next === "json" && json.trim() === "") {
      // Start from what the form holds, so switching loses nothing and shows the shape.
      setJson(`${JSON.stringify(toSpecRequest(values).body, null, 2)}\n`);
    }
    setTab(next);
  }

  function onTabKey(event: KeyboardEvent<HTMLButtonElement>) {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight" && event.key !== "Home" && event.key !== "End") return;
    event.preventDefault();
    const next: Tab = event.key === "Home" ? "form" : event.key === "End" ? "json" : tab === "form" ? "json" : "form";
    selectTab(next);
    document.getElementById(`tab-${next}`)?.focus();
  }

  const tabClass = (selected: boolean) =>
    cx(
      "-mb-px border-b-2 px-1 pb-2.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-2",
      selected
        ? "border-neutral-900 text-neutral-900 dark:border-neutral-100 dark:text-neutral-100"
        : "border-transparent text-neutral-500 hover:text-neutral-800 dark:text-neutral-400 dark:hover:text-neutral-200",
    );

  const actions = (
    <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
      <Link href="/specs" className={buttonClasses({ variant: "secondary" })}>
        Cancel
      </Link>
      <Button type="submit" variant="primary" disabled={pending}>
        {pending ? "Creating…" : "Create spec"}
      </Button>
    </div>
  );

  const formErrorAlert = <ApiErrorAlert error={formError} />;

  const L = BEHAVIOR_SPEC_LIMITS;
  const textarea = (key: string, extra?: string) => inputClasses(Boolean(fieldError(key)), cx("min-h-24 resize-y", extra));
  // One optional multi-line field: label, textarea, hint and error wired to each other.
  const textField = (
    field: "description" | "system_prompt" | "guidelines" | "constraints",
    { label, rows, placeholder, hint, extra }: { label: string; rows: number; placeholder: string; hint?: ReactNode; extra?: string },
  ) => {
    const id = `spec-${field.replace("_", "-")}`;
    return (
      <div key={field} className="space-y-1.5">
        <Label htmlFor={id} optional>
          {label}
        </Label>
        <textarea
          id={id}
          rows={rows}
          value={values[field]}
          onChange={(e) => update(field, e.target.value)}
          placeholder={placeholder}
          aria-invalid={fieldError(field) ? true : undefined}
          aria-describedby={describedBy(hint ? `${id}-hint` : undefined, fieldError(field) && `${id}-error`)}
          className={textarea(field, extra)}
        />
        {hint ? <FieldHint id={`${id}-hint`}>{hint}</FieldHint> : null}
        <FieldError id={`${id}-error`}>{fieldError(field)}</FieldError>
      </div>
    );
  };

  return (
    <div className="space-y-6">
      <div role="tablist" aria-label="How to enter the spec" className="flex gap-6 border-b border-neutral-200 dark:border-neutral-800">
        <button type="button" role="tab" id="tab-form" aria-selected={tab === "form"} aria-controls="panel-form" tabIndex={tab === "form" ? 0 : -1} onClick={() => selectTab("form")} onKeyDown={onTabKey} className={tabClass(tab === "form")}>
          Form
        </button>
        <button type="button" role="tab" id="tab-json" aria-selected={tab === "json"} aria-controls="panel-json" tabIndex={tab === "json" ? 0 : -1} onClick={() => selectTab("json")} onKeyDown={onTabKey} className={tabClass(tab === "json")}>
          Paste JSON
        </button>
      </div>

      <div role="tabpanel" id="panel-form" aria-labelledby="tab-form" hidden={tab !== "form"}>
        <form onSubmit={submitForm} noValidate className="space-y-6">
          {problemCount > 0 ? (
            <div ref={summary} tabIndex={-1} className="focus:outline-none">
              <Alert tone="error" live="assertive" title={problemCount === 1 ? "Fix 1 problem to create the spec" : `Fix ${problemCount} problems to create the spec`}>
                <ul className="mt-1 list-disc space-y-0.5 pl-4">
                  {Object.entries(errors.fields).map(([key, message]) => (
                    <li key={key}>
                      <button type="button" onClick={() => focusField(key)} className="text-left underline underline-offset-2">
                        {message}
                      </button>
                    </li>
                  ))}
                  {errors.general.map((message, i) => (
                    <li key={`general-${i}`}>{message}</li>
                  ))}
                </ul>
              </Alert>
            </div>
          ) : null}

          <Card title="Basics">
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
            {textField("description", { label: "Description", rows: 2, placeholder: "What the spec is for", extra: "min-h-16" })}
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
          </Card>

          <Card title="Instructions" description="All optional. Guidelines and constraints take one item per line.">
            {textField("system_prompt", {
              label: "System prompt",
              rows: 4,
              placeholder: "You are a support assistant for…",
              extra: "font-mono text-[0.8125rem]",
            })}
            <div className="grid gap-5 lg:grid-cols-2">
              {textField("guidelines", {
                label: "Guidelines",
                rows: 4,
                placeholder: "Be concise\nAsk for the order number",
                hint: <>What the model should do. One per line, up to {L.listItems}.</>,
              })}
              {textField("constraints", {
                label: "Constraints",
                rows: 4,
                placeholder: "Never promise refunds\nNo legal advice",
                hint: <>What the model must not do. One per line, up to {L.listItems}.</>,
              })}
            </div>
          </Card>

          <Card
            title="Examples"
            description={`Input/output pairs that show the behaviour you want: at least ${L.minExamples}, up to ${L.maxExamples}. Whitespace is kept as typed.`}
          >
            <ol className="space-y-4">
              {values.examples.map((example, i) => {
                const inputError = fieldError(`examples.${example.key}.input`);
                const outputError = fieldError(`examples.${example.key}.output`);
                return (
                  <li key={example.key} className="rounded-lg border border-neutral-200 bg-neutral-50/60 p-4 dark:border-neutral-800 dark:bg-neutral-900/40">
                    <div className="mb-3 flex items-center justify-between gap-2">
                      <h3 className="text-sm font-medium">Example {i + 1}</h3>
                      <Button size="sm" variant="ghost" onClick={() => removeExample(example.key)} aria-label={`Remove example ${i + 1}`}>
                        Remove
                      </Button>
                    </div>
                    <div className="grid gap-4 md:grid-cols-2">
                      <div className="space-y-1.5">
                        <Label htmlFor={`example-${example.key}-input`}>Input {i + 1}</Label>
                        <textarea
                          id={`example-${example.key}-input`}
                          rows={3}
                          value={example.input}
                          onChange={(e) => updateExample(example.key, "input", e.target.value)}
                          placeholder="What the user says"
                          aria-invalid={inputError ? true : undefined}
                          aria-describedby={describedBy(inputError && `example-${example.key}-input-error`)}
                          className={inputClasses(Boolean(inputError), "min-h-20 resize-y")}
                        />
                        <FieldError id={`example-${example.key}-input-error`}>{inputError}</FieldError>
                      </div>
                      <div className="space-y-1.5">
                        <Label htmlFor={`example-${example.key}-output`}>Output {i + 1}</Label>
                        <textarea
                          id={`example-${example.key}-output`}
                          rows={3}
                          value={example.output}
                          onChange={(e) => updateExample(example.key, "output", e.target.value)}
                          placeholder="What the model should answer"
                          aria-invalid={outputError ? true : undefined}
                          aria-describedby={describedBy(outputError && `example-${example.key}-output-error`)}
                          className={inputClasses(Boolean(outputError), "min-h-20 resize-y")}
                        />
                        <FieldError id={`example-${example.key}-output-error`}>{outputError}</FieldError>
                      </div>
                    </div>
                  </li>
                );
              })}
            </ol>
            {values.examples.length === 0 ? <p className="text-sm text-neutral-500 dark:text-neutral-400">No examples yet.</p> : null}
            <FieldError id="spec-examples-error">{fieldError("examples")}</FieldError>
            <div className="flex items-center justify-between gap-3">
              <Button
                id="add-example"
                variant="secondary"
                size="sm"
                onClick={addExample}
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
          </Card>

          {formErrorAlert}
          {actions}
        </form>
      </div>

      <div role="tabpanel" id="panel-json" aria-labelledby="tab-json" hidden={tab !== "json"}>
        <form onSubmit={submitJson} noValidate className="space-y-6">
          <Card
            title="Spec JSON"
            description={
              <>
                The same document <code className="font-mono text-[0.8125rem]">POST /api/v1/behavior-specs</code> and{" "}
                <code className="font-mono text-[0.8125rem]">tt specs create --file</code> take.
              </>
            }
          >
            <div className="space-y-1.5">
              <Label htmlFor="spec-json">JSON</Label>
              <textarea
                id="spec-json"
                rows={14}
                value={json}
                spellCheck={false}
                onChange={(e) => {
                  setJson(e.target.value);
                  if (jsonErrors.length) setJsonErrors([]);
                }}
                aria-invalid={jsonErrors.length ? true : undefined}
                aria-describedby={describedBy("spec-json-hint", jsonErrors.length > 0 && "spec-json-errors")}
                className={inputClasses(jsonErrors.length > 0, "min-h-48 resize-y font-mono text-[0.8125rem] leading-relaxed")}
              />
              <FieldHint id="spec-json-hint">
                Required: <code className="font-mono">name</code> and <code className="font-mono">examples</code> (a list of{" "}
                <code className="font-mono">{"{ \"input\", \"output\" }"}</code>). Optional: description, system_prompt, guidelines,
                constraints, base_model.
              </FieldHint>
            </div>
            {jsonErrors.length > 0 ? (
              <Alert tone="error" live="assertive" id="spec-json-errors" title={jsonErrors.length === 1 ? "1 problem" : `${jsonErrors.length} problems`}>
                <ul className="list-disc space-y-0.5 pl-4">
                  {jsonErrors.map((message, i) => (
                    <li key={i} className="wrap-anywhere">
                      {message}
                    </li>
                  ))}
                </ul>
              </Alert>
            ) : null}
            <div className="space-y-1.5">
              <Label htmlFor="spec-json-file" optional>
                Or load a file
              </Label>
              <input
                id="spec-json-file"
                type="file"
                accept="application/json,.json"
                onChange={async (e) => {
                  const file = e.target.files?.[0];
                  if (!file) return;
                  setJson(await file.text());
                  setJsonErrors([]);
                }}
                className="block w-full text-sm text-neutral-600 file:mr-3 file:rounded-md file:border file:border-neutral-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-neutral-50 dark:text-neutral-400 dark:file:border-neutral-700 dark:file:bg-neutral-900 dark:file:text-neutral-100"
              />
            </div>
          </Card>
          {formErrorAlert}
          {actions}
        </form>
      </div>
    </div>
  );
}
