// `npm run dev`: the local stack, then `next dev` on :3000 (scripts/bootstrap.mjs has
// installed the dependencies and runs this with the project's Node 24). The stack keeps
// running after Next stops (it is slow to start, quick to reuse): `npm run stack:down`.
import { spawn, spawnSync } from "node:child_process";

import { checkNode } from "./lib/prerequisites.ts";
import { APP_PORT, DEMO_EMAIL, DEMO_PASSWORD, ROOT, SUPABASE_URL } from "./stack/config.ts";
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
  tt CLI against this app export TUNED_TENSOR_BASE_URL=http://localhost:${APP_PORT}   (tt's default is https://tunedtensor.com)
                          or: npx tt auth login --base-url http://localhost:${APP_PORT}   (stores the server with the key)
  Stop the stack with     npm run stack:down
`);
const next = spawn(process.execPath, ["node_modules/next/dist/bin/next", "dev", "-p", String(APP_PORT), ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: "inherit",
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => next.kill(signal));
next.on("exit", (code) => process.exit(code ?? 0));
