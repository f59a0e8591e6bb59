// The "new behaviour spec" form's pure logic: form values → the API's input, validated
// with the very schema the API parses with (createBehaviorSpecInput), and both the
// client's and the server's validation `details` mapped onto the form's fields.
// Pure: no React, no server imports.

import { BEHAVIOR_SPEC_LIMITS, DEFAULT_BASE_MODEL, createBehaviorSpecInput, type CreateBehaviorSpecInput } from "@/lib/contract/behavior-specs";
import { issueDetails, type ErrorDetail } from "@/lib/contract/errors";

export type ExampleDraft = { key: string; input: string; output: string };

export type SpecFormValues = {
  name: string;
  description: string;
  system_prompt: string;
  base_model: string;
  /** One item per line. */
  guidelines: string;
  /** One item per line. */
  constraints: string;
  examples: ExampleDraft[];
};

export const emptySpecForm = (firstExampleKey: string): SpecFormValues => ({
  name: "",
  description: "",
  system_prompt: "",
  base_model: DEFAULT_BASE_MODEL,
  guidelines: "",
  constraints: "",
  examples: [{ key: firstExampleKey, input: "", output: "" }],
});

/** Non-blank lines, each trimmed (the API trims list items too). */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

export type SpecRequest = {
  body: Record<string, unknown>;
  /** Which draft each sent example came from, so `examples.<i>` errors land on the right row. */
  exampleKeys: string[];
};

/** What the form sends: blank optional fields left out, wholly blank example rows skipped. */
export function toSpecRequest(values: SpecFormValues): SpecRequest {
  const examples = values.examples.filter((e) => e.input !== "" || e.output !== "");
  return {
    body: {
      name: values.name,
      ...(values.description.trim() ? { description: values.description } : {}),
      ...(values.system_prompt.trim() ? { system_prompt: values.system_prompt } : {}),
      base_model: values.base_model,
      guidelines: lines(values.guidelines),
      constraints: lines(values.constraints),
      examples: examples.map(({ input, output }) => ({ input, output })),
    },
    exampleKeys: examples.map((e) => e.key),
  };
}

export type Validated =
  | { ok: true; data: CreateBehaviorSpecInput }
  | { ok: false; details: ErrorDetail[] };

/** The API's own validation, run in the browser: same schema, same `details` shape. */
export function validateSpec(body: unknown): Validated {
  const result = createBehaviorSpecInput.safeParse(body);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, details: issueDetails(result.error, body) };
}

/** Field keys: the top-level field names, plus `examples.<draft key>.input|output`. */
export type FieldErrors = Record<string, string>;
export type MappedErrors = { fields: FieldErrors; general: string[] };

const LABELS: Record<string, string> = {
  name: "Name",
  description: "Description",
  system_prompt: "System prompt",
  base_model: "Base model",
  guidelines: "Guidelines",
  constraints: "Constraints",
  examples: "Examples",
};
const ITEM_LABELS: Record<string, string> = { guidelines: "Guideline", constraints: "Constraint" };

function sentence(subject: string, message: string): string {
  const text = `${subject} ${message}`.trim();
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * Puts each detail next to its field. `examples.2.output` becomes the error of the third
 * sent example's Output box; `guidelines.4` is reported on the Guidelines box as
 * "Guideline 5 …". Whatever has no field (`body`, unknown fields) goes to `general`.
 */
export function mapDetails(details: readonly ErrorDetail[], exampleKeys: readonly string[]): MappedErrors {
  const fields: FieldErrors = {};
  const general: string[] = [];
  const add = (key: string, message: string) => {
    // The first problem per field is enough to act on.
    if (!(key in fields)) fields[key] = message;
  };

  for (const { path, message } of details) {
    const [field, index, part] = path.split(".");
    const label = field === undefined ? undefined : LABELS[field];
    if (field === undefined || label === undefined) {
      general.push(path === "body" || path === "" ? sentence("", capitalise(message)) : sentence(`${path}:`, message));
      continue;
    }
    if (index === undefined) {
      // Too few examples sent: said in the form's words, decided by the count, not by the message.
      if (field === "examples" && exampleKeys.length < BEHAVIOR_SPEC_LIMITS.minExamples) add("examples", `Add at least ${BEHAVIOR_SPEC_LIMITS.minExamples === 1 ? "one example" : `${BEHAVIOR_SPEC_LIMITS.minExamples} examples`}: an input and the output you want for it.`);
      else add(field, sentence(label, message));
      continue;
    }
    const n = Number(index);
    if (field === "examples") {
      const key = exampleKeys[n];
      const where = part === "input" || part === "output" ? part : undefined;
      if (key === undefined) general.push(sentence(`Example ${n + 1}${where ? ` ${where}` : ""}`, message));
      else if (where) add(`examples.${key}.${where}`, sentence(where === "input" ? "Input" : "Output", message));
      else add(`examples.${key}.input`, sentence(`Example ${n + 1}`, message));
      continue;
    }
    const item = ITEM_LABELS[field];
    add(field, sentence(item ? `${item} ${n + 1}` : label, message));
  }
  return { fields, general };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
