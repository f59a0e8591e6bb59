import type { z } from "zod";

import { ERROR_CODES, type ErrorCode } from "./errors.ts";
import type { Scope } from "./scopes.ts";

// What one operation of /api/v1 is: everything the server needs to serve it, the OpenAPI
// document needs to describe it, and a client needs to call it. One definition per
// operation, in lib/contract/operations.ts; nothing else restates a method, a path, a
// credential rule or a field.

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
/** How a caller proves who they are. */
export type Credential = "api_key" | "session";
export type Tag = "Account" | "API keys" | "Leaked keys" | "Activity" | "Behaviour specs" | "CLI login" | "Organizations" | "Keyless CI" | "Meta";

/** Schemas of the strings a request carries in its path or query. */
type StringsSchema = z.ZodObject;

export type ResponseDefinition =
  /** `{ data }`: the handler returns the data. */
  | { envelope: "data"; status: 200 | 201 | 202; schema: z.ZodType; description: string; example?: unknown }
  /** `{ data: [...], meta }`: the handler returns `{ items, total }`; needs the pagination query. */
  | { envelope: "page"; status: 200; schema: z.ZodType; description: string; example?: unknown }
  /** A bare JSON document, outside the envelope: the handler returns the Response itself. */
  | { envelope: "none"; status: 200; jsonSchema: Record<string, unknown>; description: string };


export type OperationDefinition = {
  method: HttpMethod;
  /** OpenAPI's template: `{id}` for a path parameter. */
  path: `/api/v1/${string}`;
  summary: string;
  description?: string;
  tag: Tag;
  /** Who may call: `[]` for a public operation; a principal of another kind gets 403. */
  credentials: readonly Credential[];
  /**
   * The scope an API key needs to call this (lib/contract/scopes.ts), or null for none: a key
   * without it gets 403 with RFC 6750's `insufficient_scope` challenge. A session has every
   * scope. Every operation says, so a new one cannot forget.
   */
  scope: Scope | null;
  /** The 403 message for a credential the operation does not take. */
  forbiddenMessage?: string;
  /**
   * The operation mints or widens a credential: the session is confirmed with Supabase
   * Auth first (a signed-out or suspended session → 401), not only verified locally.
   */
  mintsCredential?: boolean;
  params?: StringsSchema;
  query?: StringsSchema;
  /** A JSON object body (415 / 413 / 400 before the schema is even tried). */
  body?: z.ZodType;
  /** What the body is, for people (the OpenAPI document). */
  bodyDescription?: string;
  /**
   * The handler gets the body as the exact text sent (still checked for type, size and
   * UTF-8), not parsed: for a body whose signature covers its bytes (GitHub's secret
   * scanning), which must be verified before anything else looks at it. The handler
   * parses it with `body` itself.
   */
  verbatimBody?: true;
  /**
   * An OAuth 2.0 token endpoint (RFC 6749 §3.2): the handler reads the body itself, sent as
   * `application/x-www-form-urlencoded` (as OAuth clients send it) or as JSON, checks it with
   * `body`, and answers every refusal in RFC 6749 §5.2's shape (`{error, error_description}`,
   * 400, `Cache-Control: no-store`), outside the envelope: OAuth clients expect it.
   */
  oauth?: true;
  /**
   * A request to show (the reference's curl and SDK examples, the document's request body
   * example): path parameters, query and body as a client sends them. Every operation that
   * takes input has one, and it must pass the operation's own schemas (tests/unit/contract.test.ts).
   */
  requestExample?: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown };
  /** Error codes the operation answers with beyond those its inputs imply (errorCodesOf). */
  errors?: readonly ErrorCode[];
  response: ResponseDefinition;
};

/** Checks an operation's shape and keeps its literal types (for the handler's and the client's). */
export const defineOperation = <const O extends OperationDefinition>(operation: O): O => operation;

type Out<S> = S extends z.ZodType ? z.output<S> : never;
type In<S> = S extends z.ZodType ? z.input<S> : never;

export type ParamsOf<O extends OperationDefinition> = O["params"] extends z.ZodType ? z.output<O["params"]> : Record<string, never>;
export type QueryOf<O extends OperationDefinition> = O["query"] extends z.ZodType ? z.output<O["query"]> : Record<string, never>;
/** The body as the handler gets it (parsed: defaults applied, text trimmed). */
export type BodyOf<O extends OperationDefinition> = O["oauth"] extends true ? undefined : O["verbatimBody"] extends true ? string : O["body"] extends z.ZodType ? z.output<O["body"]> : undefined;
/** The body as a client sends it. */
export type RequestBodyOf<O extends OperationDefinition> = In<O["body"]>;
/** One item of a page, or the whole `data` of any other answer. */
export type ResultOf<O extends OperationDefinition> = O["response"] extends { schema: infer S } ? Out<S> : unknown;
/** What `data` holds in the answer. */
export type DataOf<O extends OperationDefinition> = O["response"]["envelope"] extends "page" ? ResultOf<O>[] : ResultOf<O>;
export type IsPublic<O extends OperationDefinition> = O["credentials"] extends readonly [] ? true : false;

/**
 * The error codes an operation can answer with, from what it takes: credentials (401,
 * 403, 429), input of any kind (400), a path parameter naming a resource (404), a body
 * (413, 415). Every operation can 500. 405 belongs to the methods a path does *not* have.
 */
export function errorCodesOf(operation: OperationDefinition): ErrorCode[] {
  // Its refusals are OAuth's own (oauthErrorOutput), not the envelope's codes.
  if (operation.oauth) return ["internal_error"];
  const authenticated = operation.credentials.length > 0;
  const input = Boolean(operation.params || operation.query || operation.body);
  const implied: ErrorCode[] = [
    ...(input ? (["validation_error"] as const) : []),
    ...(authenticated ? (["unauthorized", "forbidden"] as const) : []),
    ...(operation.params ? (["not_found"] as const) : []),
    ...(operation.body ? (["payload_too_large", "unsupported_media_type"] as const) : []),
    ...(authenticated ? (["rate_limited"] as const) : []),
    "internal_error",
  ];
  const extra = (operation.errors ?? []).filter((code) => !implied.includes(code));
  // In the map's order (ERROR_STATUS), so the document lists them by status.
  return ERROR_CODES.filter((code) => implied.includes(code) || extra.includes(code));
}
