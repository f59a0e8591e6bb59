// The API reference page's markup (lib/api-reference/page.ts): every script carries this
// response's nonce, the renderer comes from this origin, and nothing in its settings reaches
// another one. The browser side (no foreign request, no CSP violation) is
// tests/e2e/api-reference.spec.ts.
import { describe, expect, it } from "vitest";

import { apiReferencePage, nonceOf, OPENAPI_DOCUMENT_PATH, SCALAR_CONFIGURATION, SCALAR_SCRIPT_PATH } from "@/lib/api-reference/page";
import { contentSecurityPolicy } from "@/lib/security/content-security-policy";

describe("the API reference page", () => {
  it("puts the nonce of the page's CSP on every script, the renderer's from this origin", () => {
    const policy = contentSecurityPolicy({ nonce: "abc+/=123", supabaseUrl: "http://127.0.0.1:54321", dev: false });
    const nonce = nonceOf(policy);
    expect(nonce).toBe("abc+/=123");
    const html = apiReferencePage({ nonce: nonce!, scriptVersion: "1.76.0" });
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
    expect(scripts).toHaveLength(3);
    for (const tag of scripts) expect(tag).toContain('nonce="abc+/=123"');
    expect(scripts[1]).toContain(`src="${SCALAR_SCRIPT_PATH}?v=1.76.0"`);
    expect(html).toContain('<meta property="csp-nonce" content="abc+/=123">');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it("escapes the nonce and keeps the settings' JSON inside its script", () => {
    const html = apiReferencePage({ nonce: '"><script>', scriptVersion: "1" });
    expect(html).not.toContain('"><script>');
    expect(html).not.toMatch(/<\/script>[^\n]*<\/script>/);
    expect(nonceOf(null)).toBeNull();
    expect(nonceOf("script-src 'self'")).toBeNull();
  });

  it("renders this origin's document, with nothing that reaches another origin", () => {
    expect(SCALAR_CONFIGURATION).toMatchObject({
      url: OPENAPI_DOCUMENT_PATH,
      withDefaultFonts: false,
      telemetry: false,
      showDeveloperTools: "never",
      agent: { disabled: true },
      mcp: { disabled: true },
      authentication: { preferredSecurityScheme: "sessionCookie" },
    });
    expect(JSON.stringify(SCALAR_CONFIGURATION)).not.toMatch(/https?:\/\//);
    expect(SCALAR_CONFIGURATION).not.toHaveProperty("proxyUrl");
  });
});
