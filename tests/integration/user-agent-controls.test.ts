// Control characters in a User-Agent never reach the activity tables or the API's answers:
// C1 controls (the 8-bit CSI U+009B, NEL U+0085, …) arrive as header bytes 0x80–0x9F, which
// fetch refuses to send, so the requests are written to a socket in latin1.
// (C0 controls such as ESC never get past Node's HTTP parser: 400 before the app.)
import { connect } from "node:net";

import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { freePort, startAppInstance, type AppInstance } from "../support/app-instance";
import { api, eventually, type Json } from "../support/http";
import { sessionCookie } from "../support/session";
import { APP_URL, DATABASE_URL, newUser } from "../support/stack";

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

// Each 8-bit control of interest, between printable text.
const RAW_UA = "evil\u009b31m/1.0 \u0085next\u0080line\u009fend\u008d (\u0090x)";
const CLEAN_UA = "evil31m/1.0 nextlineend (x)";
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A request written to the socket byte for byte in latin1, so the User-Agent's 0x80–0x9F
 * bytes arrive as they are (fetch refuses them; node:http sends them as UTF-8).
 */
function rawRequest(path: string, { method = "GET", headers = {}, body = "", base = APP_URL }: { method?: string; headers?: Record<string, string>; body?: string; base?: string }) {
  const url = new URL(path, base);
  const lines = [`${method} ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`, "connection: close", `user-agent: ${RAW_UA}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  const payload = Buffer.from(body, "utf8");
  lines.push(`content-length: ${payload.length}`);
  return new Promise<{ status: number; body: Json; text: string }>((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"), payload])));
    const chunks: Buffer[] = [];
    socket.on("data", (d: Buffer) => chunks.push(d));
    socket.on("error", reject);
    socket.on("end", () => {
      const response = Buffer.concat(chunks).toString("utf8");
      const [head = "", ...rest] = response.split("\r\n\r\n");
      let text = rest.join("\r\n\r\n");
      // A chunked body: the chunks' sizes out.
      if (/transfer-encoding: chunked/i.test(head)) text = text.replace(/(?:^|\r\n)[0-9a-f]+\r\n/gi, "").replace(/\r\n$/, "");
      let parsed: Json = {};
      try {
        parsed = JSON.parse(text) as Json;
      } catch {
        // not JSON: the assertions show `text`
      }
      resolve({ status: Number(head.split(" ")[1]), body: parsed, text });
    });
  });
}

describe("a User-Agent with control characters", () => {
  // The key is used on an instance of its own that writes usage every 300 ms, so the test
  // need not wait the shared app's flush interval (a minute behind test:scale's nginx).
  let instance: AppInstance;
  beforeAll(async () => {
    instance = await startAppInstance(await freePort(), { USAGE_FLUSH_MS: "300" });
  }, 60_000);
  afterAll(() => instance?.stop());

  it("is stored and served without them: the audit event of a key created with it, and the key's usage", async () => {
    const user = await newUser("ua-controls");
    const cookie = sessionCookie(user.session);
    const created = await rawRequest("/api/v1/api-keys", {
      method: "POST",
      headers: { cookie, origin: APP_URL, "content-type": "application/json" },
      body: JSON.stringify({ name: "ua test" }),
    });
    expect(created.status, created.text).toBe(201);
    const key = created.body.data as { id: string; key: string };
    expect((await rawRequest("/api/v1/me", { headers: { authorization: `Bearer ${key.key}` }, base: instance.url })).status).toBe(200);

    // The database: neither table holds a control character.
    const [event] = await sql`select user_agent from public.audit_events where key_id = ${key.id} and type = 'key.created'`;
    expect(event!.user_agent).toBe(CLEAN_UA);
    const usage = await eventually(
      () => sql`select last_user_agent from public.api_key_usage where key_id = ${key.id}`,
      (rows) => rows.length > 0,
      { timeoutMs: 20_000, everyMs: 250 },
    );
    expect(usage[0]!.last_user_agent).toBe(CLEAN_UA);

    // The API's answers, read as text: no raw control character, and not even an escaped one.
    const events = await api(`/api/v1/audit-events?key_id=${key.id}`, { cookie });
    expect((events.body.data as Json[])[0]!.actor.user_agent ?? (events.body.data as Json[])[0]!.user_agent).toBe(CLEAN_UA);
    expect(events.text).not.toMatch(CONTROL);
    expect(events.text).not.toMatch(/\\u00[0-9a-f]{2}/i);
    const served = await api(`/api/v1/api-keys/${key.id}/usage`, { cookie });
    expect(served.body.data.last_user_agent).toBe(CLEAN_UA);
    expect(served.text).not.toMatch(CONTROL);
  });
});
