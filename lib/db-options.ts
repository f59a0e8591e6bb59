// How the app's one postgres.js pool connects, from the validated environment. Pure, so
// the rules are unit-tested without a database.
//
// Behind a transaction-mode pooler (Supabase's Supavisor on port 6543, PgBouncer with
// pool_mode = transaction) each transaction may run on a different server connection, so
// a statement prepared in one is unknown in the next ("prepared statement … does not
// exist"): postgres.js, which prepares every query by default, must send unnamed
// statements instead (`prepare: false`). Nothing else here needs a session: no SET, no
// LISTEN, no advisory locks, no temporary tables.
import type { Env } from "./env-schema";

export type DbOptions = {
  url: string;
  pooler: "session" | "transaction";
  prepare: boolean;
  max: number;
};

/** Supavisor's transaction-mode port. */
const TRANSACTION_POOLER_PORT = "6543";

export function databaseOptions(env: Pick<Env, "DATABASE_URL" | "DATABASE_POOLER" | "DATABASE_POOL_MAX">): DbOptions {
  const url = new URL(env.DATABASE_URL);
  // `?pgbouncer=true` (the convention Prisma and Supabase's docs use) is a hint for us, not
  // a server setting: postgres.js would send it to the server as a startup parameter.
  const hinted = url.searchParams.get("pgbouncer") === "true";
  url.searchParams.delete("pgbouncer");
  const pooler =
    env.DATABASE_POOLER === "auto" ? (hinted || url.port === TRANSACTION_POOLER_PORT ? "transaction" : "session") : env.DATABASE_POOLER;
  return { url: url.toString(), pooler, prepare: pooler === "session", max: env.DATABASE_POOL_MAX };
}
