// The Content-Security-Policy for pages: scripts only from our origin or carrying this
// response's nonce (Next adds the nonce to its own scripts when it finds it in the
// request's CSP header), no plugins, no framing, no foreign form targets, and network
// access only to our origin and the Supabase API the browser signs in through.
// Pure: the proxy builds one per request.

export function contentSecurityPolicy({ nonce, supabaseUrl, dev }: { nonce: string; supabaseUrl: string; dev: boolean }): string {
  const supabase = new URL(supabaseUrl).origin;
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts loaded by a trusted (nonced) script are trusted too, which
    // is how Next loads its chunks. Dev mode's fast refresh needs eval.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Next and React inject style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${supabase}${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(supabase.startsWith("https:") ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** 128 random bits, base64: a fresh nonce per response. */
export function createNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}
