// `npm run dev`: the local stack, then `next dev` on :3000 (scripts/bootstrap.mjs has
// installed the dependencies and runs this with the project's Node 24). The stack keeps
// running after Next stops (it is slow to start, quick to reuse): `npm run stack:down`.
import { spawn, spawnSync } from "node:child_process";

import { checkNode } from "./lib/prerequisites.ts";
import { APP_PORT, DEMO_EMAIL, DEMO_PASSWORD, ROOT, SUPABASE_URL } from "./stack/config.ts";
import { ENV_DEFAULTS } from "../lib/local-defaults.ts";
import { MAIL_WEB_URL } from "./stack/mailpit.ts";

const say = (msg: string) => console.log(`[dev] ${msg}`);
try {
  checkNode(say);
} catch (e) {
  console.error(`[dev] error: ${(e as Error).message}`);
  process.exit(1);
}
const stack = spawnSync(process.execPath, ["scripts/stack.ts", "up"], { cwd: ROOT, stdio: "inherit" });
if (stack.status !== 0) process.exit(stack.status ?? 1);

console.log(`
  Tuned Tensor is starting on http://localhost:${APP_PORT}
  Log in at               http://localhost:${APP_PORT}/login
  Demo user               ${DEMO_EMAIL} / ${DEMO_PASSWORD}
  Supabase API (gateway)  ${SUPABASE_URL}
  Mail (Mailpit)          ${MAIL_WEB_URL}   every e-mail the stack sends lands here
  Scheduled jobs          GET /api/cron/key-expiry every 10 minutes (expiry mails)
  tt CLI against this app export TUNED_TENSOR_BASE_URL=http://localhost:${APP_PORT}   (tt's default is https://tunedtensor.com)
                          or: npx tt auth login --base-url http://localhost:${APP_PORT}   (stores the server with the key)
  Stop the stack with     npm run stack:down
`);
const next = spawn(process.execPath, ["node_modules/next/dist/bin/next", "dev", "-p", String(APP_PORT), ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: "inherit",
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
});
// The scheduled jobs, as Vercel Cron would call them (vercel.json): the expiry mails every
// 10 minutes (the first a minute after start, once Next has compiled), with the local
// CRON_SECRET. A failed run is reported and tried again next time.
const CRON_EVERY_MS = 10 * 60_000;
const cronSecret = process.env.CRON_SECRET || ENV_DEFAULTS.CRON_SECRET;
async function runCron(): Promise<void> {
  try {
    const res = await fetch(`http://localhost:${APP_PORT}/api/cron/key-expiry`, { headers: { authorization: `Bearer ${cronSecret}` }, signal: AbortSignal.timeout(60_000) });
    const body = (await res.json().catch(() => ({}))) as { data?: { sent: number; failed: number } };
    if (!res.ok) say(`cron /api/cron/key-expiry: HTTP ${res.status}`);
    else if (body.data && (body.data.sent || body.data.failed)) say(`cron /api/cron/key-expiry: ${body.data.sent} expiry mail(s) sent, ${body.data.failed} failed (see ${MAIL_WEB_URL})`);
  } catch (error) {
    say(`cron /api/cron/key-expiry: ${(error as Error).message}`);
  }
}
const firstCron = setTimeout(() => void runCron(), 60_000);
const cron = setInterval(() => void runCron(), CRON_EVERY_MS);

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => next.kill(signal));
next.on("exit", (code) => {
  clearTimeout(firstCron);
  clearInterval(cron);
  process.exit(code ?? 0);
});
