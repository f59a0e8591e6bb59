import { apiReferencePage, nonceOf } from "@/lib/api-reference/page";
import { scalarVersion } from "@/lib/api-reference/scalar-script";

// GET /docs/api — the rendered, searchable API reference (lib/api-reference/page.ts). Public:
// the document it renders is. Its scripts carry the nonce of the CSP proxy.ts set for this
// response, which the proxy passes in the request's own CSP header.
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const nonce = nonceOf(request.headers.get("content-security-policy"));
  if (!nonce) return new Response("No Content-Security-Policy nonce for this page", { status: 500 });
  const version = await scalarVersion();
  return new Response(apiReferencePage({ nonce, scriptVersion: version }), {
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}
