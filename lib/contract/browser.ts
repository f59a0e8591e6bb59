// The contract for code that runs in the browser (the dashboard's forms and labels): every
// schema and constant of lib/contract but the operations table (./operations.ts), whose
// definitions, descriptions and examples the browser never needs. A module built at load time
// is not left out of a bundle because nothing uses it, so importing the whole contract
// (./index.ts) from a client component ships the table with it (tests/e2e/page-weight.spec.ts).

// First: zod's jitless mode in the browser must be set before any schema is built (./jitless.ts).
import "./jitless.ts";

export * from "./activity.ts";
export * from "./api-keys.ts";
export * from "./behavior-specs.ts";
export * from "./common.ts";
export * from "./dates.ts";
export * from "./errors.ts";
export * from "./headers.ts";
export * from "./organizations.ts";
export * from "./scopes.ts";
