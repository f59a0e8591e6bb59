// Creates the auth schema (schema.sql) at start-up: one transaction behind an advisory
// lock, so two servers starting together cannot interleave their DDL; retried for a while,
// since the stack may start us before Postgres accepts connections.
import { readFileSync } from "node:fs";
import type { Sql } from "postgres";

const TRANSIENT = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "CONNECT_TIMEOUT", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "57P03"]);

export async function ensureSchema(sql: Sql) {
  const schemaSql = readFileSync(new URL("./schema.sql", import.meta.url), "utf8");
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(hashtext('tt_local_auth_server_schema'))`;
        await tx.unsafe(schemaSql);
      });
      return;
    } catch (err) {
      if (!TRANSIENT.has((err as { code?: string })?.code ?? "") || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
