import { scalarScript } from "@/lib/api-reference/scalar-script";

// GET /docs/api/scalar.js — the API reference's renderer (lib/api-reference/scalar-script.ts),
// from this origin. Versioned by the page's `?v=`, so it may be cached for good.
export async function GET() {
  const body = await scalarScript();
  return new Response(body, {
    headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=31536000, immutable" },
  });
}
