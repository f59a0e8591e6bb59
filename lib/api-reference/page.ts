import { APP_ICON } from "@/lib/ui/app-icon";

// The API reference page (/docs/api): a document of its own, not a page of the app's
// layout, since the renderer (Scalar, @scalar/api-reference) brings its own styles and
// would fight the app's. It renders the OpenAPI document the API serves,
// /api/v1/openapi.json, from this origin, with the renderer's script served from this
// origin too (app/docs/api/scalar.js/route.ts): the page makes no request elsewhere.
// Pure, so the markup and the renderer's settings are unit-tested
// (tests/unit/api-reference-page.test.ts).

/** The renderer's script, served from node_modules by app/docs/api/scalar.js/route.ts. */
export const SCALAR_SCRIPT_PATH = "/docs/api/scalar.js";
export const OPENAPI_DOCUMENT_PATH = "/api/v1/openapi.json";

/**
 * The renderer's settings. Everything that would reach another origin is off: its web
 * fonts (fonts.scalar.com), its AI assistant and MCP offers, its telemetry, its developer
 * tools (links to Scalar's services), and no request proxy is set. Try-it requests go to
 * this origin (the page sets the document's server to it) with `fetch`'s default
 * credentials ("same-origin"): the session cookie goes along, so a signed-in reader tries
 * operations as themselves, and a change carries this origin's `Origin` (the CSRF rule).
 */
export const SCALAR_CONFIGURATION = {
  url: OPENAPI_DOCUMENT_PATH,
  withDefaultFonts: false,
  telemetry: false,
  showDeveloperTools: "never",
  hideDarkModeToggle: false,
  persistAuth: false,
  showOperationId: true,
  documentDownloadType: "json",
  defaultHttpClient: { targetKey: "shell", clientKey: "curl" },
  // curl, the SDK (each operation's x-codeSamples), and plain fetch or Python for the rest.
  hiddenClients: ["c", "clojure", "csharp", "dart", "fsharp", "go", "http", "java", "julia", "kotlin", "objc", "ocaml", "php", "powershell", "r", "ruby", "rust", "swift"],
  mcp: { disabled: true },
  // Its AI assistant talks to Scalar's servers.
  agent: { disabled: true },
  // The system's fonts: the renderer's stylesheet declares its own (Inter, JetBrains Mono) from
  // fonts.scalar.com, which a browser fetches only for text set in them. And darker greys and
  // method colours than its default theme's, which fall short of WCAG AA's 4.5:1 on its light
  // backgrounds (axe, tests/e2e/api-reference.spec.ts).
  customCss: [
    ":root, :host { --scalar-font: ui-sans-serif, system-ui, sans-serif; --scalar-font-code: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }",
    ".light-mode.light-mode, .light-mode .light-mode { --scalar-color-2: #595959; --scalar-color-3: #616161; --scalar-color-green: #047857;" +
      " --scalar-color-red: #b91c1c; --scalar-color-yellow: #854d0e; --scalar-color-blue: #1d4ed8; --scalar-color-orange: #c2410c;" +
      " --scalar-color-purple: #6d28d9; --scalar-color-query: #0f766e; }",
  ].join("\n"),
  metaData: { title: "API reference · Tuned Tensor" },
  // Try-it requests authenticate with the session cookie the browser already holds: with the
  // API-key scheme picked, an empty `Authorization: Bearer` would go along, and an
  // Authorization header wins over the cookie (a 401 even when signed in).
  authentication: { preferredSecurityScheme: "sessionCookie" },
} as const;

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** JSON safe inside a <script> element: no `</script>`, no `<!--`. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

/**
 * The renderer's text comboboxes (the cookie's name in the authentication box) lack
 * `aria-expanded`, which ARIA requires of a combobox (axe: critical). They are closed until
 * typed in, so each is given `aria-expanded="false"` as it appears.
 */
const COMBOBOX_FIX = `new MutationObserver(function () {
  document.querySelectorAll('[role="combobox"]:not([aria-expanded])').forEach(function (el) { el.setAttribute("aria-expanded", "false"); });
}).observe(document.documentElement, { childList: true, subtree: true });`;

/**
 * The page. `nonce` is this response's CSP nonce (proxy.ts): the two inline scripts and the
 * renderer's script carry it, and the renderer reads it from `meta[property=csp-nonce]` for
 * the style element it adds. Before the renderer loads, its bundled zod is told not to
 * compile parsers with `new Function` (the CSP forbids eval; zod's probe for it would be
 * reported as a violation), as lib/contract/jitless.ts does for ours.
 */
export function apiReferencePage({ nonce, scriptVersion }: { nonce: string; scriptVersion: string }): string {
  const n = escapeHtml(nonce);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="csp-nonce" content="${n}">
<title>API reference · Tuned Tensor</title>
<link rel="icon" type="image/svg+xml" href="${escapeHtml(APP_ICON)}">
<meta name="description" content="Every operation of the Tuned Tensor API (/api/v1), with examples in curl and the SDK; try them with your session.">
</head>
<body>
<noscript><p>This reference needs JavaScript. The same document as JSON: <a href="${OPENAPI_DOCUMENT_PATH}">${OPENAPI_DOCUMENT_PATH}</a>; as text: docs/API.md in the repository.</p></noscript>
<div id="reference"></div>
<script nonce="${n}">
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
${COMBOBOX_FIX}
</script>
<script nonce="${n}" src="${SCALAR_SCRIPT_PATH}?v=${encodeURIComponent(scriptVersion)}"></script>
<script nonce="${n}">
Scalar.createApiReference("#reference", Object.assign(${scriptJson(SCALAR_CONFIGURATION)}, { servers: [{ url: location.origin, description: "This app" }] }));
</script>
</body>
</html>
`;
}

/** The nonce of a Content-Security-Policy's script-src, or null. */
export function nonceOf(policy: string | null): string | null {
  return /'nonce-([A-Za-z0-9+/=_-]+)'/.exec(policy ?? "")?.[1] ?? null;
}
