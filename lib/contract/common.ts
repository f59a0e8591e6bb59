import { z } from "zod";

// Before any schema: no eval in the browser (./jitless.ts); a client component may import this module alone.
import "./jitless.ts";

import { role } from "./organizations.ts";
import { scope } from "./scopes.ts";

// Shapes more than one operation shares: pagination, the page envelope's meta, the
// health answer and the caller (`/me`).

const positiveInt = (name: string, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, { message: `${name} must be a whole number` })
    .transform(Number)
    .pipe(z.number().int().min(1, { message: `${name} must be at least 1` }).max(max, { message: `${name} must be at most ${max}` }));

/** `?page=1&per_page=20`: page is 1-based, per_page 1–100 (default 20). */
export const paginationQuery = z.object({
  page: positiveInt("page", 1_000_000).optional().default(1),
  per_page: positiveInt("per_page", 100).optional().default(20),
});

export const pageMeta = z
  .object({
    page: z.int().min(1).describe("The page returned, 1-based"),
    per_page: z.int().min(1).max(100).describe("Items per page"),
    total: z.int().min(0).describe("Items across all pages"),
  })
  .describe("Where this page sits in the whole list");
export type PageMeta = z.output<typeof pageMeta>;

export const healthOutput = z.object({ status: z.literal("ok") });

export const meOutput = z.object({
  user: z.object({ id: z.uuid(), email: z.string().nullable() }).nullable().describe("The user; null for a service account's key"),
  organization: z
    .object({
      id: z.uuid(),
      slug: z.string(),
      name: z.string(),
      personal: z.boolean(),
      role: role.describe("The caller's role; for a service account's key, the service account's"),
    })
    .describe("The organization the request acts in"),
  service_account: z.object({ id: z.uuid(), name: z.string() }).nullable().describe("The service account whose key this is, else null"),
  authentication: z.discriminatedUnion("method", [
    z.object({
      method: z.literal("api_key"),
      key_id: z.uuid(),
      key_prefix: z.string(),
      scopes: z.array(scope).describe("What the key may do now: its own scopes, within its holder's role and the organization's policy"),
      scopes_used: z.array(scope).describe("The scopes the key exercised in the last 30 days"),
    }),
    z.object({ method: z.literal("session"), scopes: z.array(scope).describe("What the session may do here: its role's scopes") }),
  ]),
});
