import { z } from "zod";

// Before any schema: no eval in the browser (./jitless.ts); a client component may import this module alone.
import "./jitless.ts";

import { plainText } from "./text.ts";

// Request and response shapes for /api/v1/behavior-specs. Pure (no server imports): the
// OpenAPI document and the CLI may import them. Responses are always built by parsing
// through `behaviorSpecOutput`, which lists its fields explicitly, so a column such as
// user_id can never reach a client by being selected by accident.
//
// The limits match the CHECK constraints of supabase/migrations/*_behavior_specs.sql,
// and every text field (plainText) refuses what Postgres cannot store (NUL, unpaired
// UTF-16 surrogates), so bad input is a 400 here and never a database error (500) later.

export const SUPPORTED_BASE_MODELS = [
  "Qwen/Qwen3.5-2B",
  "Qwen/Qwen3.5-4B",
  "google/gemma-4-E2B-it",
  "google/gemma-4-E4B-it",
  "meta-llama/Llama-3.2-3B-Instruct",
  "microsoft/Phi-4-mini-instruct",
  "ibm-granite/granite-3.3-2b-instruct",
  "bigcode/starcoder2-3b",
] as const;
export type BaseModel = (typeof SUPPORTED_BASE_MODELS)[number];
export const DEFAULT_BASE_MODEL: BaseModel = "meta-llama/Llama-3.2-3B-Instruct";

export const BEHAVIOR_SPEC_LIMITS = {
  name: 255,
  description: 10_000,
  system_prompt: 50_000,
  listItems: 50,
  listItem: 2_000,
  minExamples: 1,
  maxExamples: 500,
  exampleText: 20_000,
} as const;
const L = BEHAVIOR_SPEC_LIMITS;



const name = plainText({ max: L.name, singleLine: true }).describe(`A name for the spec (1–${L.name} characters, one line)`);
const description = plainText({ max: L.description }).describe(`What the spec is for (up to ${L.description} characters)`);
const systemPrompt = plainText({ max: L.system_prompt, trim: false }).describe(`The system prompt the tuned model is trained with (up to ${L.system_prompt} characters)`);
const list = (what: string) =>
  z
    .array(plainText({ max: L.listItem }).describe(`One ${what} (1–${L.listItem} characters)`))
    .max(L.listItems, { message: `must have at most ${L.listItems} items` });
const guidelines = list("guideline").describe(`Things the model should do (at most ${L.listItems})`);
const constraints = list("constraint").describe(`Things the model must not do (at most ${L.listItems})`);

export const behaviorSpecExample = z
  .strictObject({
    // Untrimmed: leading indentation and trailing newlines are part of the training data.
    input: plainText({ max: L.exampleText, trim: false }).describe(`The user's message (1–${L.exampleText} characters)`),
    output: plainText({ max: L.exampleText, trim: false }).describe(`The response the model should give (1–${L.exampleText} characters)`),
  })
  .describe("One input/output pair demonstrating the wanted behaviour");

const examples = z
  .array(behaviorSpecExample)
  .min(L.minExamples, { message: `must have at least ${L.minExamples} item` })
  .max(L.maxExamples, { message: `must have at most ${L.maxExamples} items` })
  .describe(`Input/output pairs demonstrating the wanted behaviour (${L.minExamples}–${L.maxExamples})`);

const baseModel = z
  .enum(SUPPORTED_BASE_MODELS, { message: `must be one of: ${SUPPORTED_BASE_MODELS.join(", ")}` })
  .describe(`The model to fine-tune; defaults to ${DEFAULT_BASE_MODEL}`);

export const createBehaviorSpecInput = z
  .strictObject({
    name,
    description: description.nullable().optional().describe("What the spec is for; omit or null for none"),
    system_prompt: systemPrompt.nullable().optional().describe("The system prompt; omit or null for none"),
    guidelines: guidelines.optional(),
    constraints: constraints.optional(),
    examples,
    base_model: baseModel.optional(),
  })
  .describe("A new behaviour spec");
export type CreateBehaviorSpecInput = z.output<typeof createBehaviorSpecInput>;

// PATCH: only the fields sent change. null clears description or system_prompt; an
// empty array clears guidelines or constraints. Sending no field at all is a 400.
export const updateBehaviorSpecInput = z
  .strictObject({
    name: name.optional(),
    description: description.nullable().optional().describe("New description; null clears it"),
    system_prompt: systemPrompt.nullable().optional().describe("New system prompt; null clears it"),
    guidelines: guidelines.optional().describe("Replaces all guidelines; [] clears them"),
    constraints: constraints.optional().describe("Replaces all constraints; [] clears them"),
    examples: examples.optional().describe(`Replaces all examples (${L.minExamples}–${L.maxExamples})`),
    base_model: baseModel.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: "must contain at least one field to change",
    // Only when nothing else is wrong: `{"nme": …}` is an unknown field, not also an empty patch.
    when: (payload) => payload.issues.length === 0,
  })
  .meta({ minProperties: 1 })
  .describe("The fields to change; the others keep their values");
export type UpdateBehaviorSpecInput = z.output<typeof updateBehaviorSpecInput>;

const timestamp = z.iso.datetime({ offset: true });

export const behaviorSpecOutput = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    system_prompt: z.string().nullable(),
    guidelines: z.array(z.string()),
    constraints: z.array(z.string()),
    examples: z.array(z.object({ input: z.string(), output: z.string() })),
    // A plain string here, not the enum: if a model is ever retired from the list, the
    // specs that already use it must still be readable.
    base_model: z.string().describe("The model to fine-tune"),
    created_at: timestamp,
    updated_at: timestamp.describe("Changes on every update"),
  })
  .describe("A behaviour spec");
export type BehaviorSpec = z.output<typeof behaviorSpecOutput>;
