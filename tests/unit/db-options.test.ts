import { describe, expect, it } from "vitest";

import { databaseOptions } from "../../lib/db-options";
import { parseEnv } from "../../lib/env-schema";

const options = (vars: Record<string, string>) => databaseOptions(parseEnv(vars));

describe("databaseOptions", () => {
  it("prepares statements on a direct connection (the local default)", () => {
    expect(options({})).toEqual({ url: "postgresql://postgres:postgres@127.0.0.1:54322/postgres", pooler: "session", prepare: true, max: 10 });
    // Supavisor's session mode (5432) keeps a server connection per client: prepared statements work.
    expect(options({ DATABASE_URL: "postgres://postgres.ref:pw@aws-0-eu-west-1.pooler.supabase.com:5432/postgres" }).prepare).toBe(true);
  });

  it("prepares nothing behind a transaction pooler: Supavisor's port 6543, ?pgbouncer=true, or said so", () => {
    const supavisor = options({ DATABASE_URL: "postgres://postgres.ref:pw@aws-0-eu-west-1.pooler.supabase.com:6543/postgres" });
    expect(supavisor).toMatchObject({ pooler: "transaction", prepare: false });
    const hinted = options({ DATABASE_URL: "postgresql://u:p@db.internal:6432/app?pgbouncer=true&sslmode=require", DATABASE_POOL_MAX: "4" });
    // The hint is ours: it is not sent to the server as a startup parameter.
    expect(hinted).toEqual({ url: "postgresql://u:p@db.internal:6432/app?sslmode=require", pooler: "transaction", prepare: false, max: 4 });
    expect(options({ DATABASE_POOLER: "transaction" })).toMatchObject({ pooler: "transaction", prepare: false });
  });

  it("lets an explicit setting win over the guess", () => {
    expect(options({ DATABASE_URL: "postgres://u:p@h:6543/db", DATABASE_POOLER: "session" })).toMatchObject({ pooler: "session", prepare: true });
  });
});
