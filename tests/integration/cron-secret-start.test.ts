// `next start` (NODE_ENV=production) refuses to serve with the repository's public default
// CRON_SECRET, whatever APP_URL's scheme: it exits before answering anything, saying what
// to set. A second instance of the built app, started without a CRON_SECRET.
import { spawn } from "node:child_process";

import { describe, expect, it } from "vitest";

import { freePort } from "../support/app-instance";

describe("starting without a CRON_SECRET", () => {
  it("next start with NODE_ENV=production and an http APP_URL refuses to start, naming CRON_SECRET and how to set it", async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", APP_URL: `http://localhost:${port}` };
    delete env.CRON_SECRET;
    const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port)], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
    // It must end by itself; a server that stays up is the failure (killed after 20 s).
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
    clearTimeout(timer);
    expect(code, output).toBe(1);
    expect(output).toContain("CRON_SECRET: must be set to a secret of your own when NODE_ENV=production (e.g. CRON_SECRET=$(openssl rand -hex 32))");
  }, 30_000);
});
