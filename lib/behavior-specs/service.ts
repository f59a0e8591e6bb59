import "server-only";

import { answerableRows } from "@/lib/answerable-rows";
import type { Db } from "@/lib/db";
import { organizationPage } from "@/lib/db-page";

import {
  DEFAULT_BASE_MODEL,
  behaviorSpecOutput,
  type BehaviorSpec,
  type CreateBehaviorSpecInput,
  type UpdateBehaviorSpecInput,
} from "@/lib/contract";
import { notFoundError } from "@/lib/domain-errors";

// Every query here takes the organization's id and filters by it: a spec id alone never
// reaches a row (another organization's spec and an unknown spec are the same 404).

export const BEHAVIOR_SPEC_NOT_FOUND = "Behaviour spec not found";

const SPEC_COLUMNS = [
  "id",
  "name",
  "description",
  "system_prompt",
  "guidelines",
  "constraints",
  "examples",
  "base_model",
  "created_at",
  "updated_at",
] as const;
type SpecRow = {
  id: string;
  name: string;
  description: string | null;
  system_prompt: string | null;
  guidelines: string[];
  constraints: string[];
  examples: { input: string; output: string }[];
  base_model: string;
  created_at: Date;
  updated_at: Date;
};

function toOutput(row: SpecRow): BehaviorSpec {
  // `satisfies`: a field renamed in the contract breaks this mapping at compile time too.
  return behaviorSpecOutput.parse({ ...row, created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString() } satisfies BehaviorSpec);
}

/** `createdBy`: who made it (null for a service account's key); the organization owns it. */
export async function createBehaviorSpec(db: Db, params: { organizationId: string; createdBy: string | null } & CreateBehaviorSpecInput) {
  const values = {
    organization_id: params.organizationId,
    user_id: params.createdBy,
    name: params.name,
    description: params.description ?? null,
    system_prompt: params.system_prompt ?? null,
    guidelines: params.guidelines ?? [],
    constraints: params.constraints ?? [],
    examples: db.json(params.examples),
    base_model: params.base_model ?? DEFAULT_BASE_MODEL,
  };
  const [row] = await db<SpecRow[]>`
    insert into public.behavior_specs ${db(values)}
    returning ${db(SPEC_COLUMNS)}`;
  return toOutput(row!);
}

/** The organization's specs, newest first, one page of them plus the total across all pages. */
export async function listBehaviorSpecs(db: Db, params: { organizationId: string; page: number; perPage: number; requestId?: string }) {
  const { rows, total } = await organizationPage<SpecRow>(db, { table: "behavior_specs", columns: SPEC_COLUMNS, ...params });
  // A row the output cannot describe is left out and logged, never a 500 for the whole list.
  return { items: answerableRows(rows, toOutput, "behaviour spec", params.requestId), total };
}

export async function getBehaviorSpec(db: Db, params: { organizationId: string; id: string }) {
  const [row] = await db<SpecRow[]>`
    select ${db(SPEC_COLUMNS)}
    from public.behavior_specs
    where id = ${params.id} and organization_id = ${params.organizationId}`;
  if (!row) throw notFoundError(BEHAVIOR_SPEC_NOT_FOUND);
  return toOutput(row);
}

/**
 * Changes only the fields in `patch`, in one UPDATE … RETURNING: no read-modify-write,
 * so two concurrent PATCHes of different fields cannot undo each other.
 * updated_at is set by the table's trigger.
 */
export async function updateBehaviorSpec(db: Db, params: { organizationId: string; id: string; patch: UpdateBehaviorSpecInput }) {
  const { examples, ...rest } = params.patch;
  const values = { ...rest, ...(examples !== undefined ? { examples: db.json(examples) } : {}) };
  const columns = (Object.keys(values) as (keyof typeof values)[]).filter((column) => values[column] !== undefined);
  // The input schema demands at least one field; with none there is nothing to write.
  if (columns.length === 0) return getBehaviorSpec(db, params);
  const [row] = await db<SpecRow[]>`
    update public.behavior_specs
    set ${db(values, columns)}
    where id = ${params.id} and organization_id = ${params.organizationId}
    returning ${db(SPEC_COLUMNS)}`;
  if (!row) throw notFoundError(BEHAVIOR_SPEC_NOT_FOUND);
  return toOutput(row);
}

/** Deletes for good and returns what was deleted. */
export async function deleteBehaviorSpec(db: Db, params: { organizationId: string; id: string }) {
  const [row] = await db<SpecRow[]>`
    delete from public.behavior_specs
    where id = ${params.id} and organization_id = ${params.organizationId}
    returning ${db(SPEC_COLUMNS)}`;
  if (!row) throw notFoundError(BEHAVIOR_SPEC_NOT_FOUND);
  return toOutput(row);
}
