// What the scale tests know about the production shape that `npm run test:scale`
// (scripts/test-scale.ts) started: nginx in front, three standalone instances, PgBouncer.
import { Agent, request } from "node:http";

export type ScaleInfo = { lbUrl: string; lbPort: number; instances: { url: string; pid: number }[] };

export function scale(): ScaleInfo {
  const raw = process.env.TT_SCALE;
  if (!raw) throw new Error("TT_SCALE is not set: run these tests with npm run test:scale");
  return JSON.parse(raw) as ScaleInfo;
}

export type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** One HTTP request with any method, from a loopback address of our choosing (all of 127/8 is this machine). */
export function send(port: number, opts: { method?: string; path: string; from?: string; headers?: Record<string, string>; body?: string; agent?: Agent }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, method: opts.method ?? "GET", path: opts.path, localAddress: opts.from, headers: opts.headers, agent: opts.agent },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

/** A fresh loopback address, so runs never share a failed-authentication counter. */
export const loopback = () => `127.${10 + Math.floor(Math.random() * 200)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 250)}`;


/**
 * Where the key-change races run across the production shape: 13 clients on each of the
 * three instances directly and 13 through nginx (52 in all), the change made through
 * instance 1 (tests/support/key-change-races.ts).
 */
export function acrossInstances() {
  const { lbUrl, instances } = scale();
  return { targets: [...instances.map((i) => i.url), lbUrl], clientsPerTarget: 13, changeVia: instances[0]!.url };
}
