import { useState, type FormEvent, type ReactNode } from "react";

import { Alert } from "@/components/ui/alert";
import { FieldHint, Label, describedBy, inputClasses } from "@/components/ui/field";
import type { ApiErrorDetail } from "@/lib/ui/api";
import { validateSpec } from "@/lib/ui/spec-form";

import { SpecCard } from "./spec-card";
import type { Send } from "./spec-form";

const describe = (details: readonly ApiErrorDetail[]) =>
  details.map(({ path, message }) => (path === "body" ? `The document ${message}.` : `${path} — ${message}`));

/** The spec as pasted (or loaded) JSON: parsed, checked with the API's schema, sent. */
export function SpecJsonPanel({ json, setJson, send, footer }: { json: string; setJson: (json: string) => void; send: Send; footer: ReactNode }) {
  const [jsonErrors, setJsonErrors] = useState<string[]>([]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      setJsonErrors([`This isn't valid JSON: ${error instanceof Error ? error.message : "it could not be parsed"}.`]);
      document.getElementById("spec-json")?.focus();
      return;
    }
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

  return (
    <form onSubmit={submit} noValidate className="space-y-6">
      <SpecCard
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
      </SpecCard>
      {footer}
    </form>
  );
}
