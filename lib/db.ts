import "server-only";

import postgres from "postgres";

import { env } from "@/lib/env";

export type Db = postgres.Sql;

// One pool per server process. `next dev` re-evaluates modules on every edit, so the
// pool lives on globalThis: otherwise each reload would leak its connections.
const globalForDb = globalThis as typeof globalThis & { __ttDb?: Db };

export const db: Db = (globalForDb.__ttDb ??= postgres(env.DATABASE_URL, {
  max: 10,
  idle_timeout: 30,
  // A dead database must turn into a quick 5xx, not a request that hangs.
  connect_timeout: 3,
  onnotice: () => {},
}));
