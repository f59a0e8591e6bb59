// A Data API caller, in SQL: role `authenticated` with a user's JWT claims, as PostgREST sets
// them, inside a transaction that is always rolled back (tests/integration/organizations-rls.test.ts).
import type postgres from "postgres";

class Rollback extends Error {}

export type Aal = "aal1" | "aal2";

/**
 * Runs `fn` as `userId` with a session at `aal`; `before` runs first, as the superuser, in
 * the same transaction (to change what the caller will see without leaving a trace).
 */
export async function asUser<T>(
  sql: postgres.Sql,
  userId: string,
  aal: Aal,
  fn: (tx: postgres.TransactionSql) => Promise<T>,
  before?: (tx: postgres.TransactionSql) => Promise<unknown>,
): Promise<T> {
  let result: T;
  await sql
    .begin(async (tx) => {
      if (before) await before(tx);
      await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: userId, role: "authenticated", aal })}, true)`;
      await tx`set local role authenticated`;
      result = await fn(tx);
      throw new Rollback();
    })
    .catch((e) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return result!;
}

export type Attempt = { ok: true; count: number } | { ok: false; code: string; message: string };

/** One statement as `userId`, in its own rolled-back transaction: what it did, or why it was refused. */
export async function attempt(sql: postgres.Sql, userId: string, aal: Aal, query: string, params: postgres.ParameterOrJSON<never>[] = []): Promise<Attempt> {
  try {
    const rows = await asUser(sql, userId, aal, (tx) => tx.unsafe(query, params));
    return { ok: true, count: rows.count };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (typeof err.code !== "string") throw e;
    return { ok: false, code: err.code, message: err.message ?? "" };
  }
}
