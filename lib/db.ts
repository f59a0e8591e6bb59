import "server-only";

import postgres from "postgres";

import { databaseOptions } from "@/lib/db-options";
import { env } from "@/lib/env";

export type Db = postgres.Sql;

const options = databaseOptions(env);

// One pool per server process. `next dev` re-evaluates modules on every edit, so the
// pool lives on globalThis: otherwise each reload would leak its connections.
const globalForDb = globalThis as typeof globalThis & { __ttDb?: Db };

export const db: Db = (globalForDb.__ttDb ??= postgres(options.url, {
  max: options.max,
  // false behind a transaction-mode pooler (lib/db-options.ts).
  prepare: options.prepare,
  idle_timeout: 30,
  // A dead database must turn into a quick 5xx, not a request that hangs.
  connect_timeout: 3,
  onnotice: () => {},
}));
