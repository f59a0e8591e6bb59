// The import rules of docs/ARCHITECTURE.md ("Imports"), checked by `npm run lint:deps`
// (dependency-cruiser; `npm test` runs it right after eslint).
//
// Imports point down: app/, components/, proxy.ts → lib/. lib/ is in layers: a folder imports
// its own layer and the layers below, never one above (the rules no-up-from-<layer>). Every
// folder of lib/ is named in one layer (lib-folder-known fails on one that is not); the single
// files of lib/ are the floor. scripts/ and tests/ may import lib/; tests may import scripts
// (the stack's settings, shared helpers in scripts/lib/), scripts never import tests.
// auth-server/ (the compatible Supabase Auth, a workspace package) stands alone: the stack
// and the tests use it, it imports nothing of the repository outside itself.
// From the top:
const LAYERS = [
  // The app's own plumbing: lib/api for route handlers (lib-api-only-from-routes), lib/api-reference
  // for the reference page and the document's code samples, lib/ui for
  // pages and components (ui-only-contract), lib/security for proxy.ts, instrumentation.ts and
  // next.config.ts (the headers every answer carries, refused methods).
  { name: "app-helpers", folders: ["api", "api-reference", "ui", "security"] },
  // The account flows and their Server Actions: sign-up, log-in, log-out, reset, e-mail and
  // password, sessions, two-factor enrolment and codes, mailed links, the CLI login's approval.
  { name: "flows", folders: ["account"] },
  // Who is calling: the principal, sessions (the page gate too), liveness, second factor,
  // failed-authentication limits.
  { name: "auth", folders: ["auth"] },
  // The domains. They may use one another (a CLI login mints a key, a leak report revokes one,
  // an organization bounds what its keys may do).
  { name: "domains", folders: ["api-keys", "behavior-specs", "cli-login", "leaks", "cron", "organizations", "oidc"] },
  // The audit trail, written by every domain, so it imports none of them.
  { name: "audit", folders: ["activity"] },
  // Clients of the outside services: mail, Supabase Auth (its server client, its cookie's name).
  { name: "services", folders: ["mail", "supabase"] },
  // The floor: request facts, the contract, and the single files (the database, the settings,
  // domain errors, …). Below every domain.
  { name: "floor", folders: ["http", "contract"], singleFiles: true },
];

const layerPath = ({ folders, singleFiles }) => `^lib/(${folders.join("|")})/${singleFiles ? "|^lib/[^/]+$" : ""}`;
const KNOWN = layerPath({ folders: LAYERS.flatMap((l) => l.folders), singleFiles: true });

const layerRules = LAYERS.slice(1).map((layer, i) => {
  const above = LAYERS.slice(0, i + 1);
  return {
    name: `no-up-from-${layer.name}`,
    comment: `The ${layer.name} (lib/{${layer.folders.join(",")}}${layer.singleFiles ? ", lib/*.ts" : ""}) import nothing above: lib/{${above.flatMap((l) => l.folders).join(",")}}.`,
    severity: "error",
    from: { path: layerPath(layer) },
    to: { path: layerPath({ folders: above.flatMap((l) => l.folders) }) },
  };
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "lib-not-to-app",
      comment: "Nothing in lib/ imports the app (pages, routes, components, proxy.ts, instrumentation.ts).",
      severity: "error",
      from: { path: "^lib/" },
      to: { path: "^(app/|components/|proxy\\.ts$|instrumentation\\.ts$)" },
    },
    {
      name: "lib-not-to-scripts-or-tests",
      comment: "lib/ is the app's code; scripts/ and tests/ use it, never the other way.",
      severity: "error",
      from: { path: "^lib/" },
      to: { path: "^(scripts|tests)/" },
    },
    {
      name: "scripts-not-to-tests",
      comment: "One direction only: tests use the scripts (the stack's settings, scripts/lib/ helpers), never the other way.",
      severity: "error",
      from: { path: "^scripts/" },
      to: { path: "^tests/" },
    },
    {
      name: "auth-server-standalone",
      comment:
        "auth-server/ is a package of its own: its server and its tests import only its own files and " +
        "npm packages; settings come in through the environment (the stack's from scripts/stack/config.ts).",
      severity: "error",
      from: { path: "^auth-server/" },
      to: { pathNot: "^(auth-server|node_modules)/", dependencyTypesNot: ["core"] },
    },
    {
      name: "nothing-to-auth-server-internals",
      comment: "Others use auth-server/ through its package exports (launch, jwt, totp), never its other files.",
      severity: "error",
      from: { pathNot: "^auth-server/" },
      to: { path: "^auth-server/", pathNot: "^auth-server/src/(launch|jwt|totp)\\.ts$" },
    },
    {
      name: "lib-api-only-from-routes",
      comment: "lib/api/ (serve, the envelope, body reading, the document) is for route handlers (app/api/**) only (and their tests).",
      severity: "error",
      from: { path: "^", pathNot: "^(app/api/|lib/api/|tests/)" },
      to: { path: "^lib/api/" },
    },
    ...layerRules,
    // lib-folder-known, three ways: a file of a folder that has no layer in LAYERS fails when
    // something imports it, when it imports anything, or when it is imported by nothing.
    ...[
      [{}, { path: "^lib/", pathNot: KNOWN }],
      [{ path: "^lib/", pathNot: KNOWN }, {}],
      [{ path: "^lib/", pathNot: KNOWN, orphan: true }, {}],
    ].map(([from, to]) => ({
      name: "lib-folder-known",
      comment: "Every folder of lib/ has a layer in LAYERS above; this file's folder has none.",
      severity: "error",
      from,
      to,
    })),
    {
      name: "ui-only-contract",
      comment: "lib/ui runs in the browser too: of lib/ it imports only the contract (and its own files), no server code.",
      severity: "error",
      from: { path: "^lib/ui/" },
      to: { path: "^lib/", pathNot: "^lib/(ui|contract)/" },
    },
    {
      name: "browser-not-contract-index",
      comment:
        "Code that can run in the browser (lib/ui, components, the dashboard's non-page modules) imports the contract's modules one by one: lib/contract/index.ts would ship the whole operations table to the page.",
      severity: "error",
      from: { path: "^(lib/ui/|components/|app/.*/(?!(page|layout|route|route\\.bench|error|not-found|loading)\\.tsx?$)[^/]+\\.tsx$)" },
      to: { path: "^lib/contract/index\\.ts$", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "contract-only-zod",
      comment: "lib/contract is pure: it imports zod and its own files, nothing else.",
      severity: "error",
      from: { path: "^lib/contract/" },
      to: { pathNot: "^(lib/contract/|node_modules/zod/)" },
    },
    {
      name: "sdk-cli-no-server-code",
      comment:
        "The SDK's and the CLI's run-time code share no server code: only the SDK's own files and the pure " +
        "lib/api-keys/key-format.ts (sdk/check/ and sdk/scripts/ read the contract at build time).",
      severity: "error",
      from: { path: "^(sdk/src|cli/src)/" },
      to: { path: "^(lib|app|components|scripts|tests|bench)/|^(proxy|instrumentation)\\.ts$", pathNot: "^lib/api-keys/key-format\\.ts$" },
    },
    {
      name: "sdk-not-to-cli",
      comment: "The CLI uses the SDK, not the other way.",
      severity: "error",
      from: { path: "^sdk/" },
      to: { path: "^cli/" },
    },
    {
      name: "not-to-unresolvable",
      comment: "An import that resolves to nothing would hide a dependency from these rules.",
      severity: "error",
      from: { path: "^(app|lib|components|sdk/src|cli/src|auth-server)/" },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    exclude: { path: "(^|/)(\\.next|dist)/" },
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    skipAnalysisNotInRules: true,
  },
};
