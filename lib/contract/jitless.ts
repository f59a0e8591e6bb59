import { z } from "zod";

// Zod 4 compiles object parsers with `new Function` where it may. In the browser our
// Content-Security-Policy forbids eval (no 'unsafe-eval'), and zod's probe for it shows
// up as a CSP violation report; jitless mode interprets instead (our forms are small).
// The server keeps the compiled fast path.
if ("window" in globalThis) z.config({ jitless: true });
