// The headers every response carries (lib/security/headers.ts, used by next.config.ts).
import { describe, expect, it } from "vitest";

import { securityHeaders } from "../../lib/security/headers";

const hsts = (appUrl: string, production = true) =>
  securityHeaders({ appUrl, production }).find((h) => h.key === "Strict-Transport-Security")?.value;

describe("securityHeaders", () => {
  it("sends Strict-Transport-Security in production when the app is served over https", () => {
    expect(hsts("https://tunedtensor.com")).toBe("max-age=63072000; includeSubDomains");
    expect(hsts("https://app.example.com:8443")).toBe("max-age=63072000; includeSubDomains");
  });

  it("never on http (localhost included), and never in development", () => {
    expect(hsts("http://localhost:3000")).toBeUndefined();
    expect(hsts("http://localhost:3100")).toBeUndefined();
    expect(hsts("http://tunedtensor.com")).toBeUndefined();
    expect(hsts("https://tunedtensor.com", false)).toBeUndefined();
  });

  it("keeps the other headers either way", () => {
    for (const appUrl of ["http://localhost:3000", "https://tunedtensor.com"]) {
      expect(securityHeaders({ appUrl, production: true }).map((h) => h.key)).toEqual(
        expect.arrayContaining(["X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy"]),
      );
    }
  });
});
