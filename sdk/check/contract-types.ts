// Compiled by the SDK's build (tsconfig.check.json) and the repository's typecheck, never
// shipped: the generated types of src/generated/contract.ts must be exactly what the
// contract's schemas take and give (z.input of params, query and body; z.output of the
// answer), field for field, optional ones included. A field renamed, added or retyped in
// lib/contract fails here until `npm run generate -w sdk` is run — and then fails wherever
// the SDK's users (the CLI, the dashboard) use the old name.
import type { z } from "zod";

import type * as contract from "../../lib/contract/index.ts";
import type * as generated from "../src/generated/contract.ts";

type Operations = typeof contract.operations;

type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type DeepRequired<T> = T extends readonly (infer E)[] ? DeepRequired<E>[] : T extends object ? { [K in keyof T]-?: DeepRequired<T[K]> } : T;
/** Assignable both ways, and still so with every optional field made required (so an optional field's name counts too). */
type Same<A, B> = Mutual<A, B> extends true ? Mutual<DeepRequired<A>, DeepRequired<B>> : false;

type InputOf<O, F extends string> = O extends { [P in F]: infer S } ? (S extends z.ZodType ? z.input<S> : never) : never;
type FromContract<O> = {
  params: InputOf<O, "params">;
  query: InputOf<O, "query">;
  body: O extends { verbatimBody: true } ? string : InputOf<O, "body">;
  // A bare JSON answer (envelope "none") is described by a JSON Schema, not a zod schema.
  data: O extends { response: { schema: infer S } } ? (S extends z.ZodType ? z.output<S> : never) : unknown;
};
type Fields = "params" | "query" | "body" | "data";
type Check<K extends keyof Operations & generated.OperationId> = {
  [F in Fields]: F extends "data"
    ? Operations[K]["response"]["envelope"] extends "none"
      ? true
      : Same<generated.OperationTypes[K][F], FromContract<Operations[K]>[F]>
    : Same<generated.OperationTypes[K][F], FromContract<Operations[K]>[F]>;
};

// The same operations, and each one's inputs and answer the contract's.
export const sameOperations: Mutual<keyof Operations, generated.OperationId> = true;
export const sameTypes: { [K in generated.OperationId]: { [F in Fields]: true } } = null as unknown as {
  [K in keyof Operations & generated.OperationId]: Check<K>;
};

// The constants: the generated values are the contract's (the unit test compares the values).
export const sameConstants: [
  typeof generated.SCOPES extends typeof contract.SCOPES ? true : false,
  typeof generated.ERROR_STATUS extends typeof contract.ERROR_STATUS ? true : false,
  Mutual<generated.ErrorCode, contract.ErrorCode>,
  Mutual<generated.Scope, contract.Scope>,
  Mutual<generated.AuditEventType, contract.AuditEventType>,
] = [true, true, true, true, true];
