// The contract of /api/v1 (docs/ARCHITECTURE.md, "The contract"). Pure: imports only zod.
// The server and the dashboard's server components import it; the CLI imports its types
// only (`import type`). Code that runs in the browser imports the module it needs
// (`@/lib/contract/api-keys`, …), never this file: a module built at load time is not left
// out of a bundle because nothing uses it, so this file would ship the operations table,
// with every description and example, to every page that has a form
// (tests/e2e/page-weight.spec.ts).
import type { z } from "zod";

// First: zod's jitless mode in the browser must be set before any schema is built (./jitless.ts).
import "./jitless.ts";

import type { healthOutput, meOutput } from "./common.ts";

export * from "./activity.ts";
export * from "./api-keys.ts";
export * from "./behavior-specs.ts";
export * from "./cli-login.ts";
export * from "./common.ts";
export * from "./dates.ts";
export * from "./errors.ts";
export * from "./headers.ts";
export * from "./leaks.ts";
export * from "./operation.ts";
export * from "./operations.ts";
export * from "./organizations.ts";
export * from "./scopes.ts";
export * from "./trust-policies.ts";
export { OAUTH_ERROR_JSON_SCHEMA } from "./trust-policy-operations.ts";
export { idParam } from "./params.ts";

// The shapes by the names clients use (and the OpenAPI document's components.schemas).
export type Health = z.output<typeof healthOutput>;
export type Me = z.output<typeof meOutput>;
