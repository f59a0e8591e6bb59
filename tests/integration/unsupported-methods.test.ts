// TRACE, a method the Fetch standard forbids, to a page, an API path and a static
// asset of the running app (`next start`, no nginx): 405 in the API's envelope, never a 500,
// and nothing about them in the app's log.
import { request } from "node:http";
import { describe, expect, it } from "vitest";

import { api } from "../support/http";
import { APP_URL } from "../support/stack";

// fetch cannot send these methods (the same rule that makes Next throw): node:http can.
function raw(method: string, path: string): Promise<{ status: number; headers: Record<string, unknown>; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, APP_URL), { method }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Not JSON: the assertion shows the text.
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

const PATHS = ["/", "/settings", "/login", "/api/v1/me", "/api/v1/api-keys", "/api/v1/no-such-path", "/favicon.ico", "/_next/static/chunks/none.js"];

describe("methods the Fetch standard forbids", () => {
  for (const path of PATHS) {
    it(`TRACE ${path} → 405 in the envelope`, async () => {
      const res = await raw("TRACE", path);
      expect(res.status).toBe(405);
      expect(res.body).toEqual({ error: { code: "method_not_allowed", message: "Method TRACE is not allowed" } });
      expect(String(res.headers.allow)).toContain("GET");
    });
  }

  it("TRACK never reaches the app: refused before it (Node's parser: 400; nginx in test:scale: 405)", async () => {
    expect([400, 405]).toContain((await raw("TRACK", "/api/v1/me")).status);
  });

  it("leaves the other methods to the app", async () => {
    expect((await api("/api/v1/health")).status).toBe(200);
    expect((await api("/api/v1/health", { method: "DELETE" })).status).toBe(405);
  });
});
