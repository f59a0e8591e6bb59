// What the load balancer itself answers, and that the instances really sit behind
// PgBouncer in transaction mode.
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { LOG_DIR } from "../../../scripts/stack/config.ts";
import { POOLER_POOL_SIZE, poolerShow } from "../../../scripts/scale/cluster.ts";
import { scale, send } from "../support.ts";

const { lbPort, instances } = scale();

describe("the load balancer", () => {
  it("answers methods the API has nowhere with a 405 in the API's envelope", async () => {
    for (const method of ["TRACE", "QUERY", "PROPFIND"]) {
      for (const path of ["/api/v1/health", "/api/v1/behavior-specs", "/login"]) {
        const res = await send(lbPort, { method, path });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(JSON.parse(res.body), `${method} ${path}`).toEqual({ error: { code: "method_not_allowed", message: `Method ${method} is not allowed` } });
        expect(res.headers["content-type"]).toBe("application/json");
        expect(res.headers.allow).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
      }
    }
    // An instance reached directly answers TRACE the same way (lib/security/unsupported-methods.ts),
    // so nothing depends on nginx being in front.
    const direct = await send(Number(new URL(instances[0]!.url).port), { method: "TRACE", path: "/api/v1/health" });
    expect(direct.status).toBe(405);
    expect(JSON.parse(direct.body)).toEqual({ error: { code: "method_not_allowed", message: "Method TRACE is not allowed" } });
  });

  it("passes the methods the API has through to the app, its own 405s included", async () => {
    const del = await send(lbPort, { method: "DELETE", path: "/api/v1/health" });
    expect(del.status).toBe(405);
    expect(del.headers.allow).toBe("GET, HEAD, OPTIONS");
    expect(JSON.parse(del.body).error.code).toBe("method_not_allowed");
    const options = await send(lbPort, { method: "OPTIONS", path: "/api/v1/health" });
    expect(options.status).toBe(204);
  });

  it("spreads requests over the three instances", async () => {
    const tag = `spread-${Date.now()}`;
    const statuses = await Promise.all(Array.from({ length: 30 }, () => send(lbPort, { path: `/api/v1/health?${tag}` }).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    // nginx's access log names the instance that answered each request.
    const upstreams = readFileSync(join(LOG_DIR, "nginx-access.log"), "utf8")
      .split("\n")
      .filter((l) => l.includes(tag))
      .map((l) => /upstream=(\S+)/.exec(l)?.[1]);
    expect(new Set(upstreams)).toEqual(new Set(instances.map((i) => new URL(i.url).host)));
  });
});

describe("PgBouncer in transaction mode", () => {
  it("holds every app connection on at most its pool of Postgres connections", () => {
    const pools = poolerShow("POOLS").filter((p) => p.database === "postgres");
    expect(pools).toHaveLength(1);
    const pool = pools[0]!;
    expect(pool.pool_mode).toBe("transaction");
    const server = ["sv_active", "sv_idle", "sv_used", "sv_tested", "sv_login"].reduce((n, k) => n + Number(pool[k] ?? 0), 0);
    expect(server).toBeLessThanOrEqual(POOLER_POOL_SIZE);
    // The app has really been talking through it (the suite ran before or alongside).
    const stats = poolerShow("STATS").find((s) => s.database === "postgres");
    expect(Number(stats?.total_query_count ?? 0)).toBeGreaterThan(0);
  });
});
